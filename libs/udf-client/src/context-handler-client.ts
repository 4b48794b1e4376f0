/**
 * Asks a domains controller's Context Handler for an attribute the request lacks (SAFAX §3.4).
 * The client IS an engine AttributeResolver, so wiring it is `attributeResolver: client`
 * (or a resolver that tries the sample PIP first and then this).
 *
 * Wire format (also in the README): POST, JSON both ways.
 *   request  {"category", "attributeId", "datatype", "issuer"?, "subjectId": [...], "resourceId": [...], "actionId": [...]}
 *   response 200 {"values": ["lexical", ...]}   ([] when the handler has none)
 * Same rules as trust-service calls: outbound policy, deadline, bounded body, bounded
 * concurrency; every value is checked against the asked datatype. Failures reject with a
 * ContextHandlerError naming the handler and the cause (the engine makes it Indeterminate).
 */
import { z } from 'zod';
import { CircuitBreaker } from './circuit-breaker';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { parseValue, type AttributeQuery, type AttributeResolver, type ResolverRequestView } from './engine';
import { createOutboundPolicy, type OutboundPolicy } from './outbound-policy';
import { createSafeFetcher, OutboundError, type SafeFetcher } from './safe-fetch';

const SUBJECT_CATEGORY = 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject';
const RESOURCE_CATEGORY = 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource';
const ACTION_CATEGORY = 'urn:oasis:names:tc:xacml:3.0:attribute-category:action';
const SUBJECT_ID = 'urn:oasis:names:tc:xacml:1.0:subject:subject-id';
const RESOURCE_ID = 'urn:oasis:names:tc:xacml:1.0:resource:resource-id';
const ACTION_ID = 'urn:oasis:names:tc:xacml:1.0:action:action-id';

/** A Context Handler as registered by a domains controller. */
export interface ContextHandlerRegistration {
  /** Service or registration id (named in error messages). */
  readonly id: string;
  /** Absolute http(s) URL that accepts the POST below. */
  readonly endpoint: string;
  /** Deadline per call, default 2000 ms. */
  readonly timeoutMs?: number;
}

export interface ContextHandlerClientOptions {
  readonly policy?: OutboundPolicy;
  readonly fetcher?: SafeFetcher;
  /** Default 64 KiB. */
  readonly maxResponseBytes?: number;
  /** Largest number of values accepted for one attribute (default 256). */
  readonly maxValues?: number;
  /** Default 8 in flight, 64 queued. */
  readonly maxConcurrent?: number;
  readonly maxQueued?: number;
  /** Breaker: consecutive failures before opening (default 5) and cool-down (default 30 s). */
  readonly failureThreshold?: number;
  readonly cooldownMs?: number;
  /** Extra headers (e.g. a credential the domains controller issued to the platform). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly onCall?: (event: ContextHandlerCallEvent) => void;
  readonly now?: () => number;
}

export interface ContextHandlerCallEvent {
  readonly handlerId: string;
  readonly query: AttributeQuery;
  readonly values?: readonly string[];
  readonly error?: string;
  readonly durationMs: number;
}

/** The JSON body the platform POSTs to a Context Handler. */
export interface ContextHandlerRequest {
  readonly category: string;
  readonly attributeId: string;
  readonly datatype: string;
  readonly issuer?: string;
  /** The request's subject-id values (access-subject category). */
  readonly subjectId: readonly string[];
  /** The request's resource-id values. */
  readonly resourceId: readonly string[];
  /** The request's action-id values. */
  readonly actionId: readonly string[];
}

export type ContextHandlerErrorCode = 'refused' | 'timeout' | 'network' | 'too-large' | 'http-status' | 'bad-response' | 'wrong-type' | 'circuit-open' | 'overloaded';

export class ContextHandlerError extends Error {
  override readonly name = 'ContextHandlerError';
  constructor(
    readonly handlerId: string,
    readonly reason: ContextHandlerErrorCode,
    readonly detail: string,
  ) {
    super(`context handler ${handlerId}: ${reason}: ${detail}`);
  }
}

export interface ContextHandlerClient extends AttributeResolver {
  readonly registration: ContextHandlerRegistration;
  close(): void;
}

const responseSchema = z.object({ values: z.array(z.string().max(10_000)) });

/** The body sent for one query (exported for handlers' tests and docs). */
export function contextHandlerRequest(query: AttributeQuery, request: ResolverRequestView): ContextHandlerRequest {
  return {
    category: query.category,
    attributeId: query.attributeId,
    datatype: query.datatype,
    ...(query.issuer !== undefined ? { issuer: query.issuer } : {}),
    subjectId: request.values(SUBJECT_CATEGORY, SUBJECT_ID),
    resourceId: request.values(RESOURCE_CATEGORY, RESOURCE_ID),
    actionId: request.values(ACTION_CATEGORY, ACTION_ID),
  };
}

export function createContextHandlerClient(registration: ContextHandlerRegistration, options: ContextHandlerClientOptions = {}): ContextHandlerClient {
  const ownFetcher = options.fetcher === undefined;
  const fetcher = options.fetcher ?? createSafeFetcher(options.policy ?? createOutboundPolicy());
  const timeoutMs = registration.timeoutMs ?? 2000;
  const maxValues = options.maxValues ?? 256;
  const limiter = new ConcurrencyLimiter(options.maxConcurrent ?? 8, options.maxQueued ?? 64);
  const now = options.now ?? Date.now;
  const breaker = new CircuitBreaker({ failureThreshold: options.failureThreshold ?? 5, cooldownMs: options.cooldownMs ?? 30_000, now });
  const fail = (reason: ContextHandlerErrorCode, detail: string): ContextHandlerError => new ContextHandlerError(registration.id, reason, detail);

  async function ask(query: AttributeQuery, request: ResolverRequestView): Promise<readonly string[]> {
    if (!breaker.tryPass()) throw fail('circuit-open', `the circuit breaker is open after ${breaker.consecutiveFailures} consecutive failures`);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    let release: (() => void) | undefined;
    try {
      const slot = await limiter.acquire(deadline.signal);
      if (!slot.ok) throw slot.reason === 'queue-full' ? fail('overloaded', 'too many calls waiting') : fail('timeout', `no free call slot within ${timeoutMs} ms`);
      release = slot.release;
      let res;
      try {
        res = await fetcher.fetch({
          url: registration.endpoint,
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', ...(options.headers ?? {}) },
          body: JSON.stringify(contextHandlerRequest(query, request)),
          timeoutMs,
          maxResponseBytes: options.maxResponseBytes ?? 64 * 1024,
          maxRedirects: 3,
          signal: deadline.signal,
        });
      } catch (e) {
        if (e instanceof OutboundError) {
          if (e.code === 'aborted') throw fail('timeout', `no complete answer within ${timeoutMs} ms`);
          throw fail(e.code === 'too-many-redirects' ? 'refused' : e.code, e.message);
        }
        throw fail('network', (e as Error).message);
      }
      if (res.status !== 200) throw fail('http-status', `HTTP ${res.status}`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(res.body.toString('utf8'));
      } catch {
        throw fail('bad-response', 'the answer is not JSON');
      }
      const body = responseSchema.safeParse(parsed);
      if (!body.success) throw fail('bad-response', 'the answer is not {"values": [string, ...]}');
      if (body.data.values.length > maxValues) throw fail('too-large', `${body.data.values.length} values; at most ${maxValues} are accepted`);
      for (const v of body.data.values) {
        try {
          parseValue(query.datatype, v);
        } catch (e) {
          throw fail('wrong-type', `"${v.slice(0, 60)}" is not a valid ${query.datatype} (${(e as Error).message})`);
        }
      }
      breaker.success();
      return body.data.values;
    } catch (e) {
      const err = e instanceof ContextHandlerError ? e : fail('network', (e as Error).message);
      if (err.reason === 'refused' || err.reason === 'overloaded') breaker.neutral();
      else if (err.reason !== 'circuit-open') breaker.failure();
      throw err;
    } finally {
      clearTimeout(timer);
      release?.();
    }
  }

  const report = (event: ContextHandlerCallEvent): void => {
    try {
      options.onCall?.(event);
    } catch {
      // An observer's failure must not change the outcome.
    }
  };

  return {
    registration,
    async resolve(query, request) {
      const started = now();
      try {
        const values = await ask(query, request);
        report({ handlerId: registration.id, query, values, durationMs: now() - started });
        return values;
      } catch (e) {
        report({ handlerId: registration.id, query, error: (e as Error).message, durationMs: now() - started });
        throw e;
      }
    },
    close(): void {
      if (ownFetcher) fetcher.close();
    },
  };
}
