/**
 * A real SAFAX-TS API for browser tests: the platform on a fresh temp SQLite database, on an
 * ephemeral loopback port, serving the freshly built GUI at /ui as `npm start` does.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../../api/src/config/app-config';
import { startPlatform } from '../../../api/src/platform';
import type { Platform } from '../../../api/src/platform';
import { createTestDatabase } from '../../../api/test/support/test-database';
import type { TestDatabase } from '../../../api/test/support/test-database';
import { webRoot } from '../../serve';

export const ADMIN_KEY = 'sfx_web_e2e_admin_key_0123456789abcdef';
const WEB_DIR = join(__dirname, '..', '..');

/**
 * Builds the GUI from its current sources (about a second) so the browser never tests a stale
 * build. Each suite builds into a directory of its own: suites run in parallel, and rebuilding a
 * shared dist/ under another suite's server made it answer 500 for /ui/ mid-test.
 * SAFAX_WEB_PREBUILT=1 serves an existing dist/ instead (e.g. when CI ran `npm run build` first).
 */
export function ensureWebBuild(): { root: string; dispose(): void } {
  const existing = webRoot();
  if (existing && process.env.SAFAX_WEB_PREBUILT === '1') return { root: existing, dispose: () => undefined };
  // vite's exports map hides bin/; find it where npm workspaces put it (hoisted or local).
  const vite = [join(WEB_DIR, 'node_modules', 'vite', 'bin', 'vite.js'), join(WEB_DIR, '..', '..', 'node_modules', 'vite', 'bin', 'vite.js')].find((p) => existsSync(p));
  if (!vite) throw new Error('vite is not installed: run npm install');
  const outDir = mkdtempSync(join(tmpdir(), 'safax-web-'));
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], { cwd: WEB_DIR, stdio: 'inherit' });
  if (!existsSync(join(outDir, 'index.html'))) throw new Error('vite build produced no index.html');
  return { root: outDir, dispose: () => rmSync(outDir, { recursive: true, force: true }) };
}

export interface GuiServer {
  readonly baseUrl: string;
  readonly platform: Platform;
  /** Calls the API directly (setup and checks the GUI is not under test for). */
  api(method: string, path: string, key: string | null, body?: unknown): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export async function startGuiServer(): Promise<GuiServer> {
  const build = ensureWebBuild();
  const root = build.root;
  const db: TestDatabase = await createTestDatabase('sqlite');
  // The port is taken before the platform starts: its PDP-URLs are built from publicBaseUrl.
  const target: { app?: Platform['app'] } = {};
  const server: Server = createServer((req, res) => (target.app ? target.app(req, res) : res.writeHead(503).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const platform = await startPlatform(defaultConfig({ databaseUrl: db.url, adminApiKey: ADMIN_KEY, publicBaseUrl: baseUrl, webDir: root, outboundAllow: ['127.0.0.1'], logFlushMs: 20, changePollMs: 100 }));
  target.app = platform.app;
  return {
    baseUrl,
    platform,
    async api(method, path, key, body) {
      const res = await fetch(baseUrl + path, {
        method,
        headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await platform.close();
      await db.drop();
      build.dispose();
    },
  };
}

/** Creates a principal as admin and returns its id and API key. */
export async function createPrincipal(s: GuiServer, name: string, roles: string[]): Promise<{ id: string; key: string }> {
  const r = await s.api('POST', '/api/v1/principals', ADMIN_KEY, { name, roles });
  if (r.status !== 201) throw new Error(`creating ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  const b = r.body as { principal: { id: string }; apiKey: string };
  return { id: b.principal.id, key: b.apiKey };
}
