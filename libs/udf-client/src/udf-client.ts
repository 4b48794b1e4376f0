/**
 * A client for one registered trust service, configured only from its descriptor: it encodes
 * the arguments as the descriptor says, calls the endpoint through the outbound policy, and
 * turns the answer into a typed XACML value (or bag) of the declared datatype.
 *
 * Each client guards its service: a deadline per call (queue wait included), a bounded
 * response, bounded concurrency with a bounded queue, a TTL cache of successful results keyed
 * by the arguments, concurrent identical calls merged into one, and a circuit breaker.
 * Every failure rejects with a UdfCallError (an engine IndeterminateError).
 */
import type { ResponseParameter, ServiceDescriptor } from '@safax/contracts';
import { CircuitBreaker, type BreakerState } from './circuit-breaker';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { parseValue, type AttributeValue, type Bag, type ExprValue } from './engine';
import { UdfCallError, UdfDescriptorError, type UdfErrorCode } from './errors';
import { createOutboundPolicy, type OutboundPolicy } from './outbound-policy';
import { encodeRequest } from './request-encoding';
import { DecodeError, extractValues, parseBody, xpathProblem } from './response-decoding';
import { createSafeFetcher, OutboundError, type SafeFetcher } from './safe-fetch';
import { TtlCache } from './ttl-cache';

/** What a client needs of a descriptor (a `ServiceDescriptor` from @safax/contracts fits). */
export type UdfServiceDescriptor = Pick<
  ServiceDescriptor,
  'id' | 'endpoint' | 'method' | 'type' | 'functionUrn' | 'requestFormat' | 'responseFormat' | 'requestParameters' | 'responseParameters' | 'cacheTtlSeconds' | 'timeoutMs'
>;

export interface UdfClientOptions {
  /** Which endpoints may be called. Default: public addresses only. */
  readonly policy?: OutboundPolicy;
  /** A shared connection pool; when absent the client makes its own (close() frees it). */
  readonly fetcher?: SafeFetcher;
  /** Largest accepted response body (default 64 KiB). */
  readonly maxResponseBytes?: number;
  /** Calls in flight to this service (default 8). */
  readonly maxConcurrent?: number;
  /** Calls waiting for a slot before new ones are refused (default 64). */
  readonly maxQueued?: number;
  /** Consecutive failures that open the breaker (default 5). */
  readonly failureThreshold?: number;
  /** How long the breaker stays open before a trial call (default 30 s). */
  readonly cooldownMs?: number;
  /** Distinct argument lists kept in the cache (default 1000). */
  readonly maxCacheEntries?: number;
  /** Redirects followed (default 3; each hop is checked against the policy). */
  readonly maxRedirects?: number;
  /** Upper bound on the descriptor's timeout (default 60 s). */
  readonly maxTimeoutMs?: number;
  /** Extra request headers (e.g. a credential the installation holds for this service). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Clock (tests). */
  readonly now?: () => number;
  /** Told about every call, cached or not, for decision logs and metrics. */
  readonly onCall?: (event: UdfCallEvent) => void;
}

export interface UdfCallEvent {
  readonly serviceId: string;
  readonly functionUrn?: string;
  /** Lexical arguments, one list per request parameter. */
  readonly args: readonly (readonly string[])[];
  /** Lexical result values, on success. */
  readonly result?: readonly string[];
  readonly error?: { readonly reason: UdfErrorCode; readonly message: string };
  readonly cached: boolean;
  readonly durationMs: number;
}

export interface UdfClientStats {
  readonly breaker: BreakerState;
  readonly consecutiveFailures: number;
  readonly running: number;
  readonly queued: number;
  readonly cacheEntries: number;
}

export interface UdfClient {
  readonly descriptor: UdfServiceDescriptor;
  /** The declared result parameter (the first response parameter). */
  readonly result: ResponseParameter;
  /** Calls with engine values, in request-parameter order. */
  call(args: readonly ExprValue[]): Promise<AttributeValue | Bag>;
  /** Calls with lexical values (one list per request parameter). */
  callLexical(args: readonly (readonly string[])[]): Promise<AttributeValue | Bag>;
  stats(): UdfClientStats;
  /** Forgets cached results (e.g. when the service says its data changed). */
  clearCache(): void;
  /** Frees the client's own connection pool (not a shared fetcher). */
  close(): void;
}

const DEFAULTS = {
  maxResponseBytes: 64 * 1024,
  maxConcurrent: 8,
  maxQueued: 64,
  failureThreshold: 5,
  cooldownMs: 30_000,
  maxCacheEntries: 1000,
  maxRedirects: 3,
  maxTimeoutMs: 60_000,
} as const;

/** Why a descriptor cannot back a UDF client; [] when it can. */
export function udfDescriptorProblems(d: UdfServiceDescriptor): string[] {
  const problems: string[] = [];
  if (d.type !== 'udf') problems.push(`its type is ${d.type}, not udf`);
  if (d.functionUrn === undefined || d.functionUrn === '') problems.push('it names no function URN');
  if (d.responseParameters.length === 0) problems.push('it declares no response parameter');
  for (const p of d.responseParameters) {
    if (p.location.kind === 'xpath') {
      const problem = xpathProblem(p.location.expression);
      if (problem !== undefined) problems.push(`response parameter ${p.name}: XPath ${p.location.expression} does not compile (${problem})`);
    }
  }
  if ((d.method === 'GET' || d.method === 'DELETE') && d.requestFormat !== 'query' && d.requestParameters.length > 0) {
    problems.push(`a ${d.method} request carries no body: use the query format`);
  }
  return problems;
}

/** Canonical cache key of lexical arguments: bag order does not matter (bags are unordered). */
export function argumentsKey(params: UdfServiceDescriptor['requestParameters'], args: readonly (readonly string[])[]): string {
  return JSON.stringify(args.map((values, i) => (params[i]?.bag ? [...values].sort() : values)));
}

/** Lexical form of engine arguments, checked against the declared parameters. */
export function lexicalArguments(d: UdfServiceDescriptor, args: readonly ExprValue[]): (readonly string[])[] | string {
  if (args.length !== d.requestParameters.length) return `expected ${d.requestParameters.length} arguments, got ${args.length}`;
  const out: (readonly string[])[] = [];
  for (let i = 0; i < args.length; i++) {
    const p = d.requestParameters[i]!;
    const a = args[i]!;
    if ((a as { kind?: string }).kind === 'function') return `argument ${i + 1} (${p.name}) is a function`;
    if ((a as Bag).kind === 'bag') {
      const bag = a as Bag;
      if (!p.bag) return `argument ${i + 1} (${p.name}) is a bag; a single value is declared`;
      if (bag.datatype !== p.datatype) return `argument ${i + 1} (${p.name}) is a bag of ${bag.datatype}; ${p.datatype} is declared`;
      out.push(bag.values.map((v) => v.datatype.format(v.value)));
    } else {
      const v = a as AttributeValue;
      if (p.bag) return `argument ${i + 1} (${p.name}) is a single value; a bag is declared`;
      if (v.datatype.id !== p.datatype) return `argument ${i + 1} (${p.name}) is ${v.datatype.id}; ${p.datatype} is declared`;
      out.push([v.datatype.format(v.value)]);
    }
  }
  return out;
}

/** Lexical result values → the declared datatype and cardinality. */
export function typedResult(result: ResponseParameter, lexical: readonly string[]): AttributeValue | Bag | string {
  const values: AttributeValue[] = [];
  for (const s of lexical) {
    try {
      values.push(parseValue(result.datatype, s));
    } catch (e) {
      const shown = s.length > 60 ? `${s.slice(0, 60)}…` : s;
      return `"${shown}" is not a valid ${shortType(result.datatype)} (${(e as Error).message})`;
    }
  }
  if (result.bag) return { kind: 'bag', datatype: result.datatype, values };
  if (values.length !== 1) return `expected exactly one ${shortType(result.datatype)} value, found ${values.length}`;
  return values[0]!;
}

function shortType(id: string): string {
  const i = Math.max(id.lastIndexOf('#'), id.lastIndexOf(':'));
  return i >= 0 ? id.slice(i + 1) : id;
}

/** The lexical form of a typed result (for call events and logs). */
export function lexicalOf(v: AttributeValue | Bag): string[] {
  return (v as Bag).kind === 'bag' ? (v as Bag).values.map((x) => x.datatype.format(x.value)) : [(v as AttributeValue).datatype.format((v as AttributeValue).value)];
}

const BREAKER_NEUTRAL: ReadonlySet<UdfErrorCode> = new Set(['refused', 'overloaded', 'circuit-open', 'invalid-arguments', 'aborted']);

export function createUdfClient(descriptor: UdfServiceDescriptor, options: UdfClientOptions = {}): UdfClient {
  const problems = udfDescriptorProblems(descriptor);
  if (problems.length > 0) throw new UdfDescriptorError(descriptor.id, problems);
  const result = descriptor.responseParameters[0]!;
  const o = { ...DEFAULTS, ...stripUndefined(options) };
  const now = options.now ?? Date.now;
  const ownFetcher = options.fetcher === undefined;
  const fetcher = options.fetcher ?? createSafeFetcher(options.policy ?? createOutboundPolicy());
  const timeoutMs = Math.min(descriptor.timeoutMs, o.maxTimeoutMs);
  const cache = new TtlCache<AttributeValue | Bag>({ ttlMs: descriptor.cacheTtlSeconds * 1000, maxEntries: o.maxCacheEntries, now });
  const limiter = new ConcurrencyLimiter(o.maxConcurrent, o.maxQueued);
  const breaker = new CircuitBreaker({ failureThreshold: o.failureThreshold, cooldownMs: o.cooldownMs, now });
  const inFlight = new Map<string, Promise<AttributeValue | Bag>>();
  const id = descriptor.id;

  const fail = (reason: UdfErrorCode, detail: string): UdfCallError => new UdfCallError(id, reason, detail);

  function emit(args: readonly (readonly string[])[], started: number, cached: boolean, outcome: AttributeValue | Bag | UdfCallError): void {
    if (!options.onCall) return;
    const base = { serviceId: id, ...(descriptor.functionUrn ? { functionUrn: descriptor.functionUrn } : {}), args, cached, durationMs: now() - started };
    try {
      options.onCall(outcome instanceof UdfCallError ? { ...base, error: { reason: outcome.reason, message: outcome.message } } : { ...base, result: lexicalOf(outcome) });
    } catch {
      // An observer's failure must not change the call's outcome.
    }
  }

  async function exchange(args: readonly (readonly string[])[]): Promise<AttributeValue | Bag> {
    if (!breaker.tryPass()) throw fail('circuit-open', `the circuit breaker is open after ${breaker.consecutiveFailures} consecutive failures; next try in ${Math.ceil(breaker.retryInMs / 1000)} s`);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    let release: (() => void) | undefined;
    try {
      const slot = await limiter.acquire(deadline.signal);
      if (!slot.ok) {
        throw slot.reason === 'queue-full'
          ? fail('overloaded', `${limiter.running} calls running and ${limiter.queued} queued`)
          : fail('timeout', `no free call slot within ${timeoutMs} ms`);
      }
      release = slot.release;
      const req = encodeRequest(descriptor, args);
      let res;
      try {
        res = await fetcher.fetch({
          url: req.url,
          method: req.method,
          headers: { ...req.headers, ...(options.headers ?? {}) },
          ...(req.body !== undefined ? { body: req.body } : {}),
          timeoutMs,
          maxResponseBytes: o.maxResponseBytes,
          maxRedirects: o.maxRedirects,
          signal: deadline.signal,
        });
      } catch (e) {
        if (e instanceof OutboundError) {
          if (e.code === 'aborted') throw fail('timeout', `no complete answer within ${timeoutMs} ms`);
          throw fail(e.code === 'too-many-redirects' ? 'refused' : e.code, e.message);
        }
        throw fail('network', (e as Error).message);
      }
      if (res.status < 200 || res.status > 299) throw fail('http-status', `HTTP ${res.status}`);
      let lexical: string[];
      try {
        const contentType = res.headers['content-type'];
        const body = parseBody(descriptor.responseFormat, res.body.toString('utf8'), contentType);
        lexical = extractValues(body, result.location);
      } catch (e) {
        if (e instanceof DecodeError) throw fail(e.code, e.message);
        throw fail('bad-response', (e as Error).message);
      }
      const typed = typedResult(result, lexical);
      if (typeof typed === 'string') throw fail('wrong-type', typed);
      breaker.success();
      return typed;
    } catch (e) {
      const err = e instanceof UdfCallError ? e : fail('network', (e as Error).message);
      if (err.reason === 'circuit-open') throw err;
      if (BREAKER_NEUTRAL.has(err.reason)) breaker.neutral();
      else breaker.failure();
      throw err;
    } finally {
      clearTimeout(timer);
      release?.();
    }
  }

  function callLexical(args: readonly (readonly string[])[]): Promise<AttributeValue | Bag> {
    const started = now();
    if (args.length !== descriptor.requestParameters.length) {
      const err = fail('invalid-arguments', `expected ${descriptor.requestParameters.length} arguments, got ${args.length}`);
      emit(args, started, false, err);
      return Promise.reject(err);
    }
    const key = argumentsKey(descriptor.requestParameters, args);
    const hit = cache.get(key);
    if (hit !== undefined) {
      emit(args, started, true, hit);
      return Promise.resolve(hit);
    }
    const pending = inFlight.get(key);
    if (pending) return pending;
    const p = exchange(args).then(
      (v) => {
        inFlight.delete(key);
        cache.set(key, v);
        emit(args, started, false, v);
        return v;
      },
      (e: UdfCallError) => {
        inFlight.delete(key);
        emit(args, started, false, e);
        throw e;
      },
    );
    inFlight.set(key, p);
    return p;
  }

  return {
    descriptor,
    result,
    call(args) {
      const lexical = lexicalArguments(descriptor, args);
      if (typeof lexical === 'string') return Promise.reject(fail('invalid-arguments', lexical));
      return callLexical(lexical);
    },
    callLexical,
    stats: () => ({
      breaker: breaker.state,
      consecutiveFailures: breaker.consecutiveFailures,
      running: limiter.running,
      queued: limiter.queued,
      cacheEntries: cache.size,
    }),
    clearCache: () => cache.clear(),
    close(): void {
      if (ownFetcher) fetcher.close();
    },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
