/**
 * The wire protocol and operations: authentication, SSLRequest with and without TLS, psql,
 * cancel requests, large results, SAFAX-TS going away and coming back, health and shutdown.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { serialize } from 'pg-protocol';
import { errorOf, PASSWORD, seededDatabase, startSafax, startTestProxy } from './support/proxy-harness';
import type { ProxyUnderTest, Safax } from './support/proxy-harness';

// The platform, PostgreSQL databases, psql and TLS handshakes are slow on a loaded machine; no timing is asserted.
jest.setTimeout(60_000);

const run = promisify(execFile);
let safax: Safax;
let db: Awaited<ReturnType<typeof seededDatabase>>;
let proxy: ProxyUnderTest;
let certDir: string;

beforeAll(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'safax-proxy-tls-'));
  [safax, db] = await Promise.all([
    startSafax(),
    seededDatabase(),
    run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost']),
  ]);
  proxy = await startTestProxy({ database: db.name, pdpUrl: safax.pdpUrl, apiKey: safax.controllerKey, breaker: { failureThreshold: 3, halfOpenAfterMs: 100 } });
});
afterAll(async () => {
  await proxy?.close();
  await safax?.close();
  await db?.drop();
  rmSync(certDir, { recursive: true, force: true });
});

async function psql(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run('psql', ['-X', '-At', ...args], { env: { ...process.env, PGPASSWORD: PASSWORD, PGCONNECT_TIMEOUT: '10', ...env } });
  return stdout.trim();
}

describe('authentication', () => {
  it('refuses a wrong password and an unknown user alike, and accepts the right one (SCRAM-SHA-256)', async () => {
    const wrong = await errorOf(proxy.connect('doctor', { password: 'not the password' }));
    const unknown = await errorOf(proxy.connect('mallory'));
    expect(wrong.message).toMatch(/password authentication failed for user "doctor"/);
    expect(unknown.message).toMatch(/password authentication failed for user "mallory"/);
    const ok = await proxy.connect('doctor');
    expect((await ok.query('SELECT current_database() AS d')).rows[0].d).toBe(db.name);
    await ok.end();
  });

  it('refuses another database than the one it serves, and a forged on-behalf-of from a normal user', async () => {
    expect((await errorOf(proxy.connect('doctor', { database: 'postgres' }))).message).toMatch(/database "postgres" does not exist/);
    const forged = await errorOf(proxy.connect('nurse', { options: '-c safax.on_behalf_of=doctor' }));
    expect(forged.message).toMatch(/may not act on behalf of another user/);
  });
});

describe('SSLRequest and TLS', () => {
  it("answers 'N' when TLS is not configured", async () => {
    const e = await errorOf(proxy.connect('doctor', { ssl: { rejectUnauthorized: false } }));
    expect(e.message).toMatch(/does not support SSL/);
  });

  it('upgrades to TLS when configured, and then refuses plaintext clients', async () => {
    const tlsProxy = await startTestProxy({ database: db.name, pdpUrl: safax.pdpUrl, apiKey: safax.controllerKey, config: { tls: { certFile: join(certDir, 'cert.pem'), keyFile: join(certDir, 'key.pem') } } });
    try {
      const c = await tlsProxy.connect('doctor', { ssl: { rejectUnauthorized: true, ca: readFileSync(join(certDir, 'cert.pem'), 'utf8'), servername: 'localhost' } });
      expect((await c.query('SELECT name FROM patients WHERE id = 2')).rows[0].name).toBe('Bram Jansen');
      await c.end();
      expect((await errorOf(tlsProxy.connect('doctor'))).message).toMatch(/SSL connection is required/);
      expect(await psql(['-h', '127.0.0.1', '-p', String(tlsProxy.server.port), '-U', 'doctor', '-d', db.name, '-c', 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'], { PGSSLMODE: 'require' }).catch((e: Error) => e.message)).toMatch(/denied|f|t/);
    } finally {
      await tlsProxy.close();
    }
  });
});

describe('psql', () => {
  it('connects with psql, reads pseudonymised rows as a researcher and lists tables with \\dt', async () => {
    const base = ['-h', '127.0.0.1', '-p', String(proxy.server.port), '-d', db.name];
    const name = await psql([...base, '-U', 'researcher', '-c', 'SELECT name FROM patients WHERE id = 1']);
    expect(name).toMatch(/^[0-9a-f]{24}$/);
    const tables = await psql([...base, '-U', 'doctor', '-c', '\\dt']);
    expect(tables).toMatch(/public\|patients\|table/);
    expect(tables).toMatch(/public\|visits\|table/);
    // COPY FROM STDIN (psql's \copy) as an insert.
    writeFileSync(join(certDir, 'visits.tsv'), '500\t4\t2026-07-01\tfracture\n501\t4\t2026-07-02\tcast\n');
    expect(await psql([...base, '-U', 'doctor', '-c', `\\copy visits FROM '${join(certDir, 'visits.tsv')}'`])).toBe('COPY 2');
    expect(await psql([...base, '-U', 'doctor', '-c', 'DELETE FROM visits WHERE id >= 500'])).toBe('DELETE 2');
    const denied = await psql([...base, '-U', 'nurse', '-c', 'SELECT * FROM visits']).catch((e: { stderr: string }) => e.stderr);
    expect(denied).toMatch(/permission denied for dataset public\.visits \(read\) \(SAFAX transaction [0-9a-f-]{36}\)/);
  });
});

describe('cancel requests and large results', () => {
  it('forwards a cancel request to the upstream session', async () => {
    const c = await proxy.connect('doctor');
    const slow = errorOf(c.query('SELECT pg_sleep(30)'));
    await new Promise((r) => setTimeout(r, 200));
    const { processID, secretKey } = c as unknown as { processID: number; secretKey: number };
    await new Promise<void>((resolve, reject) => {
      const s = connect(proxy.server.port, '127.0.0.1', () => s.end(serialize.cancel(processID, secretKey)));
      s.on('close', () => resolve());
      s.on('error', reject);
    });
    const e = await slow;
    expect(e.code).toBe('57014');
    expect((await c.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
    await c.end();
  });

  it('streams a large result in both protocols and keeps protecting every row', async () => {
    const doctor = await proxy.connect('doctor');
    const simple = await doctor.query("SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 20000) g");
    expect(simple.rows).toHaveLength(20000);
    expect(simple.rows[19999].g).toBe(20000);
    const extended = await doctor.query({ text: 'SELECT g FROM generate_series(1, $1::int) g', values: [20000] });
    expect(extended.rows).toHaveLength(20000);
    await doctor.end();
    const researcher = await proxy.connect('researcher');
    const cross = await researcher.query('SELECT p.ssn, g FROM patients p, generate_series(1, 2000) g');
    expect(cross.rows).toHaveLength(10000);
    expect(cross.rows.every((r) => /^[0-9a-f]{24}$/.test(r.ssn as string))).toBe(true);
    // Fetched 64 rows at a time (Execute with maxRows, PortalSuspended, Flush): still protected.
    const paged = await researcher.query({ text: 'SELECT p.name, g FROM patients p, generate_series(1, $1::int) g', values: [100], rows: 64 } as never) as unknown as { rows: { name: string }[] };
    expect(paged.rows).toHaveLength(500);
    expect(paged.rows.every((r) => /^[0-9a-f]{24}$/.test(r.name))).toBe(true);
    await researcher.end();
  });
});

describe('SAFAX-TS unreachable', () => {
  it('denies every statement with a clear error while SAFAX-TS is down, and serves again once it is back', async () => {
    const doctor = await proxy.connect('doctor');
    expect((await doctor.query('SELECT count(*)::int AS n FROM patients')).rows[0].n).toBe(5);
    await safax.stopHttp();
    try {
      for (const sql of ['SELECT name FROM patients', "UPDATE visits SET diagnosis = 'x'", 'SELECT * FROM visits', 'SELECT * FROM visits', 'SELECT * FROM visits']) {
        const e = await errorOf(doctor.query(sql));
        expect(e.code).toBe('58000');
        expect(e.message).toMatch(/access decision unavailable: SAFAX-TS could not be reached/);
      }
      // Statements that need no decision still run; nothing was forwarded for the others.
      expect((await doctor.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await safax.startHttp();
    }
    let rows: unknown[] | undefined;
    for (let i = 0; i < 50 && rows === undefined; i++) {
      rows = await doctor.query("SELECT diagnosis FROM visits WHERE diagnosis = 'x'").then((r) => r.rows, () => undefined);
      if (rows === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(rows).toEqual([]);
    await doctor.end();
  });
});

describe('health and graceful shutdown', () => {
  it('answers the health endpoint and ends idle sessions with 57P01 on shutdown', async () => {
    const own = await startTestProxy({ database: db.name, pdpUrl: safax.pdpUrl, apiKey: safax.controllerKey });
    const c = new Client(own.client('doctor'));
    await c.connect();
    const body = await new Promise<string>((resolve, reject) => {
      get(`http://127.0.0.1:${own.server.healthPort}/healthz`, (res) => {
        let b = '';
        res.on('data', (d) => (b += d));
        res.on('end', () => resolve(`${res.statusCode} ${b}`));
      }).on('error', reject);
    });
    expect(body).toMatch(/^200 .*"status":"ok".*"sessions":1/);
    const ended = new Promise<Error>((resolve) => c.on('error', resolve));
    await own.close();
    expect(((await ended) as Error & { code?: string }).code).toBe('57P01');
    await c.end().catch(() => undefined);
  });
});
