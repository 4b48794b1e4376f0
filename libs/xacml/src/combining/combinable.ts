/**
 * What a combining algorithm combines (rules, or policies and policy sets) and the helper that
 * builds the combined outcome: obligations and advice from the children that gave the final
 * decision, applicable policy ids from every evaluated child that was not NotApplicable.
 */
import type { IdReference, PepAction } from '../model/response';
import type { Status } from '../model/status';
import type { EvalState } from '../evaluate/eval-state';
import { D, type Outcome } from '../evaluate/outcome';

export const MATCH = 0;
export const NO_MATCH = 1;
export type Applicability = typeof MATCH | typeof NO_MATCH | Status;

export interface Combinable {
  evaluate(s: EvalState): Outcome;
  /** Target only (for only-one-applicable). */
  applicable(s: EvalState): Applicability;
}

export interface CombiningAlgorithm {
  readonly id: string;
  combine(children: readonly Combinable[], s: EvalState): Outcome;
}

const NONE: readonly never[] = Object.freeze([]);

/** Collects children outcomes while an algorithm runs. */
export class Gathered {
  private readonly byDecision: Outcome[][] = [[], []];
  private applicable: Outcome[] | undefined;
  firstStatus: Status | undefined;

  constructor(collectIds: boolean) {
    if (collectIds) this.applicable = [];
  }

  add(o: Outcome): void {
    if (o.d === D.Permit || o.d === D.Deny) {
      if (o.obligations.length > 0 || o.advice.length > 0) this.byDecision[o.d]!.push(o);
    } else if (o.d !== D.NotApplicable) {
      this.firstStatus ??= o.status;
    }
    if (this.applicable && o.d !== D.NotApplicable && (o.policies || o.policySets)) this.applicable.push(o);
  }

  /** The combined outcome; obligations/advice from the children whose decision is `d`. */
  result(d: D, status?: Status, only?: Outcome): Outcome {
    const contributing = only ? (only.obligations.length > 0 || only.advice.length > 0 ? [only] : []) : d === D.Permit || d === D.Deny ? this.byDecision[d]! : [];
    const obligations = flat(contributing, (o) => o.obligations);
    const advice = flat(contributing, (o) => o.advice);
    const base: { d: D; status?: Status; obligations: readonly PepAction[]; advice: readonly PepAction[]; policies?: readonly IdReference[]; policySets?: readonly IdReference[] } = { d, obligations, advice };
    if (status && d >= D.IndeterminateD) base.status = status;
    if (this.applicable) {
      base.policies = flat(this.applicable, (o) => o.policies ?? NONE);
      base.policySets = flat(this.applicable, (o) => o.policySets ?? NONE);
    }
    return base;
  }
}

function flat<T>(list: readonly Outcome[], pick: (o: Outcome) => readonly T[]): readonly T[] {
  if (list.length === 0) return NONE;
  if (list.length === 1) return pick(list[0]!);
  const out: T[] = [];
  for (const o of list) out.push(...pick(o));
  return out;
}
