/** The PDP service for OpenID AuthZEN 1.0: one evaluation, or a batch with its semantics. */
import { parseRequestJson } from '@safax/xacml';
import type { AppDeps } from '../../app-deps';
import { ApiError } from '../../errors/api-error';
import { authzenDecision, authzenToXacmlJson, mergeEvaluation } from '../../pdp/authzen-mapping';
import type { AuthzenDecision, AuthzenEvaluation, AuthzenEvaluations } from '../../pdp/authzen-mapping';
import type { DomainPdp } from '../../pdp/pdp-registry';
import type { Caller } from './evaluation-outcome';
import { logDecision, runEvaluation } from './evaluation-outcome';

/** The answer, and its log entry's write (awaited before anything is answered). */
async function evaluateOne(deps: Pick<AppDeps, 'decisionLog'>, entry: DomainPdp, e: AuthzenEvaluation, caller: Caller, format: string): Promise<{ answer: AuthzenDecision; logged: Promise<void> }> {
  const json = authzenToXacmlJson(e);
  const request = parseRequestJson(json);
  const run = await runEvaluation(entry, request, caller);
  const answer = authzenDecision(run.response.results[0]);
  const logged = logDecision(deps, entry, caller, format, run, { request: JSON.stringify(e), response: JSON.stringify(answer) });
  // Awaited later (a batch waits for all its entries at once); meanwhile not an unhandled rejection.
  logged.catch(() => undefined);
  return { answer, logged };
}

async function answered(one: Promise<{ answer: AuthzenDecision; logged: Promise<void> }>): Promise<AuthzenDecision> {
  const { answer, logged } = await one;
  await logged;
  return answer;
}

export function evaluateAuthzen(deps: Pick<AppDeps, 'decisionLog'>, entry: DomainPdp, e: AuthzenEvaluation, caller: Caller): Promise<AuthzenDecision> {
  return answered(evaluateOne(deps, entry, e, caller, 'authzen'));
}

export async function evaluateAuthzenBatch(deps: Pick<AppDeps, 'decisionLog'>, entry: DomainPdp, batch: AuthzenEvaluations, caller: Caller): Promise<{ evaluations: AuthzenDecision[] } | AuthzenDecision> {
  // Without an evaluations array the call is a single evaluation (AuthZEN 1.0 §7.1).
  if (batch.evaluations === undefined || batch.evaluations.length === 0) {
    const single = mergeEvaluation(batch, {});
    if (typeof single === 'string') throw new ApiError('bad-request', `missing ${single}`);
    return answered(evaluateOne(deps, entry, single, caller, 'authzen'));
  }
  const items = batch.evaluations.map((item, i) => {
    const merged = mergeEvaluation(batch, item);
    if (typeof merged === 'string') throw new ApiError('bad-request', `evaluations[${i}] has no ${merged} and the request gives no default`);
    return merged;
  });
  const semantic = batch.semantic;
  const out: AuthzenDecision[] = [];
  const logged: Promise<void>[] = [];
  for (const [i, item] of items.entries()) {
    const one = await evaluateOne(deps, entry, item, { ...caller, txId: `${caller.txId}.${i}` }, 'authzen-batch');
    const answer = one.answer;
    logged.push(one.logged);
    out.push(answer);
    if (semantic === 'deny_on_first_deny' && !answer.decision) break;
    if (semantic === 'permit_on_first_permit' && answer.decision) break;
  }
  await Promise.all(logged);
  return { evaluations: out };
}
