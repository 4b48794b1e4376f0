/**
 * The result of evaluating a rule, policy or policy set: an extended decision (XACML 3.0
 * §7.10: Indeterminate{D}, {P}, {DP}), the status behind an Indeterminate, the obligations and
 * advice gathered so far, and (when asked) the policies that were applicable.
 */
import type { IdReference, PepAction } from '../model/response';
import type { Status } from '../model/status';

export enum D {
  Permit = 0,
  Deny = 1,
  NotApplicable = 2,
  IndeterminateD = 3,
  IndeterminateP = 4,
  IndeterminateDP = 5,
}

export interface Outcome {
  readonly d: D;
  readonly status?: Status;
  readonly obligations: readonly PepAction[];
  readonly advice: readonly PepAction[];
  /** Applicable policies and policy sets under (and including) this node, when collected. */
  readonly policies?: readonly IdReference[];
  readonly policySets?: readonly IdReference[];
}

const NONE: readonly never[] = Object.freeze([]);

export const NOT_APPLICABLE: Outcome = Object.freeze({ d: D.NotApplicable, obligations: NONE, advice: NONE });
export const PERMIT: Outcome = Object.freeze({ d: D.Permit, obligations: NONE, advice: NONE });
export const DENY: Outcome = Object.freeze({ d: D.Deny, obligations: NONE, advice: NONE });

export function indeterminate(d: D.IndeterminateD | D.IndeterminateP | D.IndeterminateDP, status: Status | undefined): Outcome {
  return status ? { d, status, obligations: NONE, advice: NONE } : { d, obligations: NONE, advice: NONE };
}

export function isIndeterminate(d: D): boolean {
  return d >= D.IndeterminateD;
}

export function decisionName(d: D): 'Permit' | 'Deny' | 'NotApplicable' | 'Indeterminate' {
  switch (d) {
    case D.Permit:
      return 'Permit';
    case D.Deny:
      return 'Deny';
    case D.NotApplicable:
      return 'NotApplicable';
    case D.IndeterminateD:
    case D.IndeterminateP:
    case D.IndeterminateDP:
      return 'Indeterminate';
  }
}

export function traceName(d: D): 'Permit' | 'Deny' | 'NotApplicable' | 'Indeterminate{D}' | 'Indeterminate{P}' | 'Indeterminate{DP}' {
  switch (d) {
    case D.Permit:
      return 'Permit';
    case D.Deny:
      return 'Deny';
    case D.NotApplicable:
      return 'NotApplicable';
    case D.IndeterminateD:
      return 'Indeterminate{D}';
    case D.IndeterminateP:
      return 'Indeterminate{P}';
    case D.IndeterminateDP:
      return 'Indeterminate{DP}';
  }
}

/** Concatenates PEP action lists without allocating when one side is empty. */
export function concatActions(a: readonly PepAction[], b: readonly PepAction[]): readonly PepAction[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  return [...a, ...b];
}
