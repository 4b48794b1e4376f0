/**
 * Retries and the circuit breaker (cockatiel), and the one place that says which failures
 * may be retried and which count against the PDP.
 *
 * Retried (bounded, with jittered exponential backoff, within the call's deadline): a request
 * none of whose bytes was sent (connection refused, DNS, a socket lost before writing), and
 * the HTTP answers 429, 502, 503, 504, which say the request was not decided (Retry-After
 * honoured up to maxRetryDelayMs). Never retried: a timeout, a connection lost after the
 * request was written, any other status, an unreadable answer; a decision may have been made.
 */
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, DelegateBackoff, circuitBreaker, handleWhen, retry, wrap } from 'cockatiel';
import type { IPolicy } from 'cockatiel';
import { MalformedResponseError } from './wire/codec';
import { TransportError } from './transport/transport';

/** An HTTP answer other than 200. */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
    readonly transactionId: string | undefined,
  ) {
    super(`the PDP answered HTTP ${status}`);
  }
}

/** The call's own deadline passed. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([429, 502, 503, 504]);

export interface RetryOptions {
  /** Extra attempts after the first (default 1; 0 turns retrying off). */
  readonly retries: number;
  /** First backoff (default 25 ms), doubled per attempt, with jitter. */
  readonly retryDelayMs: number;
  /** Longest wait before a retry, Retry-After included (default 1000 ms); a longer Retry-After is not waited for. */
  readonly maxRetryDelayMs: number;
}

export interface BreakerOptions {
  /** Consecutive failed calls that open the circuit (default 5). */
  readonly failureThreshold: number;
  /** How long it stays open before one trial call (default 10 s). */
  readonly halfOpenAfterMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open' | 'disabled';

export function isRetryable(e: unknown, maxRetryDelayMs: number): boolean {
  if (e instanceof TransportError) return e.kind === 'network' && !e.sent;
  if (e instanceof HttpStatusError) return RETRYABLE_STATUS.has(e.status) && (e.retryAfterMs === undefined || e.retryAfterMs <= maxRetryDelayMs);
  return false;
}

/** Failures that say the PDP is unwell (not the caller's abort, not a refusal of the request). */
export function countsAgainstPdp(e: unknown): boolean {
  if (e instanceof DeadlineError || e instanceof MalformedResponseError) return true;
  if (e instanceof TransportError) return e.kind !== 'aborted';
  if (e instanceof HttpStatusError) return e.status >= 500;
  return false;
}

/** Retry-After (seconds or an HTTP date) in ms. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface Resilience {
  readonly policy: IPolicy;
  state(): BreakerState;
}

export function createResilience(
  retryOptions: RetryOptions,
  breakerOptions: BreakerOptions | false,
  events: { onRetry(attempt: number, delayMs: number, reason: string): void; onBreaker(state: BreakerState): void },
): Resilience {
  const backoff = new DelegateBackoff<{ attempt: number; result: { error: unknown } | { value: unknown } }>((ctx) => {
    const error = 'error' in ctx.result ? ctx.result.error : undefined;
    if (error instanceof HttpStatusError && error.retryAfterMs !== undefined) return error.retryAfterMs;
    const base = Math.min(retryOptions.maxRetryDelayMs, retryOptions.retryDelayMs * 2 ** (ctx.attempt - 1));
    return Math.round(base / 2 + (Math.random() * base) / 2);
  });
  const retrying = retry(handleWhen((e) => isRetryable(e, retryOptions.maxRetryDelayMs)), { maxAttempts: retryOptions.retries, backoff });
  retrying.onRetry((r) => events.onRetry(r.attempt, r.delay, 'error' in r ? String((r.error as Error).message) : 'retry'));
  if (breakerOptions === false) return { policy: retrying, state: () => 'disabled' };

  const breaker = circuitBreaker(handleWhen(countsAgainstPdp), {
    halfOpenAfter: breakerOptions.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(breakerOptions.failureThreshold),
  });
  const stateOf = (s: CircuitState): BreakerState => (s === CircuitState.Closed ? 'closed' : s === CircuitState.HalfOpen ? 'half-open' : 'open');
  breaker.onStateChange((s) => events.onBreaker(stateOf(s)));
  return {
    // The breaker wraps the retries: one decide() is one success or failure, and an open circuit sends nothing.
    policy: wrap(breaker, retrying),
    state: () => stateOf(breaker.state),
  };
}

export function isCircuitOpen(e: unknown): boolean {
  return e instanceof BrokenCircuitError;
}
