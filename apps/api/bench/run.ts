/**
 * `npm run bench` (workspace @safax/api): decisions per second and p50/p99 latency through HTTP
 * (XACML JSON Profile on the PDP-URL, with authentication, the PEP, the cached PDP and the
 * write-behind log), for a small domain and a 1,000-rule domain. Runs the real app on
 * 127.0.0.1 with a fresh database (SQLite; `--postgres` for PostgreSQL at 127.0.0.1:5432); the
 * load comes from autocannon in a child process, so client and server each have a core.
 * Bounded: a fixed number of requests per case. Not a test.
 */
import { createServer } from 'node:http';
import { fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { defaultConfig } from '../src/config/app-config';
import { startPlatform } from '../src/platform';
import { createTestDatabase } from '../test/support/test-database';

const ADMIN = 'sfx_bench_admin_key_0123456789abcdef';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const WARMUP = 1000;
/** Decision-log detail of the benchmarked domains (none | decision | full). */
const LOG_DETAIL = process.env.BENCH_LOG_DETAIL ?? 'decision';

const XS = 'http://www.w3.org/2001/XMLSchema#string';
const match = (value: string, category: string, id: string) =>
  `<Match MatchId="urn:oasis:names:tc:xacml:1.0:function:string-equal"><AttributeValue DataType="${XS}">${value}</AttributeValue><AttributeDesignator Category="${category}" AttributeId="${id}" DataType="${XS}" MustBePresent="false"/></Match>`;
const RES = ['urn:oasis:names:tc:xacml:3.0:attribute-category:resource', 'urn:oasis:names:tc:xacml:1.0:resource:resource-id'] as const;
const ACT = ['urn:oasis:names:tc:xacml:3.0:attribute-category:action', 'urn:oasis:names:tc:xacml:1.0:action:action-id'] as const;
const SUB = ['urn:oasis:names:tc:xacml:1.0:subject-category:access-subject', 'urn:oasis:names:tc:xacml:1.0:subject:subject-id'] as const;

/** n rules: rule i permits user-i to read res-i (deny-overrides: every rule's target is checked). */
function policyWithRules(id: string, n: number): string {
  const rules = Array.from(
    { length: n },
    (_, i) => `<Rule RuleId="r${i}" Effect="Permit"><Target><AnyOf><AllOf>${match(`res-${i}`, ...RES)}${match('read', ...ACT)}${match(`user-${i}`, ...SUB)}</AllOf></AnyOf></Target></Rule>`,
  ).join('');
  return `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="${id}" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides"><Target/>${rules}</Policy>`;
}

interface LoadResult {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly permits: number;
}

/** Runs `count` requests from the load-generator process (bench/load-worker.mjs). */
function drive(url: string, key: string, rules: number, count: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'load-worker.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m: ({ ok: true } & LoadResult) | { ok: false; error: string }) => {
      if (m.ok) resolve(m);
      else reject(new Error(m.error));
    });
    child.once('error', reject);
    child.send({ url, key, rules, count, concurrency: CONCURRENCY });
  });
}

async function main(): Promise<void> {
  const provider = process.argv.includes('--postgres') ? 'postgresql' : 'sqlite';
  const db = await createTestDatabase(provider);
  const platform = await startPlatform(defaultConfig({ databaseUrl: db.url, adminApiKey: ADMIN }));
  const server = createServer(platform.app).listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api = async (method: string, path: string, body: unknown, key = ADMIN): Promise<Record<string, unknown>> => {
    const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  try {
    const owner = await api('POST', '/api/v1/principals', { name: 'bench-owner', roles: ['domain-owner'] });
    const key = owner.apiKey as string;
    const project = await api('POST', '/api/v1/projects', { name: 'bench' }, key);
    console.log(`SAFAX-TS HTTP decision benchmark — ${provider}, ${REQUESTS} requests per case, concurrency ${CONCURRENCY}, decision log ${LOG_DETAIL}, node ${process.version}`);
    console.log('| domain | rules | decisions/s | p50 ms | p99 ms |');
    console.log('|---|---|---|---|---|');
    for (const [name, rules] of [
      ['small', 3],
      ['large', 1000],
    ] as const) {
      const domain = await api('POST', `/api/v1/projects/${String(project.id)}/domains`, { name }, key);
      await api('POST', `/api/v1/domains/${String(domain.id)}/policies`, { policies: [{ text: policyWithRules(`bench-${name}`, rules) }] }, key);
      await api('PUT', `/api/v1/domains/${String(domain.id)}/pdp`, { logDetail: LOG_DETAIL }, key);
      const url = `${base}/pdp/${String(domain.pdpId)}`;
      await drive(url, key, rules, WARMUP);
      const r = await drive(url, key, rules, REQUESTS);
      if (r.permits !== REQUESTS) throw new Error(`expected every request permitted, got ${r.permits}/${REQUESTS}`);
      console.log(`| ${name} | ${rules} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`);
    }
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    await platform.close();
    await db.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
