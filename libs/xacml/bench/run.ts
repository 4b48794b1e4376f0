/**
 * `npm run bench -w @safax/xacml`: decisions per second and p50/p99 latency of the engine for
 * (a) the conformance requests and (b) synthetic multi-tenant policy sets of 10 to 10,000 rules.
 * "decide" times `pdp.evaluate` on a parsed request; "xml" adds request parsing and response
 * serialisation.
 */
import { readFileSync } from 'node:fs';
import { compilePdp, parseRequestXml, serializeResponseXml, type Pdp, type XacmlRequest } from '../src/index';
import { conformanceCases } from '../test/conformance/suite';
import { syntheticPolicySet, syntheticRequest } from './synthetic-policy';

interface Stats {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

async function measure(iterations: number, once: (i: number) => Promise<unknown>): Promise<Stats> {
  for (let i = 0; i < Math.min(2000, iterations); i++) await once(i); // warm-up: JIT and caches
  const samples = new Float64Array(iterations);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    await once(i);
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  const totalMs = Number(process.hrtime.bigint() - start) / 1e6;
  samples.sort();
  return { perSecond: (iterations / totalMs) * 1000, p50: samples[Math.floor(iterations * 0.5)]!, p99: samples[Math.floor(iterations * 0.99)]! };
}

const fmt = (s: Stats) => `${Math.round(s.perSecond).toLocaleString('en-US').padStart(9)} decisions/s   p50 ${s.p50.toFixed(1).padStart(7)} µs   p99 ${s.p99.toFixed(1).padStart(7)} µs`;

async function conformance(): Promise<void> {
  const cases = conformanceCases().required.filter((c) => c.expect.kind === 'response' && !c.attributeProviderFile);
  const loaded: { pdp: Pdp; request: XacmlRequest; text: string }[] = [];
  for (const c of cases) {
    try {
      const pdp = compilePdp(c.policyFiles.map((f) => ({ text: readFileSync(f, 'utf8') })), { rootPolicyIds: [rootIdOf(readFileSync(c.policyFiles[0]!, 'utf8'))] });
      const text = readFileSync((c.expect as { requestFile: string }).requestFile, 'utf8');
      loaded.push({ pdp, request: parseRequestXml(text), text });
    } catch {
      // Cases that must be refused are not decisions.
    }
  }
  const n = 50_000;
  console.log(`(a) conformance requests (${loaded.length} policy/request pairs, ${n.toLocaleString('en-US')} decisions)`);
  console.log(`    decide ${fmt(await measure(n, (i) => { const x = loaded[i % loaded.length]!; return x.pdp.evaluate(x.request); }))}`);
  console.log(`    xml    ${fmt(await measure(n, async (i) => { const x = loaded[i % loaded.length]!; return serializeResponseXml((await x.pdp.evaluate(parseRequestXml(x.text))).response); }))}`);
}

function rootIdOf(text: string): string {
  return /(?:PolicySetId|PolicyId)="([^"]+)"/.exec(text)?.[1] ?? '';
}

async function synthetic(): Promise<void> {
  console.log('(b) synthetic multi-tenant RBAC/ABAC policy set (resource type × action × role, every 5th rule with a condition)');
  for (const rules of [10, 100, 1_000, 10_000]) {
    const t0 = process.hrtime.bigint();
    // A 10,000-rule set is ~10 MB of XML: above the default limits for untrusted uploads.
    const pdp = compilePdp([{ text: syntheticPolicySet(rules) }], { limits: { maxBytes: 64 * 1024 * 1024, maxElements: 2_000_000 } });
    const compileMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const texts = Array.from({ length: 1000 }, (_, i) => syntheticRequest(rules, i));
    const requests = texts.map((t) => parseRequestXml(t));
    const n = 50_000;
    const decide = await measure(n, (i) => pdp.evaluate(requests[i % requests.length]!));
    const xml = await measure(n, async (i) => serializeResponseXml((await pdp.evaluate(parseRequestXml(texts[i % texts.length]!))).response));
    console.log(`    ${String(rules).padStart(6)} rules (compiled in ${compileMs.toFixed(0)} ms)`);
    console.log(`        decide ${fmt(decide)}`);
    console.log(`        xml    ${fmt(xml)}`);
  }
}

async function main(): Promise<void> {
  console.log(`SAFAX-TS XACML engine benchmark — node ${process.version}, ${new Date().toISOString()}`);
  await conformance();
  await synthetic();
}

void main();
