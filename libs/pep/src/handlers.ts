/**
 * Obligation and advice handlers: a registry per client, keyed by id, fixed at construction.
 * `enforce` turns the PDP's answer into what the PEP enforces (XACML 3.0 core §7.18): a
 * Permit stands only if every obligation has a handler and every handler succeeds, and the
 * handlers run before access is granted. Advice is best effort.
 */
import type { DecisionResult, FailureCause, HandlerProblem, PdpAnswer, PepAction } from './decision';
import { PepConfigError } from './errors';
import type { PepRequest } from './request';

export interface HandlerContext<C> {
  /** What the PEP passed to decide() as `context` (e.g. { req, res } in the express middleware). */
  readonly context: C;
  readonly request: PepRequest;
  /** The PDP's decision the obligation is attached to (Permit or Deny). */
  readonly decision: 'Permit' | 'Deny';
  readonly transactionId: string | undefined;
  /** Index of the request in decideMany; 0 for decide. */
  readonly index: number;
  /** The call's deadline or the caller's abort. */
  readonly signal: AbortSignal;
}

/** Fulfils an obligation or acts on an advice; throw (or reject) when it cannot. */
export type PepActionHandler<C = unknown> = (action: PepAction, ctx: HandlerContext<C>) => void | Promise<void>;

export type HandlerMap<C> = Readonly<Record<string, PepActionHandler<C>>>;

/** For obligations the PEP enforces itself after decide() from `result.obligations` (registering says "I will"). */
export const acceptObligation: PepActionHandler<unknown> = () => {};

/** Values of one attribute of an obligation or advice, in order. */
export function assignmentValues(action: PepAction, attributeId: string): string[] {
  return action.assignments.filter((a) => a.attributeId === attributeId).map((a) => a.value);
}

/** The single value of an attribute, or undefined when it is absent or given several times. */
export function assignmentValue(action: PepAction, attributeId: string): string | undefined {
  const values = assignmentValues(action, attributeId);
  return values.length === 1 ? values[0] : undefined;
}

export function checkHandlers<C>(map: HandlerMap<C> | undefined, what: string): Map<string, PepActionHandler<C>> {
  const out = new Map<string, PepActionHandler<C>>();
  if (map === undefined) return out;
  if (map === null || typeof map !== 'object') throw new PepConfigError(`${what} must be an object of id → handler`);
  for (const [id, fn] of Object.entries(map)) {
    if (id === '') throw new PepConfigError(`${what}: an id must not be empty`);
    if (typeof fn !== 'function') throw new PepConfigError(`${what}["${id}"] must be a function`);
    out.set(id, fn);
  }
  return out;
}

export interface EnforceInput<C> {
  readonly answer: PdpAnswer;
  readonly transactionId: string | undefined;
  readonly cached: boolean;
  readonly request: PepRequest;
  readonly context: C;
  readonly index: number;
  readonly signal: AbortSignal;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function enforce<C>(input: EnforceInput<C>, obligations: ReadonlyMap<string, PepActionHandler<C>>, advice: ReadonlyMap<string, PepActionHandler<C>>): Promise<DecisionResult> {
  const { answer } = input;
  const problems: HandlerProblem[] = [];
  const result = (allowed: boolean, cause?: FailureCause): DecisionResult => ({
    ...answer,
    allowed,
    enforced: allowed ? 'Permit' : 'Deny',
    transactionId: input.transactionId,
    cached: input.cached,
    handlerProblems: problems,
    ...(cause ? { cause } : {}),
  });

  if (answer.decision === 'NotApplicable') return result(false, { code: 'not-applicable', message: 'no policy of the domain applies to the request' });
  if (answer.decision === 'Indeterminate') {
    return result(false, { code: 'indeterminate', message: `the PDP could not decide: ${answer.status.message ?? answer.status.code}` });
  }

  const ctx: HandlerContext<C> = { context: input.context, request: input.request, decision: answer.decision, transactionId: input.transactionId, index: input.index, signal: input.signal };
  const runAdvice = async (): Promise<void> => {
    for (const a of answer.advice) {
      const handler = advice.get(a.id);
      if (!handler) continue;
      try {
        await handler(a, ctx);
      } catch (error) {
        problems.push({ kind: 'advice', id: a.id, error });
      }
    }
  };

  if (answer.decision === 'Deny') {
    // Deny stays Deny; obligations that come with it are still carried out where a handler exists.
    for (const o of answer.obligations) {
      const handler = obligations.get(o.id);
      if (!handler) continue;
      try {
        await handler(o, ctx);
      } catch (error) {
        problems.push({ kind: 'obligation', id: o.id, error });
      }
    }
    await runAdvice();
    return result(false);
  }

  // Permit: check every obligation is understood before any handler acts.
  const unknown = answer.obligations.find((o) => !obligations.has(o.id));
  if (unknown) return result(false, { code: 'unhandled-obligation', message: `no handler for obligation ${unknown.id}`, obligationId: unknown.id });
  for (const o of answer.obligations) {
    try {
      await obligations.get(o.id)!(o, ctx);
    } catch (error) {
      return result(false, { code: 'obligation-failed', message: `the handler of obligation ${o.id} failed: ${messageOf(error)}`, obligationId: o.id, error });
    }
  }
  await runAdvice();
  return result(true);
}
