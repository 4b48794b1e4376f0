/** Reads one decision log entry by transaction id. */
import type { AppDeps } from '../../app-deps';
import { notFound } from '../../errors/api-error';
import { decisionView, namesFor } from './query-decisions';

export async function getDecision(deps: Pick<AppDeps, 'repos' | 'decisionLog'>, domainId: string, txId: string) {
  await deps.decisionLog.flush();
  const e = await deps.repos.decisions.find(domainId, txId);
  if (!e) throw notFound('decision');
  return decisionView(e, await namesFor(deps, [e]));
}
