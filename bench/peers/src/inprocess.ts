/**
 * In-process figures: p50/p99 per decision for SAFAX-TS (XACML JSON request object → parse →
 * evaluate) and cedar-wasm (isAuthorized on a preparsed policy set, entities per request), and
 * the compile time and memory of large XACML policies.
 */
import { compilePdp, parseRequestJson } from '@safax/xacml';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { MATCH_ORDERS, cedarPolicies, cedarRequest, expectedPermit, workloadRequests, workloadRules, xacmlFlat, xacmlJsonRequest, xacmlNested, type MatchKind } from './workload';

export interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly permits: number;
  readonly expected: number;
}

/** Big policies pass the engine's default document limits only when asked, as the platform's config does. */
const LIMITS = { maxBytes: 64 * 1024 * 1024, maxElements: 5_000_000 };

async function measure(iterations: number, once: (i: number) => boolean | Promise<boolean>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < Math.min(iterations, 2000); i++) await once(i);
  const samples = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    await once(i);
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  samples.sort();
  return { p50: samples[Math.floor(iterations * 0.5)]!, p99: samples[Math.floor(iterations * 0.99)]! };
}

export async function xacmlLatency(shape: 'flat' | 'nested', order: readonly MatchKind[], n: number, iterations: number): Promise<Latency> {
  const rules = workloadRules(n);
  const text = shape === 'flat' ? xacmlFlat(rules, order) : xacmlNested(rules, order);
  const pdp = compilePdp([{ text }], { limits: LIMITS });
  const requests = workloadRequests(n, 1000);
  const bodies = requests.map(xacmlJsonRequest);
  const expected = requests.filter((r) => expectedPermit(rules, r)).length;
  // The whole call a PDP makes per request: JSON request object → parse → evaluate.
  const once = async (i: number): Promise<boolean> => (await pdp.evaluate(parseRequestJson(bodies[i % bodies.length]))).response.results[0]?.decision === 'Permit';
  const stats = await measure(iterations, once);
  let permits = 0;
  for (let i = 0; i < bodies.length; i++) if (await once(i)) permits++;
  return { ...stats, permits, expected };
}

export async function cedarLatency(n: number, iterations: number): Promise<Latency> {
  const rules = workloadRules(n);
  const id = `workload-${n}`;
  const parsed = cedar.preparsePolicySet(id, { staticPolicies: cedarPolicies(rules) });
  if (parsed.type !== 'success') throw new Error(`cedar: ${JSON.stringify(parsed.errors).slice(0, 500)}`);
  const requests = workloadRequests(n, 1000);
  const calls = requests.map(cedarRequest);
  const expected = requests.filter((r) => expectedPermit(rules, r)).length;
  const once = (i: number): boolean => {
    const c = calls[i % calls.length]!;
    const a = cedar.statefulIsAuthorized({ ...c, entities: c.entities as cedar.Entities, preparsedPolicySetId: id });
    if (a.type !== 'success') throw new Error(`cedar: ${JSON.stringify(a.errors).slice(0, 500)}`);
    return a.response.decision === 'allow';
  };
  const stats = await measure(iterations, once);
  let permits = 0;
  for (let i = 0; i < calls.length; i++) if (once(i)) permits++;
  return { ...stats, permits, expected };
}

export interface CompileFigures {
  readonly rules: number;
  readonly shape: string;
  readonly megabytes: number;
  readonly ms: number;
  /** Heap held by the compiled PDP per rule (measured), and the engine's own estimate. */
  readonly bytesPerRule: number;
  readonly estimatedPerRule: number;
}

export function compileFigures(shape: 'flat' | 'nested', n: number): CompileFigures {
  const gc = (globalThis as { gc?: () => void }).gc;
  const text = shape === 'flat' ? xacmlFlat(workloadRules(n)) : xacmlNested(workloadRules(n));
  // A flat string, as a document read from storage or a request body is.
  const flat = Buffer.from(text).toString();
  compilePdp([{ text: xacmlFlat(workloadRules(100)) }]);
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const pdp = compilePdp([{ text: flat }], { limits: LIMITS });
  const ms = performance.now() - t0;
  gc?.();
  const held = process.memoryUsage().heapUsed - before;
  return { rules: n, shape, megabytes: flat.length / 1e6, ms, bytesPerRule: gc ? held / n : NaN, estimatedPerRule: pdp.estimatedBytes / n };
}

export { MATCH_ORDERS };
