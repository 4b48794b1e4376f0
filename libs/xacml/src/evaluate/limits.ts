/**
 * Bounds on what one evaluation may spend, so that a small policy cannot make the PDP build
 * huge values or walk a huge tree: a 3 KB policy doubling a string through 25 variables
 * would otherwise produce a quarter of a gigabyte, and a chain of references that each name
 * the next policy set twice evaluates 2^depth policies.
 *
 * Exceeding a bound stops the whole evaluation: the decision is Indeterminate with a
 * processing-error status naming the bound (never a combining algorithm's choice among
 * partial results, and never "internal error").
 */
import type { Status } from '../model/status';
import { STATUS } from '../model/identifiers';
import type { EvalContext } from './eval-context';

export interface EvaluationLimits {
  /** Characters of one string a function produces. */
  readonly maxStringLength: number;
  /** Values of one bag a function produces. */
  readonly maxBagSize: number;
  /** Characters and bag values all function calls of one evaluation produce together. */
  readonly maxProducedSize: number;
  /** Characters of the obligation and advice attribute values of one decision. */
  readonly maxResponseChars: number;
  /** Policies and policy sets evaluated for one decision (reference fan-out). */
  readonly maxPolicyEvaluations: number;
  /** Policies and policy sets being evaluated inside one another (reference chains). */
  readonly maxPolicyDepth: number;
}

export const DEFAULT_EVALUATION_LIMITS: EvaluationLimits = Object.freeze({
  maxStringLength: 1 << 20,
  maxBagSize: 10_000,
  maxProducedSize: 16 << 20,
  maxResponseChars: 4 << 20,
  maxPolicyEvaluations: 20_000,
  maxPolicyDepth: 256,
});

/** Thrown past a bound; not an IndeterminateError, so no expression or combining algorithm absorbs it. */
export class EvaluationLimitError extends Error {
  override readonly name = 'EvaluationLimitError';
  readonly status: Status;
  constructor(message: string) {
    super(message);
    this.status = { code: STATUS.processingError, message: `evaluation limit exceeded: ${message}` };
  }
}

/** What an evaluation counts against its limits (EvalState implements it). */
export interface EvaluationBudget {
  readonly limits: EvaluationLimits;
  /** Counts `size` (characters or bag values) a function call produced. */
  produce(size: number, functionId: string): void;
}

function budgetOf(ctx: EvalContext): EvaluationBudget | undefined {
  return (ctx as Partial<{ budget: EvaluationBudget }>).budget;
}

/** Before a function builds a string of `length` characters. */
export function chargeString(ctx: EvalContext, functionId: string, length: number): void {
  const b = budgetOf(ctx);
  if (!b) return;
  if (length > b.limits.maxStringLength) throw new EvaluationLimitError(`${functionId} would produce a string of ${length} characters; the limit is ${b.limits.maxStringLength}`);
  b.produce(length, functionId);
}

/** After a function built a bag of `size` values (before it is returned). */
export function chargeBag(ctx: EvalContext, functionId: string, size: number): void {
  const b = budgetOf(ctx);
  if (!b) return;
  if (size > b.limits.maxBagSize) throw new EvaluationLimitError(`${functionId} would produce a bag of ${size} values; the limit is ${b.limits.maxBagSize}`);
  b.produce(size, functionId);
}
