/**
 * Many tenants, in a process of its own (so its RSS is the platform's): the API in-process on
 * SQLite with a PDP cache budget, N domains with one 20-rule policy each, every domain decided
 * once (cold: the PDP is compiled, most often after others were evicted) and the most recent
 * ones again (warm). Reports RSS before and after, the cache's own account, and latencies.
 * Run by run.ts as `node --import tsx src/tenants.ts` with the parameters in its environment.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getHeapSpaceStatistics } from 'node:v8';
import { defaultConfig } from '../../../apps/api/src/config/app-config';
import { startPlatform } from '../../../apps/api/src/platform';
import { applyV8MemorySettings } from '../../../apps/api/src/server/v8-memory';
import { createTestDatabase } from '../../../apps/api/test/support/test-database';
import { workloadRequests, workloadRules, xacmlFlat, xacmlJsonRequest } from './workload';

const ADMIN = 'sfx_bench_tenants_admin_key_0123456789abcdef';

export interface TenantFigures {
  readonly domains: number;
  readonly budgetMb: number;
  readonly baselineRssMb: number;
  readonly afterRssMb: number;
  readonly cacheMb: number;
  readonly cacheEntries: number;
  readonly evictions: number;
  readonly coldP50: number;
  readonly coldP99: number;
  readonly warmP50: number;
  /** Warm p50 of one domain alone, before the others existed. */
  readonly warmAloneP50: number;
  readonly setupSeconds: number;
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
/** The process's memory after a full collection: RSS, and the V8 heap and off-heap parts (MB). */
const memory = () => {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
  // Space by space (used/committed), e.g. the young generation's committed semi-spaces.
  const spaces = Object.fromEntries(getHeapSpaceStatistics().filter((sp) => sp.space_size > 0).map((sp) => [sp.space_name.replace(/_space$/, ''), `${mb(sp.space_used_size)}/${mb(sp.space_size)}`]));
  return { rss: m.rss / 1024 / 1024, heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external), spaces };
};

async function main(): Promise<void> {
  const domains = Number(process.env.TENANTS ?? 10_000);
  const budgetMb = Number(process.env.TENANT_CACHE_MB ?? 256);
  // The platform as main.ts starts it.
  applyV8MemorySettings();
  const db = await createTestDatabase('sqlite');
  const platform = await startPlatform(defaultConfig({ databaseUrl: db.url, adminApiKey: ADMIN, pdpCacheBytes: budgetMb * 1024 * 1024 }));
  const server = createServer(platform.app).listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api = async (method: string, path: string, body: unknown, type = 'application/json'): Promise<Record<string, unknown>> => {
    const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': type, authorization: `Bearer ${ADMIN}` }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const policy = xacmlFlat(workloadRules(20));
  const request = JSON.stringify(xacmlJsonRequest(workloadRequests(20, 1)[0]!));
  const decide = async (pdpId: string): Promise<number> => {
    const t0 = performance.now();
    const res = await fetch(`${base}/pdp/${pdpId}`, { method: 'POST', headers: { 'content-type': 'application/xacml+json', authorization: `Bearer ${ADMIN}` }, body: request });
    await res.text();
    if (!res.ok) throw new Error(`decision: HTTP ${res.status}`);
    return performance.now() - t0;
  };
  try {
    const project = await api('POST', '/api/v1/projects', { name: 'tenants' });
    const make = async (i: number): Promise<string> => {
      const d = await api('POST', `/api/v1/projects/${String(project.id)}/domains`, { name: `t${i}` });
      await api('POST', `/api/v1/domains/${String(d.id)}/policies`, policy, 'application/xml');
      await api('PUT', `/api/v1/domains/${String(d.id)}/pdp`, { logDetail: 'none' });
      return String(d.pdpId);
    };
    const first = await make(0);
    for (let i = 0; i < 200; i++) await decide(first);
    const alone: number[] = [];
    for (let i = 0; i < 500; i++) alone.push(await decide(first));
    const baseline = memory();

    const t0 = performance.now();
    const pdpIds = [first];
    // Setup through the API, a few requests at a time.
    for (let i = 1; i < domains; i += 8) {
      pdpIds.push(...(await Promise.all(Array.from({ length: Math.min(8, domains - i) }, (_, k) => make(i + k)))));
    }
    const setupSeconds = (performance.now() - t0) / 1000;
    platform.deps.pdps.invalidateAll();

    const cold: number[] = [];
    for (const id of pdpIds) cold.push(await decide(id));
    const recent = pdpIds.slice(-50);
    for (const id of recent) await decide(id);
    const warm: number[] = [];
    for (let i = 0; i < 1000; i++) warm.push(await decide(recent[i % recent.length]!));
    const after = memory();
    const stats = platform.deps.pdps.stats;
    const figures: TenantFigures = {
      domains,
      budgetMb,
      baselineRssMb: baseline.rss,
      afterRssMb: after.rss,
      cacheMb: stats.bytes / 1024 / 1024,
      cacheEntries: stats.entries,
      evictions: stats.evictions,
      coldP50: percentile(cold, 50),
      coldP99: percentile(cold, 99),
      warmP50: percentile(warm, 50),
      warmAloneP50: percentile(alone, 50),
      setupSeconds,
    };
    // Where the memory is (run.ts shows the table above; this line is for diagnosis).
    console.error(`tenants memory MB: baseline ${JSON.stringify(baseline)}, after ${JSON.stringify(after)}`);
    process.send?.(figures);
    if (!process.send) console.log(JSON.stringify(figures, null, 2));
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
