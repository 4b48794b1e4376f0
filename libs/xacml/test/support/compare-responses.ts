/**
 * Compares an actual response with an expected one the way the conformance suite's origin
 * projects do (see /work/shared/conformance/README.md):
 * - a missing Status is ok; only the top-level StatusCode counts (StatusMessage is ignored,
 *   StatusDetail only when asked);
 * - results, obligations, advice, assignments and policy identifiers are multisets;
 * - result Attributes are compared sorted by Category and AttributeId;
 * - values compare by datatype: each value is reduced to its datatype's equality key (or its
 *   canonical form when the datatype has no key), so `27.50` and `27.5` as doubles are equal.
 * Returns human-readable differences, [] when the responses are equal.
 */
import type { AttributeAssignment, PepAction, XacmlResponse, XacmlResult } from '../../src/model/response';
import type { AttributeValue } from '../../src/model/values';

export interface CompareOptions {
  readonly compareStatusDetail?: boolean;
}

export function compareResponses(actual: XacmlResponse, expected: XacmlResponse, options?: CompareOptions): string[] {
  const opts = { compareStatusDetail: options?.compareStatusDetail ?? false };
  const actualKeys = actual.results.map((r) => resultKey(r, opts));
  const expectedKeys = expected.results.map((r) => resultKey(r, opts));
  const unmatchedActual = actual.results.map((_, i) => i);
  const unmatchedExpected: number[] = [];
  expectedKeys.forEach((key, i) => {
    const j = unmatchedActual.findIndex((a) => actualKeys[a] === key);
    if (j >= 0) unmatchedActual.splice(j, 1);
    else unmatchedExpected.push(i);
  });
  if (unmatchedActual.length === 0 && unmatchedExpected.length === 0) return [];

  const diffs: string[] = [];
  if (actual.results.length !== expected.results.length) {
    diffs.push(`${actual.results.length} result(s), expected ${expected.results.length}`);
  }
  // Pair what is left in order and say how each pair differs.
  const pairs = Math.min(unmatchedActual.length, unmatchedExpected.length);
  for (let k = 0; k < pairs; k++) {
    const a = actual.results[unmatchedActual[k]!]!;
    const e = expected.results[unmatchedExpected[k]!]!;
    const label = expected.results.length === 1 ? 'Result' : `Result[${unmatchedExpected[k]! + 1}]`;
    diffs.push(...diffResults(a, e, opts).map((d) => `${label}: ${d}`));
  }
  for (const i of unmatchedExpected.slice(pairs)) diffs.push(`missing result: ${describeResult(expected.results[i]!)}`);
  for (const i of unmatchedActual.slice(pairs)) diffs.push(`unexpected result: ${describeResult(actual.results[i]!)}`);
  return diffs;
}

function diffResults(a: XacmlResult, e: XacmlResult, opts: Required<CompareOptions>): string[] {
  const out: string[] = [];
  if (a.decision !== e.decision) out.push(`decision ${a.decision}, expected ${e.decision}`);
  if (a.status.code !== e.status.code) {
    out.push(`status ${a.status.code}, expected ${e.status.code}${a.status.message ? ` (actual message: ${a.status.message})` : ''}`);
  }
  if (opts.compareStatusDetail) out.push(...multisetDiff('missing-attribute detail', missingKeys(a), missingKeys(e)));
  out.push(...multisetDiff('obligation', a.obligations.map(pepActionKey), e.obligations.map(pepActionKey)));
  out.push(...multisetDiff('advice', a.advice.map(pepActionKey), e.advice.map(pepActionKey)));
  out.push(...multisetDiff('result attribute', attributeKeys(a), attributeKeys(e)));
  out.push(...multisetDiff('policy identifier', policyKeys(a), policyKeys(e)));
  return out.length > 0 ? out : ['differs'];
}

function multisetDiff(what: string, actual: readonly string[], expected: readonly string[]): string[] {
  const left = [...actual];
  const missing: string[] = [];
  for (const e of expected) {
    const i = left.indexOf(e);
    if (i >= 0) left.splice(i, 1);
    else missing.push(e);
  }
  return [...missing.map((m) => `missing ${what} ${m}`), ...left.map((u) => `unexpected ${what} ${u}`)];
}

function resultKey(r: XacmlResult, opts: Required<CompareOptions>): string {
  return JSON.stringify([
    r.decision,
    r.status.code,
    opts.compareStatusDetail ? missingKeys(r).sort() : [],
    r.obligations.map(pepActionKey).sort(),
    r.advice.map(pepActionKey).sort(),
    attributeKeys(r).sort(),
    policyKeys(r).sort(),
  ]);
}

function describeResult(r: XacmlResult): string {
  const parts = [r.decision, r.status.code];
  if (r.obligations.length) parts.push(`obligations ${r.obligations.map(pepActionKey).join(', ')}`);
  if (r.advice.length) parts.push(`advice ${r.advice.map(pepActionKey).join(', ')}`);
  if (r.attributes.length) parts.push(`attributes ${attributeKeys(r).join(', ')}`);
  return parts.join('; ');
}

export function valueKey(v: AttributeValue): string {
  const dt = v.datatype;
  return `${dt.id}:${dt.key ? dt.key(v.value) : dt.format(v.value)}`;
}

function assignmentKey(x: AttributeAssignment): string {
  return `${x.attributeId}${x.category ? ` [${x.category}]` : ''}${x.issuer ? ` (issuer ${x.issuer})` : ''} = ${valueKey(x.value)}`;
}

function pepActionKey(p: PepAction): string {
  const assignments = p.assignments.map(assignmentKey).sort();
  return assignments.length === 0 ? p.id : `${p.id} {${assignments.join('; ')}}`;
}

/** One entry per attribute, sorted by category then id, with its values as a sorted multiset. */
function attributeKeys(r: XacmlResult): string[] {
  const out: string[] = [];
  for (const c of r.attributes) {
    for (const a of c.attributes) {
      out.push(`${c.category} ${a.attributeId}${a.issuer ? ` (issuer ${a.issuer})` : ''} = [${a.values.map(valueKey).sort().join(', ')}]`);
    }
  }
  return out.sort();
}

function policyKeys(r: XacmlResult): string[] {
  const p = r.policyIdentifiers;
  if (!p) return [];
  return [...p.policies.map((x) => `Policy ${x.id} v${x.version}`), ...p.policySets.map((x) => `PolicySet ${x.id} v${x.version}`)];
}

function missingKeys(r: XacmlResult): string[] {
  return (r.status.missingAttributes ?? []).map((m) => `${m.category} ${m.attributeId} ${m.datatype}${m.issuer ? ` (issuer ${m.issuer})` : ''}`);
}
