/** What one test produced and whether it matches what it expects (pure; shared by local and remote runs). */
import type { ExpectedObligation, PolicyTest } from './test-file';

export interface ObservedAction {
  readonly id: string;
  readonly assignments: readonly { attributeId: string; value: string }[];
}

export interface Observed {
  readonly decision: string;
  readonly obligations: readonly ObservedAction[];
  readonly advice: readonly ObservedAction[];
  readonly status?: string;
  /** Why no decision was obtained (remote runs). */
  readonly error?: string;
}

export interface TestResult {
  readonly suite: string;
  readonly name: string;
  readonly outcome: 'passed' | 'failed' | 'skipped';
  readonly ms: number;
  readonly expected: PolicyTest['expect'];
  readonly observed?: Observed;
  readonly reason?: string;
}

function missing(expected: readonly ExpectedObligation[] | undefined, observed: readonly ObservedAction[], what: string): string | undefined {
  for (const e of expected ?? []) {
    const o = observed.find((x) => x.id === e.id);
    if (!o) return `expected ${what} ${e.id}, got ${observed.map((x) => x.id).join(', ') || 'none'}`;
    for (const [attr, value] of Object.entries(e.assignments ?? {})) {
      const got = o.assignments.filter((a) => a.attributeId === attr).map((a) => a.value);
      if (!got.includes(String(value))) return `${what} ${e.id}: expected ${attr} = ${String(value)}, got ${got.join(', ') || 'nothing'}`;
    }
  }
  if (expected !== undefined) {
    const extra = observed.filter((o) => !expected.some((e) => e.id === o.id));
    if (extra.length > 0) return `unexpected ${what} ${extra.map((x) => x.id).join(', ')}`;
  }
  return undefined;
}

/** Undefined when the observation meets the expectation, else the reason it does not. */
export function mismatch(expected: PolicyTest['expect'], observed: Observed): string | undefined {
  if (observed.error !== undefined) return observed.error;
  if (observed.decision !== expected.decision) return `expected ${expected.decision}, got ${observed.decision}${observed.status && !observed.status.endsWith(':ok') ? ` (${observed.status})` : ''}`;
  return missing(expected.obligations, observed.obligations, 'obligation') ?? missing(expected.advice, observed.advice, 'advice');
}
