/**
 * Over HTTP, same machine, same load generator (autocannon in a child process, N connections):
 * the SAFAX-TS API started the supported way (`main.ts`, one worker per CPU; XACML JSON
 * Profile on the PDP-URL, authenticated, decision log on or off) against a Cerbos server
 * (`@cerbos/cerbos-linux-x64`, POST /api/check/resources) on the same workload.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '../../../apps/api/test/support/test-database';
import { treeCpuMs } from './process-cpu';
import { cerbosPolicies, cerbosRequest, expectedPermit, workloadRequests, workloadRules, xacmlFlat, xacmlJsonRequest } from './workload';

const ROOT = join(__dirname, '..', '..', '..');
const ADMIN = 'sfx_bench_peers_admin_key_0123456789abcdef';
/** Requests before each measured run: both workers compile the domain and JIT the path. */
const WARMUP = 5000;

export interface HttpFigures {
  readonly rps: number;
  /** Server CPU (all its processes and threads) per decision answered, µs. */
  readonly cpuUs: number;
  readonly p50: number;
  readonly p99: number;
  readonly permits: number;
  readonly expected: number;
}

function load(params: { url: string; headers: Record<string, string>; bodies: string[]; count: number; connections: number; permitMarker: string }): Promise<Omit<HttpFigures, 'expected' | 'cpuUs'>> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'load.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m: ({ ok: true } & Omit<HttpFigures, 'expected' | 'cpuUs'>) | { ok: false; error: string }) => (m.ok ? resolve(m) : reject(new Error(m.error))));
    child.once('error', reject);
    child.send(params);
  });
}

function expectedPermits(rules: number, count: number): { bodies: ReturnType<typeof workloadRequests>; expected: number } {
  const rs = workloadRules(rules);
  const bodies = workloadRequests(rules, 1000, 7);
  let expected = 0;
  for (let i = 0; i < count; i++) if (expectedPermit(rs, bodies[i % bodies.length]!)) expected++;
  return { bodies, expected };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not come up within ${ms} ms`);
}

// ---------------------------------------------------------------- SAFAX-TS

export interface SafaxServer {
  readonly base: string;
  readonly pid: number;
  /** Creates a domain with the flat workload of `rules` rules and the given log detail; returns its PDP-URL. */
  domain(rules: number, logDetail: 'none' | 'decision'): Promise<string>;
  stop(): Promise<void>;
}

export async function startSafax(workers: number | undefined, env: Record<string, string> = {}): Promise<SafaxServer> {
  const db = await createTestDatabase('sqlite');
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'apps/api/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'),
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      SAFAX_ADMIN_API_KEY: ADMIN,
      ...(workers !== undefined ? { SAFAX_WORKERS: String(workers) } : {}),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor('the SAFAX-TS API', async () => (await fetch(`${base}/healthz`)).ok);
  const api = async (method: string, path: string, body: unknown, type = 'application/json'): Promise<Record<string, unknown>> => {
    const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': type, authorization: `Bearer ${ADMIN}` }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const project = await api('POST', '/api/v1/projects', { name: 'bench' });
  let n = 0;
  return {
    base,
    pid: child.pid!,
    async domain(rules, logDetail) {
      const d = await api('POST', `/api/v1/projects/${String(project.id)}/domains`, { name: `d${n++}` });
      await api('POST', `/api/v1/domains/${String(d.id)}/policies`, xacmlFlat(workloadRules(rules)), 'application/xml');
      await api('PUT', `/api/v1/domains/${String(d.id)}/pdp`, { logDetail });
      return `${base}/pdp/${String(d.pdpId)}`;
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      await db.drop();
    },
  };
}

export async function safaxHttp(server: SafaxServer, pdpUrl: string, rules: number, count: number, connections: number): Promise<HttpFigures> {
  const { bodies, expected } = expectedPermits(rules, count);
  const texts = bodies.map((r) => JSON.stringify(xacmlJsonRequest(r)));
  // Warm-up: every worker compiles the domain and JITs the path.
  await load({ url: pdpUrl, headers: { 'content-type': 'application/xacml+json', authorization: `Bearer ${ADMIN}` }, bodies: texts, count: Math.min(WARMUP, count), connections, permitMarker: '"Permit"' });
  const cpu0 = treeCpuMs(server.pid);
  const r = await load({ url: pdpUrl, headers: { 'content-type': 'application/xacml+json', authorization: `Bearer ${ADMIN}` }, bodies: texts, count, connections, permitMarker: '"Permit"' });
  return { ...r, cpuUs: ((treeCpuMs(server.pid) - cpu0) * 1000) / count, expected };
}

// ---------------------------------------------------------------- Cerbos

export const CERBOS_BINARY = join(ROOT, 'node_modules', '@cerbos', 'cerbos-linux-x64', 'cerbos-linux-x64');

export async function cerbosHttp(rules: number, count: number, connections: number): Promise<HttpFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'safax-cerbos-'));
  const policies = join(dir, 'policies');
  mkdirSync(policies);
  for (const [name, text] of cerbosPolicies(workloadRules(rules))) writeFileSync(join(policies, name), text);
  const [http, grpc] = [await freePort(), await freePort()];
  writeFileSync(join(dir, 'config.yaml'), [
    'server:',
    `  httpListenAddr: "127.0.0.1:${http}"`,
    `  grpcListenAddr: "127.0.0.1:${grpc}"`,
    'storage:',
    '  driver: disk',
    '  disk:',
    `    directory: ${JSON.stringify(policies)}`,
    '    watchForChanges: false',
    'audit:',
    '  enabled: false',
    '',
  ].join('\n'));
  const child = spawn(CERBOS_BINARY, ['server', `--config=${join(dir, 'config.yaml')}`, '--log-level=error'], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    const base = `http://127.0.0.1:${http}`;
    await waitFor('the Cerbos server', async () => (await fetch(`${base}/_cerbos/health`)).ok);
    const { bodies, expected } = expectedPermits(rules, count);
    const texts = bodies.map((r, i) => JSON.stringify(cerbosRequest(r, `r${i}`)));
    const url = `${base}/api/check/resources`;
    await load({ url, headers: { 'content-type': 'application/json' }, bodies: texts, count: Math.min(WARMUP, count), connections, permitMarker: 'EFFECT_ALLOW' });
    const cpu0 = treeCpuMs(child.pid!);
    const r = await load({ url, headers: { 'content-type': 'application/json' }, bodies: texts, count, connections, permitMarker: 'EFFECT_ALLOW' });
    return { ...r, cpuUs: ((treeCpuMs(child.pid!) - cpu0) * 1000) / count, expected };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}
