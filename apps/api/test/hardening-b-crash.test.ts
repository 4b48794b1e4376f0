/**
 * Issue 14, item 8: with the durable decision log, a server killed (SIGKILL) under load has
 * logged every decision it answered. A child server process takes decisions from 16
 * concurrent clients, is killed mid-load, is started again on the same database, and every
 * answered transaction id is in its log; the hash chain still verifies.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { actionRequestJson, permitPolicy } from './support/policies';
import { PROVIDERS, createTestDatabase } from './support/test-database';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..', '..');
const ADMIN = 'sfx_crash_admin_key_0123456789abcdef';

interface Reply {
  readonly status: number;
  readonly text: string;
  readonly txId: string | undefined;
}

function call(port: number, method: string, path: string, body?: string, type = 'application/json'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': type } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, txId: res.headers['x-transaction-id'] as string | undefined }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Starts main.ts (one process) and resolves with its port once it listens. */
function startServer(databaseUrl: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'apps/api/src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'), DATABASE_URL: databaseUrl, SAFAX_WORKERS: '1', PORT: '0', HOST: '127.0.0.1', SAFAX_ADMIN_API_KEY: ADMIN, SAFAX_LOG_MODE: 'durable', SAFAX_LOG_FLUSH_MS: '60000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${err}`)));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /"message":"SAFAX-TS api listening".*?"port":(\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
  });
}

describe.each(PROVIDERS)('durable decision log under SIGKILL (%s)', (provider) => {
  it('loses no answered decision', async () => {
    const db = await createTestDatabase(provider);
    let server: ChildProcess | undefined;
    try {
      const first = await startServer(db.url);
      server = first.child;
      const project = JSON.parse((await call(first.port, 'POST', '/api/v1/projects', JSON.stringify({ name: 'crash' }))).text) as { id: string };
      const domain = JSON.parse((await call(first.port, 'POST', `/api/v1/projects/${project.id}/domains`, JSON.stringify({ name: 'd' }))).text) as { id: string; pdpId: string };
      expect((await call(first.port, 'POST', `/api/v1/domains/${domain.id}/policies`, permitPolicy('p'), 'application/xml')).status).toBe(201);

      const answered: string[] = [];
      let stop = false;
      const client = async () => {
        while (!stop) {
          const r = await call(first.port, 'POST', `/pdp/${domain.pdpId}`, actionRequestJson('read'), 'application/xacml+json').catch(() => null);
          if (r?.status === 200 && r.txId && !stop) answered.push(r.txId);
        }
      };
      const clients = Array.from({ length: 16 }, client);
      await new Promise((r) => setTimeout(r, 1500));
      // Killed with requests in flight: whatever was answered before must be in the log.
      const snapshot = answered.length;
      first.child.kill('SIGKILL');
      stop = true;
      await Promise.all(clients);
      expect(snapshot).toBeGreaterThan(50);

      const second = await startServer(db.url);
      server = second.child;
      const logged = new Set<string>();
      let cursor: string | undefined;
      for (;;) {
        const page = JSON.parse((await call(second.port, 'GET', `/api/v1/domains/${domain.id}/decisions?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).text) as { items: { txId: string }[]; nextCursor?: string | null };
        for (const e of page.items) logged.add(e.txId);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      const missing = answered.filter((tx) => !logged.has(tx));
      expect({ answered: answered.length, missing: missing.length }).toEqual({ answered: answered.length, missing: 0 });
      const verify = JSON.parse((await call(second.port, 'GET', `/api/v1/domains/${domain.id}/decisions/verify`)).text) as { ok: boolean; entries: number };
      expect(verify.ok).toBe(true);
      expect(verify.entries).toBe(logged.size);
    } finally {
      server?.kill('SIGKILL');
      await db.drop();
    }
  });
});
