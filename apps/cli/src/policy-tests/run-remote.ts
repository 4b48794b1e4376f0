/** Runs a suite against a domain's PDP-URL through @safax/pep. */
import type { DecisionResult } from '@safax/pep';
import { pdpClient } from '../pdp-client';
import type { RequestFormat } from '../requests';
import { mismatch } from './outcome';
import type { Observed, TestResult } from './outcome';
import type { TestSuite } from './test-file';

/** Causes where the PDP did not answer: the test fails with the cause, not a decision. */
const NO_ANSWER = new Set(['timeout', 'network', 'server-error', 'rate-limited', 'unauthorized', 'rejected', 'malformed-response', 'circuit-open', 'aborted', 'invalid-request', 'closed']);

export function observedOf(r: DecisionResult): Observed {
  const act = (list: DecisionResult['obligations']) => list.map((o) => ({ id: o.id, assignments: o.assignments.map((a) => ({ attributeId: a.attributeId, value: a.value })) }));
  const error = r.cause && NO_ANSWER.has(r.cause.code) ? `no decision: ${r.cause.code}: ${r.cause.message}` : undefined;
  return { decision: r.decision, obligations: act(r.obligations), advice: act(r.advice), status: r.status.code, ...(error ? { error } : {}) };
}

export async function runRemote(suite: TestSuite, target: { pdpUrl: string; apiKey: string | undefined; format: RequestFormat; timeoutMs: number }, onResult: (r: TestResult) => void = () => undefined): Promise<TestResult[]> {
  const client = pdpClient(target.pdpUrl, target.apiKey, target.format, target.timeoutMs);
  const out: TestResult[] = [];
  try {
    for (const t of suite.tests) {
      const started = performance.now();
      let result: TestResult;
      if (t.skip !== undefined) {
        result = { suite: suite.name, name: t.name, outcome: 'skipped', ms: 0, expected: t.expect, reason: t.skip };
      } else {
        const observed = observedOf(await client.decide(t.request));
        const why = mismatch(t.expect, observed);
        result = { suite: suite.name, name: t.name, outcome: why ? 'failed' : 'passed', ms: performance.now() - started, expected: t.expect, observed, ...(why ? { reason: why } : {}) };
      }
      out.push(result);
      onResult(result);
    }
  } finally {
    await client.close();
  }
  return out;
}
