/**
 * Per-evaluation facts the engine's resolver cannot be handed directly (the resolver is fixed
 * when a PDP is compiled): who called and under which transaction id. Carried across awaits
 * by AsyncLocalStorage.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface EvaluationContext {
  readonly txId: string;
  readonly callerId: string | null;
}

export const evaluationContext = new AsyncLocalStorage<EvaluationContext>();
