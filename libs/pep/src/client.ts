/**
 * createPdpClient: the fail-closed PDP client. The core knows no network (it talks to a
 * Transport) and no wire format (it uses a Codec); it owns the deadline, retries, circuit
 * breaker, decision cache and the enforcement of obligations. `decide` and `decideMany`
 * never reject: every problem is a Deny with its cause.
 */
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { DecisionResult, FailureCause, FailureCode, HandlerProblem, PdpAnswer } from './decision';
import { PepConfigError } from './errors';
import { STATUS } from './identifiers';
import { checkHandlers, enforce } from './handlers';
import type { HandlerMap, PepActionHandler } from './handlers';
import { InvalidRequestError, normalizeRequest } from './request';
import type { PepRequest } from './request';
import { DeadlineError, HttpStatusError, createResilience, isCircuitOpen, parseRetryAfter, RETRYABLE_STATUS } from './resilience';
import type { BreakerState, Resilience } from './resilience';
import { createHttpTransport } from './transport/http-transport';
import { TransportError } from './transport/transport';
import type { Transport } from './transport/transport';
import { authzenCodec } from './wire/authzen';
import { MalformedResponseError, PDP_FORMATS } from './wire/codec';
import type { Codec, Outgoing, PdpFormat, PreparedRequest } from './wire/codec';
import { xacmlJsonCodec } from './wire/xacml-json';
import { xacmlXmlCodec } from './wire/xacml-xml';

export interface CacheOptions {
  /** How long a Permit is served from the cache (ms). */
  readonly ttlMs: number;
  /** How long a Deny or NotApplicable is served (default ttlMs). */
  readonly denyTtlMs?: number;
  /** Most entries kept; the least recently used go first (default 10,000). */
  readonly maxEntries?: number;
}

export type PepEvent =
  | { readonly type: 'retry'; readonly attempt: number; readonly delayMs: number; readonly reason: string }
  | { readonly type: 'breaker'; readonly state: BreakerState }
  | { readonly type: 'denied'; readonly cause: FailureCause; readonly transactionId: string | undefined }
  | { readonly type: 'handler-problem'; readonly problem: HandlerProblem; readonly transactionId: string | undefined };

export interface PdpClientOptions<C = unknown> {
  /** The domain's PDP-URL, e.g. https://safax.example/pdp/3f0c… */
  readonly pdpUrl: string;
  /** A domains controller's API key; omit when the owner made the PDP public. */
  readonly apiKey?: string;
  /** Wire format (default 'xacml-json'). AuthZEN cannot carry typed values, issuers or other categories. */
  readonly format?: PdpFormat;
  /** Deadline of one decide()/decideMany() call, retries included (default 2000 ms). */
  readonly timeoutMs?: number;
  /** Extra attempts for failures that are safe to retry (default 1; 0 = none). */
  readonly retries?: number;
  /** First retry backoff (default 25 ms; doubled per attempt, jittered). */
  readonly retryDelayMs?: number;
  /** Longest wait before a retry, Retry-After included (default 1000 ms). */
  readonly maxRetryDelayMs?: number;
  /** Circuit breaker (default { failureThreshold: 5, halfOpenAfterMs: 10000 }); false turns it off. */
  readonly breaker?: false | { readonly failureThreshold?: number; readonly halfOpenAfterMs?: number };
  /** Decision cache (default off). Never caches Indeterminate, non-ok statuses or failures. */
  readonly cache?: false | CacheOptions;
  /** Obligation handlers by obligation id. A Permit with an obligation not listed here is denied. */
  readonly obligations?: HandlerMap<C>;
  /** Advice handlers by advice id (optional; their failures never deny). */
  readonly advice?: HandlerMap<C>;
  /** Requests per round trip in decideMany (default 100; the platform takes up to 1000). */
  readonly maxBatchSize?: number;
  /** Sockets kept to the PDP (default 16). */
  readonly connections?: number;
  /** Idle socket lifetime (default 30000 ms). */
  readonly keepAliveTimeoutMs?: number;
  /** Larger answers are refused as malformed (default 1 MiB). */
  readonly maxResponseBytes?: number;
  /** Extra HTTP headers on every call. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Replaces the HTTP transport (tests, embedding); pdpUrl, apiKey and the HTTP options are then unused. */
  readonly transport?: Transport;
  /** Told of retries, breaker changes, fail-closed denials and handler problems (logging, metrics). Must not throw. */
  readonly onEvent?: (event: PepEvent) => void;
}

export interface DecideOptions<C = unknown> {
  /** Handed to obligation and advice handlers as `ctx.context`. */
  readonly context?: C;
  /** Aborts the call (it then denies with cause 'aborted'). */
  readonly signal?: AbortSignal;
  /** false: neither read nor write the decision cache for this call. */
  readonly cache?: boolean;
  /** Overrides timeoutMs for this call. */
  readonly timeoutMs?: number;
}

export interface PdpClientStats {
  /** HTTP exchanges attempted (retries included). */
  readonly attempts: number;
  readonly retries: number;
  readonly cacheHits: number;
  readonly cacheSize: number;
  readonly breaker: BreakerState;
}

export interface PdpClient<C = unknown> {
  readonly format: PdpFormat;
  decide(request: PepRequest, options?: DecideOptions<C>): Promise<DecisionResult>;
  /** Results in request order; one round trip per maxBatchSize requests; each item fails closed on its own. */
  decideMany(requests: readonly PepRequest[], options?: DecideOptions<C>): Promise<DecisionResult[]>;
  /** Drops every cached decision (e.g. after deploying policies). */
  clearCache(): void;
  stats(): PdpClientStats;
  /** Releases the connection pool; later calls deny with cause 'closed'. */
  close(): Promise<void>;
}


const CODECS: Readonly<Record<PdpFormat, Codec>> = { authzen: authzenCodec, 'xacml-json': xacmlJsonCodec, 'xacml-xml': xacmlXmlCodec };

interface CachedAnswer {
  readonly answer: PdpAnswer;
  readonly transactionId: string | undefined;
}

class Failure extends Error {
  constructor(readonly failure: FailureCause) {
    super(failure.message);
  }
}

function positiveInt(v: unknown, name: string, min = 1): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new PepConfigError(`${name} must be an integer >= ${min}`);
}

function noticeOf(code: FailureCode, message: string, extra: Partial<FailureCause> = {}): FailureCause {
  return { code, message, ...extra };
}

export function createPdpClient<C = unknown>(options: PdpClientOptions<C>): PdpClient<C> {
  if (options === null || typeof options !== 'object') throw new PepConfigError('options are required');
  const format = options.format ?? 'xacml-json';
  if (!PDP_FORMATS.includes(format)) throw new PepConfigError(`format must be one of ${PDP_FORMATS.join(', ')}`);
  const timeoutMs = options.timeoutMs ?? 2000;
  positiveInt(timeoutMs, 'timeoutMs');
  const retries = options.retries ?? 1;
  positiveInt(retries, 'retries', 0);
  const retryDelayMs = options.retryDelayMs ?? 25;
  positiveInt(retryDelayMs, 'retryDelayMs', 0);
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 1000;
  positiveInt(maxRetryDelayMs, 'maxRetryDelayMs', 0);
  const maxBatchSize = options.maxBatchSize ?? 100;
  positiveInt(maxBatchSize, 'maxBatchSize');
  if (maxBatchSize > 1000) throw new PepConfigError('maxBatchSize must be at most 1000 (the platform refuses larger batches)');
  const obligations = checkHandlers(options.obligations, 'obligations');
  const advice = checkHandlers(options.advice, 'advice');
  let breakerOptions: false | { failureThreshold: number; halfOpenAfterMs: number } = false;
  if (options.breaker !== false) {
    breakerOptions = { failureThreshold: options.breaker?.failureThreshold ?? 5, halfOpenAfterMs: options.breaker?.halfOpenAfterMs ?? 10_000 };
    positiveInt(breakerOptions.failureThreshold, 'breaker.failureThreshold');
    positiveInt(breakerOptions.halfOpenAfterMs, 'breaker.halfOpenAfterMs');
  }
  let cache: LRUCache<string, CachedAnswer> | undefined;
  let denyTtlMs: number | undefined;
  if (options.cache !== undefined && options.cache !== false) {
    positiveInt(options.cache.ttlMs, 'cache.ttlMs');
    if (options.cache.denyTtlMs !== undefined) positiveInt(options.cache.denyTtlMs, 'cache.denyTtlMs');
    denyTtlMs = options.cache.denyTtlMs;
    const maxEntries = options.cache.maxEntries ?? 10_000;
    positiveInt(maxEntries, 'cache.maxEntries');
    // ttlResolution 0: the clock is read on every lookup, so nothing is served past its TTL.
    cache = new LRUCache<string, CachedAnswer>({ max: maxEntries, ttl: options.cache.ttlMs, ttlResolution: 0 });
  }
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') throw new PepConfigError('onEvent must be a function');
  let transport: Transport;
  if (options.transport) transport = options.transport;
  else {
    if (typeof options.pdpUrl !== 'string') throw new PepConfigError('pdpUrl is required');
    if (options.apiKey !== undefined && (typeof options.apiKey !== 'string' || options.apiKey === '' || /[\r\n]/.test(options.apiKey))) throw new PepConfigError('apiKey must be a non-empty string');
    try {
      transport = createHttpTransport({
        pdpUrl: options.pdpUrl,
        ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
        ...(options.connections !== undefined ? { connections: options.connections } : {}),
        ...(options.keepAliveTimeoutMs !== undefined ? { keepAliveTimeoutMs: options.keepAliveTimeoutMs } : {}),
        ...(options.maxResponseBytes !== undefined ? { maxResponseBytes: options.maxResponseBytes } : {}),
        ...(options.headers !== undefined ? { headers: options.headers } : {}),
      });
    } catch (e) {
      throw new PepConfigError(`pdpUrl is not usable: ${(e as Error).message}`);
    }
  }

  const codec = CODECS[format];
  const emit = (e: PepEvent): void => {
    try {
      options.onEvent?.(e);
    } catch {
      // An observer must not change a decision.
    }
  };
  let attempts = 0;
  let retried = 0;
  let cacheHits = 0;
  let closed = false;
  const resilience: Resilience = createResilience({ retries, retryDelayMs, maxRetryDelayMs }, breakerOptions, {
    onRetry: (attempt, delayMs, reason) => {
      retried++;
      emit({ type: 'retry', attempt, delayMs, reason });
    },
    onBreaker: (state) => emit({ type: 'breaker', state }),
  });

  const prepare = (request: PepRequest): PreparedRequest | FailureCause => {
    try {
      const p = { request, normal: normalizeRequest(request) };
      codec.check(p);
      return p;
    } catch (e) {
      if (e instanceof InvalidRequestError) return noticeOf('invalid-request', e.message);
      throw e;
    }
  };

  /** One exchange under the call's deadline, retries and breaker; throws Failure. */
  const exchange = async <T>(out: Outgoing, decode: (body: string, contentType: string | undefined) => T, call: DecideOptions<C>): Promise<{ value: T; transactionId: string | undefined }> => {
    const deadline = AbortSignal.timeout(call.timeoutMs ?? timeoutMs);
    const signal = call.signal ? AbortSignal.any([deadline, call.signal]) : deadline;
    const attempt = async (): Promise<{ value: T; transactionId: string | undefined }> => {
      if (signal.aborted) throw deadline.aborted ? new DeadlineError('the deadline passed before the call') : new TransportError('aborted', false, 'aborted');
      attempts++;
      let res;
      try {
        res = await transport.send({ path: out.path, contentType: out.contentType, accept: out.accept, body: out.body, requestId: randomUUID(), signal });
      } catch (e) {
        if (e instanceof TransportError && e.kind === 'aborted' && deadline.aborted && !call.signal?.aborted) throw new DeadlineError(`no answer within ${call.timeoutMs ?? timeoutMs} ms`, { cause: e });
        throw e;
      }
      const transactionId = res.headers['x-transaction-id'];
      if (res.status !== 200) throw new HttpStatusError(res.status, RETRYABLE_STATUS.has(res.status) ? parseRetryAfter(res.headers['retry-after']) : undefined, transactionId);
      return { value: decode(res.body, res.headers['content-type']), transactionId };
    };
    try {
      return await resilience.policy.execute(attempt, signal);
    } catch (e) {
      throw new Failure(causeOf(e, call));
    }
  };

  const causeOf = (e: unknown, call: DecideOptions<C>): FailureCause => {
    if (e instanceof Failure) return e.failure;
    if (isCircuitOpen(e)) return noticeOf('circuit-open', 'the circuit breaker is open after repeated PDP failures; no call was made');
    if (e instanceof DeadlineError) return noticeOf('timeout', e.message, { error: e });
    if (e instanceof TransportError) {
      if (e.kind === 'aborted') return call.signal?.aborted ? noticeOf('aborted', 'the caller aborted the call', { error: e }) : noticeOf('timeout', 'no answer within the deadline', { error: e });
      if (e.kind === 'too-large') return noticeOf('malformed-response', e.message, { error: e });
      return noticeOf('network', `the PDP could not be reached: ${e.message}`, { error: e });
    }
    if (e instanceof HttpStatusError) {
      const extra = { httpStatus: e.status, error: e };
      if (e.status >= 500) return noticeOf('server-error', e.message, extra);
      if (e.status === 429) return noticeOf('rate-limited', e.message, extra);
      if (e.status === 401 || e.status === 403) return noticeOf('unauthorized', `${e.message}: check the API key and that its principal is a controller of the domain`, extra);
      if (e.status >= 400) return noticeOf('rejected', e.message, extra);
      return noticeOf('malformed-response', e.message, extra);
    }
    if (e instanceof MalformedResponseError) return noticeOf('malformed-response', e.message, { error: e });
    if ((e as Error)?.name === 'TaskCancelledError') return call.signal?.aborted ? noticeOf('aborted', 'the caller aborted the call') : noticeOf('timeout', 'no answer within the deadline');
    return noticeOf('network', `unexpected failure: ${(e as Error)?.message ?? String(e)}`, { error: e });
  };

  const failed = (cause: FailureCause, transactionId?: string): DecisionResult => {
    emit({ type: 'denied', cause, transactionId });
    return {
      decision: 'Indeterminate',
      status: { code: STATUS.processingError, message: cause.message },
      obligations: [],
      advice: [],
      allowed: false,
      enforced: 'Deny',
      transactionId,
      cause,
      cached: false,
      handlerProblems: [],
    };
  };

  const cacheable = (a: PdpAnswer): boolean => a.decision !== 'Indeterminate' && a.status.code === STATUS.ok;
  const remember = (key: string, answer: PdpAnswer, transactionId: string | undefined): void => {
    if (!cache || !cacheable(answer)) return;
    cache.set(key, { answer, transactionId }, answer.decision === 'Permit' || denyTtlMs === undefined ? {} : { ttl: denyTtlMs });
  };

  const finish = async (p: PreparedRequest, hit: CachedAnswer, cached: boolean, index: number, call: DecideOptions<C>): Promise<DecisionResult> => {
    const signal = call.signal ?? new AbortController().signal;
    const result = await enforce({ answer: hit.answer, transactionId: hit.transactionId, cached, request: p.request, context: call.context as C, index, signal }, obligations, advice);
    for (const problem of result.handlerProblems) emit({ type: 'handler-problem', problem, transactionId: result.transactionId });
    if (result.cause) emit({ type: 'denied', cause: result.cause, transactionId: result.transactionId });
    return result;
  };

  const lookup = (p: PreparedRequest, call: DecideOptions<C>): CachedAnswer | undefined => {
    if (!cache || call.cache === false) return undefined;
    const hit = cache.get(p.normal.key);
    if (hit) cacheHits++;
    return hit;
  };

  const decide = async (request: PepRequest, call: DecideOptions<C> = {}): Promise<DecisionResult> => {
    if (closed) return failed(noticeOf('closed', 'the client is closed'));
    const p = prepare(request);
    if (!('normal' in p)) return failed(p);
    const hit = lookup(p, call);
    if (hit) return finish(p, hit, true, 0, call);
    try {
      const { value, transactionId } = await exchange(codec.encodeOne(p), (b, t) => codec.decodeOne(b, t), call);
      if (call.cache !== false) remember(p.normal.key, value, transactionId);
      return await finish(p, { answer: value, transactionId }, false, 0, call);
    } catch (e) {
      if (e instanceof Failure) return failed(e.failure, e.failure.error instanceof HttpStatusError ? e.failure.error.transactionId : undefined);
      throw e;
    }
  };

  const decideMany = async (requests: readonly PepRequest[], call: DecideOptions<C> = {}): Promise<DecisionResult[]> => {
    if (!Array.isArray(requests)) throw new TypeError('decideMany takes an array of requests');
    if (closed) return requests.map(() => failed(noticeOf('closed', 'the client is closed')));
    const results: (DecisionResult | undefined)[] = new Array(requests.length);
    const answers: (CachedAnswer & { cached: boolean })[] = new Array(requests.length);
    const prepared: PreparedRequest[] = new Array(requests.length);
    const misses: number[] = [];
    requests.forEach((r, i) => {
      const p = prepare(r);
      if (!('normal' in p)) {
        results[i] = failed(p);
        return;
      }
      prepared[i] = p;
      const hit = lookup(p, call);
      if (hit) answers[i] = { ...hit, cached: true };
      else misses.push(i);
    });
    const chunks: number[][] = [];
    for (let i = 0; i < misses.length; i += maxBatchSize) chunks.push(misses.slice(i, i + maxBatchSize));
    await Promise.all(
      chunks.map(async (chunk) => {
        const ps = chunk.map((i) => prepared[i]!);
        try {
          if (ps.length === 1) {
            const { value, transactionId } = await exchange(codec.encodeOne(ps[0]!), (b, t) => codec.decodeOne(b, t), call);
            answers[chunk[0]!] = { answer: value, transactionId, cached: false };
          } else {
            const { value, transactionId } = await exchange(codec.encodeMany(ps), (b, t) => codec.decodeMany(b, t, ps.length), call);
            chunk.forEach((i, k) => {
              answers[i] = { answer: value[k]!, transactionId: transactionId === undefined ? undefined : codec.itemTransactionId(transactionId, k), cached: false };
            });
          }
          if (call.cache !== false) for (const i of chunk) remember(prepared[i]!.normal.key, answers[i]!.answer, answers[i]!.transactionId);
        } catch (e) {
          if (!(e instanceof Failure)) throw e;
          for (const i of chunk) results[i] = failed(e.failure, e.failure.error instanceof HttpStatusError ? e.failure.error.transactionId : undefined);
        }
      }),
    );
    // Handlers run in request order, one item after the other.
    for (let i = 0; i < requests.length; i++) {
      if (results[i]) continue;
      const a = answers[i]!;
      results[i] = await finish(prepared[i]!, a, a.cached, i, call);
    }
    return results as DecisionResult[];
  };

  return {
    format,
    decide,
    decideMany,
    clearCache: () => cache?.clear(),
    stats: () => ({ attempts, retries: retried, cacheHits, cacheSize: cache?.size ?? 0, breaker: resilience.state() }),
    async close() {
      if (closed) return;
      closed = true;
      cache?.clear();
      await transport.close();
    },
  };
}

export { PepConfigError };
export type { PepActionHandler };
