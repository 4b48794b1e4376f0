/**
 * Decision-log retention: entries older than their domain's `logRetentionDays` are pruned
 * behind a signed anchor checkpoint (so the kept chain still verifies). Runs at start and
 * every SAFAX_LOG_PRUNE_MS on each replica (pruning is idempotent and locks the chain).
 */
import type { AppDeps } from '../../app-deps';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function pruneDecisionLogs(deps: Pick<AppDeps, 'repos' | 'logSeal'>, now: Date = new Date()): Promise<{ domains: number; pruned: number }> {
  let domains = 0;
  let pruned = 0;
  for (const { domainId, days } of await deps.repos.decisionChain.retention()) {
    const r = await deps.repos.decisionChain.prune(domainId, new Date(now.getTime() - days * DAY_MS), deps.logSeal);
    if (r.pruned > 0) domains++;
    pruned += r.pruned;
  }
  return { domains, pruned };
}

/** Prunes now and every `everyMs` (0: never); the timer does not keep the process alive. */
export function startLogPruner(deps: Pick<AppDeps, 'repos' | 'logSeal' | 'log'>, everyMs: number): { stop(): void } {
  if (everyMs <= 0) return { stop: () => undefined };
  const run = () =>
    void pruneDecisionLogs(deps).then(
      (r) => {
        if (r.pruned > 0) deps.log.info('decision logs pruned to their retention', r);
      },
      (err: unknown) => deps.log.error('decision log pruning failed', { error: String(err) }),
    );
  const first = setTimeout(run, 1000);
  first.unref();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
