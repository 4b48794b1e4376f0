/**
 * `npm run bench -w @safax/bench-peers`: SAFAX-TS side by side with cedar-wasm (in-process)
 * and a Cerbos server (HTTP) on one workload (see workload.ts), in one run, printing each
 * system's figures, the ratios the project's performance claims rest on, and whether the
 * systems agree (permits counted against the rules' own answer).
 *
 * Options: --quick (small sizes, for a smoke run), --skip=inprocess,compile,tenants,http.
 * Environment: BENCH_HTTP_REQUESTS (default 20000), BENCH_CONNECTIONS (32), TENANTS (10000),
 * TENANT_CACHE_MB (256), SAFAX_WORKERS (the API's workers; default one per CPU).
 */
import { fork } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { cerbosHttp, safaxHttp, startSafax, type HttpFigures } from './http';
import { MATCH_ORDERS, cedarLatency, compileFigures, xacmlLatency, type Latency } from './inprocess';
import type { TenantFigures } from './tenants';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const SKIP = new Set((args.find((a) => a.startsWith('--skip='))?.slice(7) ?? '').split(',').filter(Boolean));
const SIZES = QUICK ? [10, 100, 1000] : [10, 100, 1_000, 10_000];
const HTTP_REQUESTS = Number(process.env.BENCH_HTTP_REQUESTS ?? (QUICK ? 3000 : 20_000));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

const disagreements: string[] = [];
const summary: string[] = [];
const f1 = (x: number) => x.toFixed(1);
const agree = (what: string, r: { permits: number; expected: number }): string => {
  if (r.permits !== r.expected) disagreements.push(`${what}: ${r.permits} permits, the rules say ${r.expected}`);
  return r.permits === r.expected ? `${r.permits} permits ✓` : `${r.permits} permits ✗ (expected ${r.expected})`;
};
const target = (ok: boolean) => (ok ? 'met' : 'NOT met');

async function inProcess(): Promise<void> {
  console.log('\n## In-process decisions (µs per decision: JSON request object → parse → evaluate; cedar-wasm: statefulIsAuthorized with entities)\n');
  console.log('| system | shape | match order | rules | p50 µs | p99 µs | agreement |');
  console.log('|---|---|---|---|---|---|---|');
  const xacml = new Map<string, Latency>();
  const shapes: [('flat' | 'nested'), readonly (readonly ('action' | 'type' | 'role')[])[]][] = [['flat', MATCH_ORDERS], ['nested', [MATCH_ORDERS[0]!]]];
  for (const [shape, orders] of shapes) {
    for (const order of orders) {
      for (const n of SIZES) {
        const r = await xacmlLatency(shape, order, n, QUICK ? 5000 : 20_000);
        xacml.set(`${shape}/${order.join('-')}/${n}`, r);
        console.log(`| SAFAX-TS | ${shape} | ${order.join(', ')} | ${n} | ${f1(r.p50)} | ${f1(r.p99)} | ${agree(`SAFAX-TS ${shape} ${order.join(',')} ${n}`, r)} |`);
      }
    }
  }
  const cedar = new Map<number, Latency>();
  for (const n of SIZES) {
    const r = await cedarLatency(n, n >= 10_000 ? 300 : n >= 1000 ? 2000 : 5000);
    cedar.set(n, r);
    console.log(`| cedar-wasm | one policy per rule | — | ${n} | ${f1(r.p50)} | ${f1(r.p99)} | ${agree(`cedar-wasm ${n}`, r)} |`);
  }
  const big = SIZES[SIZES.length - 1]!;
  console.log(`\nGrowth, p50 at ${big} rules ÷ p50 at 10 rules (target ≤ 3×):`);
  for (const [shape, orders] of shapes) {
    for (const order of orders) {
      const ratio = xacml.get(`${shape}/${order.join('-')}/${big}`)!.p50 / xacml.get(`${shape}/${order.join('-')}/10`)!.p50;
      console.log(`  ${shape} ${order.join(', ')}: ${ratio.toFixed(2)}× — ${target(ratio <= 3)}`);
      summary.push(`in-process growth ${shape} (${order.join(', ')}) 10 → ${big} rules: ${ratio.toFixed(2)}× (target ≤ 3×: ${target(ratio <= 3)})`);
    }
  }
  console.log('\ncedar-wasm p50 ÷ SAFAX-TS p50 (flat, action first):');
  for (const n of SIZES) {
    const ratio = cedar.get(n)!.p50 / xacml.get(`flat/${MATCH_ORDERS[0]!.join('-')}/${n}`)!.p50;
    const goal = n === 1000 ? ` (target ≥ 100×: ${target(ratio >= 100)})` : '';
    console.log(`  ${n} rules: ${ratio.toFixed(1)}×${goal}`);
    if (n === 1000) summary.push(`SAFAX-TS vs cedar-wasm at 1,000 rules: ${ratio.toFixed(1)}× faster${goal}`);
  }
}

function compile(): void {
  console.log('\n## Compiling large policies\n');
  console.log('| shape | rules | MB of XML | compile ms | heap bytes per compiled rule | engine estimate per rule |');
  console.log('|---|---|---|---|---|---|');
  for (const shape of ['flat', 'nested'] as const) {
    const r = compileFigures(shape, QUICK ? 1000 : 10_000);
    console.log(`| ${shape} | ${r.rules} | ${r.megabytes.toFixed(1)} | ${r.ms.toFixed(0)} | ${r.bytesPerRule.toFixed(0)} | ${r.estimatedPerRule.toFixed(0)} |`);
    summary.push(`compile ${r.rules} rules (${shape}, ${r.megabytes.toFixed(1)} MB): ${r.ms.toFixed(0)} ms${r.rules === 10_000 ? ` (target ≤ 1000 ms: ${target(r.ms <= 1000)})` : ''}; ${r.bytesPerRule.toFixed(0)} bytes per compiled rule`);
  }
}

function tenants(): Promise<void> {
  const domains = Number(process.env.TENANTS ?? (QUICK ? 300 : 10_000));
  const budget = Number(process.env.TENANT_CACHE_MB ?? 256);
  console.log(`\n## Many tenants: ${domains} domains, one 20-rule policy each, PDP cache budget ${budget} MB (API in-process, SQLite, decisions over HTTP)\n`);
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'tenants.ts'), [], { execArgv: ['--expose-gc', '--import', 'tsx'], env: { ...process.env, TENANTS: String(domains), TENANT_CACHE_MB: String(budget) } });
    child.once('message', (t: TenantFigures) => {
      console.log('| RSS baseline MB | RSS after MB | cache MB (entries, evictions) | cold p50 ms | cold p99 ms | warm p50 ms | warm p50 alone ms | setup s |');
      console.log('|---|---|---|---|---|---|---|---|');
      console.log(`| ${t.baselineRssMb.toFixed(0)} | ${t.afterRssMb.toFixed(0)} | ${t.cacheMb.toFixed(0)} (${t.cacheEntries}, ${t.evictions}) | ${t.coldP50.toFixed(2)} | ${t.coldP99.toFixed(2)} | ${t.warmP50.toFixed(2)} | ${t.warmAloneP50.toFixed(2)} | ${t.setupSeconds.toFixed(0)} |`);
      const within = t.afterRssMb <= t.baselineRssMb + t.budgetMb;
      summary.push(`${t.domains} domains under ${t.budgetMb} MB: RSS ${t.baselineRssMb.toFixed(0)} → ${t.afterRssMb.toFixed(0)} MB (within budget + baseline: ${target(within)}); cold p50 ${t.coldP50.toFixed(2)} ms (target ≤ 20: ${target(t.coldP50 <= 20)}); warm p50 ${t.warmP50.toFixed(2)} ms vs ${t.warmAloneP50.toFixed(2)} ms alone`);
    });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tenants bench exited ${code}`))));
  });
}

async function http(): Promise<void> {
  const workers = process.env.SAFAX_WORKERS === undefined ? undefined : Number(process.env.SAFAX_WORKERS);
  console.log(`\n## HTTP decisions: autocannon, ${CONNECTIONS} connections, ${HTTP_REQUESTS} requests per case; SAFAX-TS with ${workers ?? availableParallelism()} workers (SQLite), Cerbos 0.55 (disk policies)\n`);
  console.log('| system | rules | decision log | decisions/s | p50 ms | p99 ms | server CPU µs per decision | agreement |');
  console.log('|---|---|---|---|---|---|---|---|');
  const rows = new Map<string, HttpFigures>();
  const show = (key: string, label: string, rules: number, log: string, r: HttpFigures) => {
    rows.set(key, r);
    console.log(`| ${label} | ${rules} | ${log} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.cpuUs.toFixed(0)} | ${agree(`${label} ${rules} ${log}`, r)} |`);
  };
  const server = await startSafax(workers);
  try {
    for (const rules of [10, 1000]) {
      for (const log of ['decision', 'none'] as const) {
        const url = await server.domain(rules, log);
        show(`safax/${rules}/${log}`, 'SAFAX-TS', rules, log === 'none' ? 'off' : 'on, durable', await safaxHttp(server, url, rules, HTTP_REQUESTS, CONNECTIONS));
      }
    }
  } finally {
    await server.stop();
  }
  // The same with the log written behind (answered before the entry is committed): what durability costs.
  const behind = await startSafax(workers, { SAFAX_LOG_MODE: 'write-behind' });
  try {
    for (const rules of [10, 1000]) show(`safax/${rules}/write-behind`, 'SAFAX-TS', rules, 'on, write-behind', await safaxHttp(behind, await behind.domain(rules, 'decision'), rules, HTTP_REQUESTS, CONNECTIONS));
  } finally {
    await behind.stop();
  }
  for (const rules of [10, 1000]) show(`cerbos/${rules}`, 'Cerbos', rules, 'off (audit disabled)', await cerbosHttp(rules, HTTP_REQUESTS, CONNECTIONS));
  console.log('');
  for (const rules of [10, 1000]) {
    const on = rows.get(`safax/${rules}/decision`)!;
    const off = rows.get(`safax/${rules}/none`)!;
    const cerbos = rows.get(`cerbos/${rules}`)!;
    const ratio = on.rps / cerbos.rps;
    const cost = 1 - on.rps / off.rps;
    console.log(`  ${rules} rules: SAFAX-TS (log on) ÷ Cerbos = ${ratio.toFixed(2)}× (target ≥ 1.5×: ${target(ratio >= 1.5)}); the log costs ${(cost * 100).toFixed(1)}% (target < 10%: ${target(cost < 0.1)}); server CPU per decision: ${on.cpuUs.toFixed(0)} µs (log on), ${off.cpuUs.toFixed(0)} µs (off), Cerbos ${cerbos.cpuUs.toFixed(0)} µs`);
    const behind = rows.get(`safax/${rules}/write-behind`)!;
    console.log(`  ${rules} rules, log written behind: ${(behind.rps / cerbos.rps).toFixed(2)}× Cerbos; the log costs ${((1 - behind.rps / off.rps) * 100).toFixed(1)}%`);
    summary.push(`HTTP ${rules} rules: ${on.rps.toFixed(0)} decisions/s (log on, durable), ${off.rps.toFixed(0)} (off), Cerbos ${cerbos.rps.toFixed(0)}: ${ratio.toFixed(2)}× Cerbos (target ≥ 1.5×: ${target(ratio >= 1.5)}); log cost ${(cost * 100).toFixed(1)}% (target < 10%: ${target(cost < 0.1)}); written behind: ${behind.rps.toFixed(0)}/s, ${(behind.rps / cerbos.rps).toFixed(2)}× Cerbos, cost ${((1 - behind.rps / off.rps) * 100).toFixed(1)}%`);
  }
}

async function main(): Promise<void> {
  console.log(`# SAFAX-TS peer benchmark — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${new Date().toISOString()}${QUICK ? ' (--quick)' : ''}`);
  if (!SKIP.has('inprocess')) await inProcess();
  if (!SKIP.has('compile')) compile();
  if (!SKIP.has('tenants')) await tenants();
  if (!SKIP.has('http')) await http();
  console.log('\n## Summary\n');
  for (const s of summary) console.log(`- ${s}`);
  if (disagreements.length > 0) {
    console.log('\nDECISIONS DISAGREE:');
    for (const d of disagreements) console.log(`- ${d}`);
    process.exitCode = 1;
  } else console.log('- every system gave the decisions the rules give (permits counted)');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
