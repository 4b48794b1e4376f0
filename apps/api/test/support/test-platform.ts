/** Starts the platform on a fresh test database and offers authenticated supertest helpers. */
import request from 'supertest';
import type { Test } from 'supertest';
import { defaultConfig } from '../../src/config/app-config';
import type { AppConfig } from '../../src/config/app-config';
import type { DatabaseProvider } from '../../src/db/database-url';
import { startPlatform } from '../../src/platform';
import type { Platform, PlatformOptions } from '../../src/platform';
import { createTestDatabase } from './test-database';
import type { TestDatabase } from './test-database';

export const ADMIN_KEY = 'sfx_test_admin_key_0123456789abcdef';

export interface TestPlatform {
  readonly platform: Platform;
  readonly db: TestDatabase;
  readonly adminKey: string;
  /** supertest agent bound to the app; `as(key)` adds the bearer key. */
  http(): ReturnType<typeof request>;
  as(key: string | null): {
    get(path: string): Test;
    post(path: string): Test;
    put(path: string): Test;
    patch(path: string): Test;
    delete(path: string): Test;
  };
  close(): Promise<void>;
}

export async function startTestPlatform(provider: DatabaseProvider, config: Partial<AppConfig> = {}, options: PlatformOptions = {}, existing?: TestDatabase): Promise<TestPlatform> {
  const db = existing ?? (await createTestDatabase(provider));
  const platform = await startPlatform(defaultConfig({ databaseUrl: db.url, adminApiKey: ADMIN_KEY, publicBaseUrl: 'http://safax.test', outboundAllow: ['127.0.0.1'], logFlushMs: 20, changePollMs: 100, ...config }), options);
  const app = platform.app;
  const auth = (t: Test, key: string | null): Test => (key === null ? t : t.set('Authorization', `Bearer ${key}`));
  return {
    platform,
    db,
    adminKey: ADMIN_KEY,
    http: () => request(app),
    as: (key) => ({
      get: (p) => auth(request(app).get(p), key),
      post: (p) => auth(request(app).post(p), key),
      put: (p) => auth(request(app).put(p), key),
      patch: (p) => auth(request(app).patch(p), key),
      delete: (p) => auth(request(app).delete(p), key),
    }),
    close: async () => {
      await platform.close();
      if (!existing) await db.drop();
    },
  };
}

/** Creates a principal through the API (as admin) and returns its id and key. */
export async function createUser(t: TestPlatform, name: string, roles: string[]): Promise<{ id: string; key: string }> {
  const res = await t.as(t.adminKey).post('/api/v1/principals').send({ name, roles }).expect(201);
  return { id: res.body.principal.id as string, key: res.body.apiKey as string };
}

/** Asserts the one error shape and returns its code. */
export function errorCode(body: unknown): string {
  const e = (body as { error?: { code?: unknown; message?: unknown } }).error;
  if (!e || typeof e.code !== 'string' || typeof e.message !== 'string') throw new Error(`not the error shape: ${JSON.stringify(body)}`);
  return e.code;
}
