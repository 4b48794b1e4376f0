/**
 * The API on several cores: `main.ts` with SAFAX_WORKERS=2 runs the start tasks once (one
 * admin), both workers serve the port, concurrent writes through both succeed (SQLite in WAL
 * mode with several writer processes; PostgreSQL), a policy change made through one worker
 * reaches the other's PDP cache through the change feed, decisions from both workers land in
 * the log, and SIGTERM stops every worker before the primary exits 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { actionRequestJson, decisionOf, permitPolicy } from './support/policies';
import { PROVIDERS, createTestDatabase, type TestDatabase } from './support/test-database';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..', '..');
const ADMIN = 'sfx_cluster_admin_key_0123456789abcdef';

interface Reply {
  readonly status: number;
  readonly text: string;
}

/** One request on a fresh connection (no keep-alive), so the cluster spreads them over its workers. */
function call(port: number, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, agent: false, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.each(PROVIDERS)('two API workers (%s)', (provider) => {
  let db: TestDatabase;
  let primary: ChildProcess;
  let exited: Promise<number | null>;
  const lines: Record<string, unknown>[] = [];
  let port = 0;
  const workerPids = new Set<number>();

  beforeAll(async () => {
    db = await createTestDatabase(provider);
    primary = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'apps/api/src/main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'),
        DATABASE_URL: db.url,
        SAFAX_WORKERS: '2',
        PORT: '0',
        HOST: '127.0.0.1',
        SAFAX_ADMIN_API_KEY: ADMIN,
        SAFAX_CHANGE_POLL_MS: '100',
        SAFAX_LOG_FLUSH_MS: '20',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => primary.once('exit', (code) => resolve(code)));
    let buffer = '';
    primary.stdout!.setEncoding('utf8');
    primary.stderr!.setEncoding('utf8');
    let stderr = '';
    primary.stderr!.on('data', (c: string) => (stderr += c));
    await new Promise<void>((resolve, reject) => {
      primary.once('exit', (code) => reject(new Error(`the primary exited (${code}) before both workers listened: ${stderr}`)));
      primary.stdout!.on('data', (chunk: string) => {
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (!line.startsWith('{')) continue;
          const entry = JSON.parse(line) as Record<string, unknown>;
          lines.push(entry);
          if (entry.message === 'worker listening') {
            port = entry.port as number;
            workerPids.add(entry.pid as number);
            if (workerPids.size === 2) resolve();
          }
        }
      });
    });
  });

  afterAll(async () => {
    if (primary.exitCode === null) primary.kill('SIGKILL');
    for (const pid of workerPids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await db.drop();
  });

  it('runs the start tasks once: one admin principal', async () => {
    const r = await call(port, 'GET', '/api/v1/principals');
    expect(r.status).toBe(200);
    const admins = (JSON.parse(r.text) as { items: { roles: string[] }[] }).items.filter((p) => p.roles.includes('admin'));
    expect(admins).toHaveLength(1);
  });

  it('takes concurrent writes through both workers', async () => {
    const replies = await Promise.all(Array.from({ length: 16 }, (_, i) => call(port, 'POST', '/api/v1/projects', JSON.stringify({ name: `p-${i}` }))));
    expect(replies.map((r) => r.status)).toEqual(Array(16).fill(201));
  });

  it("keeps both workers' PDP caches in step, and logs decisions from both", async () => {
    const project = JSON.parse((await call(port, 'POST', '/api/v1/projects', JSON.stringify({ name: 'cluster' }))).text) as { id: string };
    const domain = JSON.parse((await call(port, 'POST', `/api/v1/projects/${project.id}/domains`, JSON.stringify({ name: 'd' }))).text) as { id: string; pdpId: string };
    const upload = (text: string) => call(port, 'POST', `/api/v1/domains/${domain.id}/policies`, text, { 'content-type': 'application/xml' });
    const decideAll = async () => Promise.all(Array.from({ length: 6 }, async () => decisionOf((await call(port, 'POST', `/pdp/${domain.pdpId}`, actionRequestJson('read'), { 'content-type': 'application/xacml+json' })).text)));
    expect((await upload(permitPolicy('p', '1.0', 'read'))).status).toBe(201);
    // Both workers compile and cache the domain.
    expect(await decideAll()).toEqual(Array(6).fill('Permit'));
    expect((await upload(permitPolicy('p', '2.0', 'write'))).status).toBe(201);
    // The worker that did not take the upload learns of it from the change feed (poll every 100 ms).
    let decisions = await decideAll();
    for (let i = 0; i < 100 && decisions.some((d) => d !== 'NotApplicable'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      decisions = await decideAll();
    }
    expect(decisions).toEqual(Array(6).fill('NotApplicable'));

    let logged = 0;
    for (let i = 0; i < 100 && logged < 12; i++) {
      const r = await call(port, 'GET', `/api/v1/domains/${domain.id}/decisions?limit=100`);
      logged = (JSON.parse(r.text) as { items: unknown[] }).items.length;
      if (logged < 12) await new Promise((res) => setTimeout(res, 50));
    }
    expect(logged).toBeGreaterThanOrEqual(12);
  });

  it('stops every worker on SIGTERM, then exits 0', async () => {
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of workerPids) expect(alive(pid)).toBe(false);
    expect(lines.some((l) => l.message === 'all workers stopped')).toBe(true);
  });
});
