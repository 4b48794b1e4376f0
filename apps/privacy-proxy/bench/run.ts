/**
 * `npm run bench -w @safax/privacy-proxy`: statements per second and p50/p99 latency of a
 * point select and a 10,000-row select, directly on PostgreSQL and through the proxy (as a
 * deployed process: `safax-privacy-proxy serve`), with the SDK's decision cache off and on;
 * the 10,000-row select also as a researcher whose rows are pseudonymised. Decisions come from
 * the real SAFAX-TS platform in this process (hospital sample policy). Also the proxy's
 * resident memory around a 300,000-row result (streamed, so it must not grow with rows).
 * Bounded: a fixed number of statements per case. Not a test.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createVerifier, formatVerifier } from '../src/users/scram';
import { writeUsersFile } from '../src/users/users-file';
import { PASSWORD, PG_HOST, seededDatabase, startSafax, USERS } from '../test/support/proxy-harness';

const POINT = Number(process.env.BENCH_POINT ?? 2000);
const BIG = Number(process.env.BENCH_BIG ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROWS = 10_000;

interface Result {
  readonly name: string;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly throughput?: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function measure(name: string, connect: () => Promise<Client>, run: (c: Client, i: number) => Promise<unknown>, count: number, concurrent = 0): Promise<Result> {
  const c = await connect();
  for (let i = 0; i < Math.min(50, count); i++) await run(c, i); // warm-up: connections, caches, JIT
  const times: number[] = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const t = process.hrtime.bigint();
    await run(c, i);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const total = Number(process.hrtime.bigint() - start) / 1e9;
  await c.end();
  let throughput: number | undefined;
  if (concurrent > 0) {
    const clients = await Promise.all(Array.from({ length: concurrent }, connect));
    const t0 = process.hrtime.bigint();
    await Promise.all(clients.map(async (k, w) => {
      for (let i = w; i < count; i += concurrent) await run(k, i);
    }));
    throughput = count / (Number(process.hrtime.bigint() - t0) / 1e9);
    await Promise.all(clients.map((k) => k.end()));
  }
  times.sort((a, b) => a - b);
  return { name, perSecond: count / total, p50: percentile(times, 50), p99: percentile(times, 99), ...(throughput !== undefined ? { throughput } : {}) };
}

async function startProxyProcess(dir: string, configName: string, config: string, env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const file = join(dir, configName);
  writeFileSync(file, config);
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'src', 'main.ts'), 'serve', '--config', file], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => l.includes('"event":"listening"'));
      const p = line !== undefined ? /"port":(\d+)/.exec(line) : null;
      if (p !== null) {
        child.stdout?.off('data', onData);
        child.stdout?.resume(); // keep draining the per-statement log lines
        resolve(Number(p[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`proxy exited with ${code}`)));
  });
  return { child, port };
}

function rss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'safax-proxy-bench-'));
  const [safax, db] = await Promise.all([startSafax(), seededDatabase()]);
  const children: ChildProcess[] = [];
  try {
    const seed = new Client({ connectionString: db.url });
    await seed.connect();
    await seed.query(`INSERT INTO patients (id, name, ssn, birth_date, age, city)
      SELECT 100 + g, 'patient ' || g, lpad(g::text, 3, '0') || '-00-' || lpad(g::text, 4, '0'), date '1950-01-01' + g, 20 + g % 70, 'city ' || g % 50 FROM generate_series(1, ${ROWS - 5}) g`);
    await seed.end();
    writeUsersFile(join(dir, 'users.json'), USERS.map((u) => ({ ...u, scram: formatVerifier(createVerifier(PASSWORD, 4096)) })));
    const env = { BENCH_PDP_KEY: safax.controllerKey, BENCH_PROTECTION_KEY: 'bench-protection-key-0123456789abcdef' };
    const config = (cache: string) => `listen: { host: 127.0.0.1, port: 0 }
upstream: { host: ${PG_HOST.hostname}, port: ${PG_HOST.port || 5432}, database: ${db.name}, user: ${decodeURIComponent(PG_HOST.username || 'postgres')} }
pdp: { url: "${safax.pdpUrl}", apiKey: { env: BENCH_PDP_KEY }, cache: ${cache} }
protection: { key: { env: BENCH_PROTECTION_KEY } }
users: { file: users.json }
`;
    const off = await startProxyProcess(dir, 'cache-off.yaml', config('false'), env);
    const on = await startProxyProcess(dir, 'cache-on.yaml', config('{ ttlMs: 60000 }'), env);
    children.push(off.child, on.child);

    const direct = () => {
      const c = new Client({ connectionString: db.url });
      return c.connect().then(() => c);
    };
    const via = (port: number, user: string) => () => {
      const c = new Client({ host: '127.0.0.1', port, user, password: PASSWORD, database: db.name });
      return c.connect().then(() => c);
    };
    const point = (c: Client, i: number) => c.query({ text: 'SELECT id, name, city FROM patients WHERE id = $1', values: [100 + (i % 1000)] });
    const big = (c: Client) => c.query('SELECT * FROM patients');

    const results: Result[] = [];
    results.push(await measure('point select, direct', direct, point, POINT, CONCURRENCY));
    results.push(await measure('point select, proxy, cache off', via(off.port, 'doctor'), point, POINT, CONCURRENCY));
    results.push(await measure('point select, proxy, cache on', via(on.port, 'doctor'), point, POINT, CONCURRENCY));
    results.push(await measure(`${ROWS}-row select, direct`, direct, big, BIG));
    results.push(await measure(`${ROWS}-row select, proxy, cache off`, via(off.port, 'doctor'), big, BIG));
    results.push(await measure(`${ROWS}-row select, proxy, cache on`, via(on.port, 'doctor'), big, BIG));
    results.push(await measure(`${ROWS}-row select, proxy, cache on, pseudonymised`, via(on.port, 'researcher'), big, BIG));

    // Memory: a 300,000-row result through the proxy (psql in its own process, output discarded).
    const pid = on.child.pid as number;
    const before = rss(pid);
    await promisify(execFile)('psql', ['-X', '-q', '-h', '127.0.0.1', '-p', String(on.port), '-U', 'doctor', '-d', db.name, '-o', '/dev/null', '-c', "SELECT g, repeat('x', 200) FROM generate_series(1, 300000) g"], { env: { ...process.env, PGPASSWORD: PASSWORD }, maxBuffer: 1 << 20 });
    const after = rss(pid);

    const fmt = (n: number, d = 2) => n.toFixed(d).padStart(9);
    process.stdout.write(`\nprivacy proxy bench (${POINT} point selects, ${BIG} × ${ROWS}-row selects per case; throughput with ${CONCURRENCY} clients)\n`);
    process.stdout.write(`${'case'.padEnd(52)} ${'stmt/s'.padStart(9)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${`stmt/s×${CONCURRENCY}`.padStart(11)}\n`);
    for (const r of results) process.stdout.write(`${r.name.padEnd(52)} ${fmt(r.perSecond, 0)} ${fmt(r.p50)} ${fmt(r.p99)} ${r.throughput !== undefined ? fmt(r.throughput, 0).padStart(11) : ''.padStart(11)}\n`);
    const d = results[0] as Result;
    const cached = results[2] as Result;
    const uncached = results[1] as Result;
    process.stdout.write(`\nadded per point select (p50): cache on ${(cached.p50 - d.p50).toFixed(3)} ms, cache off ${(uncached.p50 - d.p50).toFixed(3)} ms\n`);
    process.stdout.write(`proxy RSS around a 300,000-row result: ${before.toFixed(1)} MiB → ${after.toFixed(1)} MiB\n`);
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await safax.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
