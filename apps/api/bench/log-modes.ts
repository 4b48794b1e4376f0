/**
 * `npm run bench:log -w @safax/api`: decision throughput with the durable decision log (a
 * decision answered once its entry is committed, group commit), with write-behind, and with
 * the log off (log detail "none"), through HTTP on a small domain. Rounds alternate the modes
 * (A B C A B C) so that a busy machine weighs on all alike; each round is a fresh platform and
 * database. Besides decisions/s it reports the API process's CPU time per decision (all its
 * threads; the load generator runs in another process), which a shared machine disturbs far
 * less than throughput. SQLite by default, `--postgres` for PostgreSQL at 127.0.0.1:5432
 * (its server's CPU is not counted). Bounded: ~30 s. Not a test.
 */
import { createServer } from 'node:http';
import { fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { defaultConfig } from '../src/config/app-config';
import { startPlatform } from '../src/platform';
import type { LogMode } from '../src/services/decisions/decision-log-writer';
import { createTestDatabase } from '../test/support/test-database';

const ADMIN = 'sfx_bench_admin_key_0123456789abcdef';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARMUP = 500;
const XS = 'http://www.w3.org/2001/XMLSchema#string';
const POLICY = `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="bench" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:permit-unless-deny"><Target/><Rule RuleId="deny-delete" Effect="Deny"><Target><AnyOf><AllOf><Match MatchId="urn:oasis:names:tc:xacml:1.0:function:string-equal"><AttributeValue DataType="${XS}">delete</AttributeValue><AttributeDesignator Category="urn:oasis:names:tc:xacml:3.0:attribute-category:action" AttributeId="urn:oasis:names:tc:xacml:1.0:action:action-id" DataType="${XS}" MustBePresent="false"/></Match></AllOf></AnyOf></Target></Rule></Policy>`;

function drive(url: string, key: string, count: number): Promise<{ rps: number; p50: number; p99: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'load-worker.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m: { ok: true; rps: number; p50: number; p99: number } | { ok: false; error: string }) => (m.ok ? resolve(m) : reject(new Error(m.error))));
    child.once('error', reject);
    child.send({ url, key, rules: 1000, count, concurrency: CONCURRENCY });
  });
}

type Mode = LogMode | 'off';
const MODES: readonly Mode[] = ['durable', 'write-behind', 'off'];

async function round(provider: 'sqlite' | 'postgresql', mode: Mode): Promise<{ rps: number; p50: number; p99: number; commits: number; written: number; cpuUs: number }> {
  const db = await createTestDatabase(provider);
  const platform = await startPlatform(defaultConfig({ databaseUrl: db.url, adminApiKey: ADMIN, logMode: mode === 'off' ? 'write-behind' : mode, logPruneMs: 0 }));
  const server = createServer(platform.app).listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api = async (method: string, path: string, body: unknown, key = ADMIN) => {
    const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  try {
    const owner = await api('POST', '/api/v1/principals', { name: 'bench-owner', roles: ['domain-owner'] });
    const key = owner.apiKey as string;
    const project = await api('POST', '/api/v1/projects', { name: 'bench' }, key);
    const domain = await api('POST', `/api/v1/projects/${String(project.id)}/domains`, { name: 'small' }, key);
    await api('POST', `/api/v1/domains/${String(domain.id)}/policies`, { policies: [{ text: POLICY }] }, key);
    if (mode === 'off') await api('PUT', `/api/v1/domains/${String(domain.id)}/pdp`, { logDetail: 'none' }, key);
    const url = `${base}/pdp/${String(domain.pdpId)}`;
    await drive(url, key, WARMUP);
    const commitsBefore = platform.deps.decisionLog.commits;
    const cpu = process.cpuUsage();
    const r = await drive(url, key, REQUESTS);
    await platform.deps.decisionLog.flush();
    const used = process.cpuUsage(cpu);
    return { ...r, commits: platform.deps.decisionLog.commits - commitsBefore, written: platform.deps.decisionLog.written, cpuUs: (used.user + used.system) / REQUESTS };
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    await platform.close();
    await db.drop();
  }
}

async function main(): Promise<void> {
  const provider = process.argv.includes('--postgres') ? 'postgresql' : 'sqlite';
  console.log(`SAFAX-TS decision-log modes — ${provider}, ${REQUESTS} requests per round, concurrency ${CONCURRENCY}, ${ROUNDS} round(s) per mode, node ${process.version}`);
  console.log('| round | mode | decisions/s | p50 ms | p99 ms | log commits | API CPU µs per decision |');
  console.log('|---|---|---|---|---|---|---|');
  const rps: Record<Mode, number> = { durable: 0, 'write-behind': 0, off: 0 };
  const cpu: Record<Mode, number> = { durable: 0, 'write-behind': 0, off: 0 };
  for (let i = 1; i <= ROUNDS; i++) {
    for (const mode of MODES) {
      const r = await round(provider, mode);
      rps[mode] += r.rps / ROUNDS;
      cpu[mode] += r.cpuUs / ROUNDS;
      console.log(`| ${i} | ${mode} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.commits} | ${r.cpuUs.toFixed(0)} |`);
    }
  }
  const cost = (m: Mode, base: Mode) => `${(100 * (1 - rps[m] / rps[base])).toFixed(1)}% of throughput, +${(100 * (cpu[m] / cpu[base] - 1)).toFixed(1)}% CPU per decision`;
  console.log(`mean: durable ${rps.durable.toFixed(0)}/s (${cpu.durable.toFixed(0)} µs), write-behind ${rps['write-behind'].toFixed(0)}/s (${cpu['write-behind'].toFixed(0)} µs), off ${rps.off.toFixed(0)}/s (${cpu.off.toFixed(0)} µs)`);
  console.log(`durable against write-behind: ${cost('durable', 'write-behind')}`);
  console.log(`write-behind against off: ${cost('write-behind', 'off')}; durable against off: ${cost('durable', 'off')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
