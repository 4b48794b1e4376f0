/**
 * PAP changes of one domain plan from a snapshot (the active set, the stored versions), compile
 * the result, then publish it expecting the snapshot unchanged. Run in parallel they would
 * refuse each other (409 "changed while prepared"). So, per domain: this process runs them one
 * at a time (a promise queue), and a change that still finds its snapshot stale — another
 * replica wrote in between — plans again, a few times, before answering the 409.
 */
import { ApiError } from '../../errors/api-error';
import { ACTIVE_SET_CHANGED } from '../../repositories/ports';

const queues = new Map<string, Promise<unknown>>();
const REPLANS = 4;

function staleSnapshot(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'conflict' && (e.details as { reason?: unknown } | undefined)?.reason === ACTIVE_SET_CHANGED;
}

async function replanning<T>(change: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await change();
    } catch (e) {
      if (attempt > REPLANS || !staleSnapshot(e)) throw e;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.floor(Math.random() * 20)));
    }
  }
}

/** Runs `change` (plan, compile, publish) after the domain's earlier changes in this process. */
export function serialisedPapWrite<T>(domainId: string, change: () => Promise<T>): Promise<T> {
  const before = queues.get(domainId) ?? Promise.resolve();
  const run = before.then(
    () => replanning(change),
    () => replanning(change),
  );
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(domainId, tail);
  void tail.then(() => {
    if (queues.get(domainId) === tail) queues.delete(domainId);
  });
  return run;
}
