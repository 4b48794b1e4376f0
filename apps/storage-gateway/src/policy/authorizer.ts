/**
 * Decisions through @safax/pep: one `decide` per operation, one `decideMany` (one round trip
 * per batch) for operations about many objects. The SDK fails closed; every non-Permit here
 * becomes a Verdict that is not allowed, carrying the SAFAX transaction id and why.
 *
 * Obligations: `log-access` writes an audit line before access is granted; `watermark-header`
 * adds a response header. Any other obligation makes the SDK deny (`unhandled-obligation`).
 */
import { assignmentValue, createPdpClient, UNAVAILABLE_CODES } from '@safax/pep';
import type { DecisionResult, PdpClient, PepAction } from '@safax/pep';
import type { ResourceAttributeName } from '../config/gateway-config';
import type { Logger } from '../ops/logger';
import { resourceId, toPepRequest } from './access-request';
import type { AccessRequest, Caller } from './access-request';
import { OBLIGATION, OBLIGATION_PARAM, WATERMARK_HEADER } from './vocabulary';

export type Verdict =
  | { readonly allowed: true; readonly transactionId?: string; readonly headers: Readonly<Record<string, string>> }
  | { readonly allowed: false; readonly transactionId?: string; readonly reason: string };

export interface Authorizer {
  decide(caller: Caller, request: AccessRequest): Promise<Verdict>;
  /** Verdicts in request order; one round trip per batch. */
  decideMany(caller: Caller, requests: readonly AccessRequest[]): Promise<Verdict[]>;
  clearCache(): void;
  close(): Promise<void>;
}

export interface PepAuthorizerOptions {
  readonly pdpUrl: string;
  readonly apiKey?: string;
  readonly format: 'xacml-json' | 'xacml-xml';
  readonly timeoutMs: number;
  readonly cache: false | { readonly ttlMs: number; readonly maxEntries: number };
  readonly breaker?: false | { readonly failureThreshold: number; readonly halfOpenAfterMs: number };
  readonly resourceAttributes: readonly ResourceAttributeName[];
  readonly log: Logger;
}

/** Per call: where obligation handlers put what the response needs, and who asked. */
interface ObligationContext {
  readonly caller: Caller;
  readonly requests: readonly AccessRequest[];
  readonly headers: Map<number, Record<string, string>>;
}

const HEADER_SAFE = /^[\x20-\x7e]{1,1024}$/;

function reasonOf(d: DecisionResult): string {
  const c = d.cause;
  if (c === undefined) return d.decision === 'Deny' ? 'denied by policy' : d.decision;
  if (UNAVAILABLE_CODES.has(c.code) || c.code === 'unauthorized' || c.code === 'rejected') return `no decision from SAFAX-TS (${c.code})`;
  if (c.code === 'not-applicable') return 'no policy permits it';
  if (c.code === 'unhandled-obligation' || c.code === 'obligation-failed') return `obligation ${c.obligationId ?? '?'} cannot be fulfilled (${c.code})`;
  return c.code;
}

export function createPepAuthorizer(options: PepAuthorizerOptions): Authorizer & { readonly client: PdpClient<ObligationContext> } {
  const send = new Set(options.resourceAttributes);
  const client = createPdpClient<ObligationContext>({
    pdpUrl: options.pdpUrl,
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    format: options.format,
    timeoutMs: options.timeoutMs,
    cache: options.cache === false ? false : { ttlMs: options.cache.ttlMs, maxEntries: options.cache.maxEntries },
    ...(options.breaker !== undefined ? { breaker: options.breaker } : {}),
    obligations: {
      [OBLIGATION.logAccess]: (o: PepAction, ctx) => {
        const r = ctx.context.requests[ctx.index];
        options.log.info(
          {
            event: 'audit',
            transactionId: ctx.transactionId,
            decision: ctx.decision,
            user: ctx.context.caller.user,
            accessKeyId: ctx.context.caller.accessKeyId,
            sourceAddress: ctx.context.caller.sourceAddress,
            action: r?.action,
            resource: r ? resourceId(r.resource) : undefined,
            assignments: Object.fromEntries(o.assignments.map((a) => [a.attributeId, a.value])),
          },
          'access',
        );
      },
      [OBLIGATION.watermarkHeader]: (o: PepAction, ctx) => {
        const text = assignmentValue(o, OBLIGATION_PARAM.watermark);
        if (text === undefined || !HEADER_SAFE.test(text)) throw new Error(`${OBLIGATION.watermarkHeader} needs one printable ${OBLIGATION_PARAM.watermark} of at most 1024 characters`);
        const h = ctx.context.headers.get(ctx.index) ?? {};
        h[WATERMARK_HEADER] = text;
        ctx.context.headers.set(ctx.index, h);
      },
    },
  });

  const verdict = (d: DecisionResult, headers: Record<string, string> | undefined): Verdict => {
    const tx = d.transactionId !== undefined ? { transactionId: d.transactionId } : {};
    return d.allowed ? { allowed: true, ...tx, headers: headers ?? {} } : { allowed: false, ...tx, reason: reasonOf(d) };
  };

  return {
    client,
    async decide(caller, request) {
      const context: ObligationContext = { caller, requests: [request], headers: new Map() };
      const d = await client.decide(toPepRequest(caller, request, send), { context });
      return verdict(d, context.headers.get(0));
    },
    async decideMany(caller, requests) {
      if (requests.length === 0) return [];
      const context: ObligationContext = { caller, requests, headers: new Map() };
      const ds = await client.decideMany(
        requests.map((r) => toPepRequest(caller, r, send)),
        { context },
      );
      return ds.map((d, i) => verdict(d, context.headers.get(i)));
    },
    clearCache: () => client.clearCache(),
    close: () => client.close(),
  };
}
