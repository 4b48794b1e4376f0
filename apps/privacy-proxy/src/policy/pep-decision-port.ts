/**
 * The decision port on @safax/pep: one `decideMany` per statement (all its datasets in one
 * round trip, XACML JSON Profile MultiRequests by default), fail-closed results mapped to the
 * proxy's outcomes. The four protection obligations are registered with `acceptObligation`:
 * the proxy fulfils them itself on the result rows; any other obligation makes the SDK deny
 * (cause `unhandled-obligation`).
 */
import { acceptObligation, action, createPdpClient, intermediarySubject, resource, subject, UNAVAILABLE_CODES } from '@safax/pep';
import type { DecisionResult, PdpClient, PepRequest, Properties } from '@safax/pep';
import type { DatasetRequest, DecisionPort, PortDecision } from './decision-port';
import { ATTRIBUTE, OBLIGATION } from './vocabulary';

export interface PepPortOptions {
  readonly pdpUrl: string;
  readonly apiKey?: string;
  readonly format: 'xacml-json' | 'xacml-xml';
  readonly timeoutMs: number;
  readonly cache: false | { readonly ttlMs: number; readonly maxEntries: number };
  /** Only for tests of the breaker-free behaviour; production keeps the SDK default. */
  readonly breaker?: false | { readonly failureThreshold: number; readonly halfOpenAfterMs: number };
}

export function toPepRequest(r: DatasetRequest): PepRequest {
  const subjectProps: Record<string, readonly string[]> = {};
  if (r.subject.groups.length > 0) subjectProps[ATTRIBUTE.group] = r.subject.groups;
  if (r.subject.roles.length > 0) subjectProps[ATTRIBUTE.role] = r.subject.roles;
  const resourceProps: Record<string, string | readonly string[]> = { [ATTRIBUTE.resourceType]: r.resource.type };
  if (r.resource.columns.length > 0) resourceProps[ATTRIBUTE.column] = r.resource.columns;
  const environment: Properties | undefined = r.purpose !== undefined ? { [ATTRIBUTE.purpose]: r.purpose } : undefined;
  return {
    subject: subject(r.subject.id, { properties: subjectProps }),
    action: action(r.action),
    resource: resource(r.resource.id, { properties: resourceProps }),
    ...(environment !== undefined ? { environment } : {}),
    ...(r.onBehalfOf !== undefined ? { categories: [intermediarySubject(r.onBehalfOf)] } : {}),
  };
}

export function toPortDecision(d: DecisionResult): PortDecision {
  const tx = d.transactionId !== undefined ? { transactionId: d.transactionId } : {};
  if (d.allowed) return { outcome: 'permit', obligations: d.obligations.map((o) => ({ id: o.id, assignments: o.assignments.map((a) => ({ attributeId: a.attributeId, value: a.value })) })), ...tx };
  const cause = d.cause;
  if (cause === undefined) return { outcome: 'deny', reason: 'deny', message: 'Deny', ...tx };
  if (UNAVAILABLE_CODES.has(cause.code) || cause.code === 'unauthorized' || cause.code === 'rejected' || cause.code === 'aborted') return { outcome: 'unavailable', message: `${cause.code}: ${cause.message}`, ...tx };
  switch (cause.code) {
    case 'not-applicable':
      return { outcome: 'deny', reason: 'not-applicable', message: cause.message, ...tx };
    case 'indeterminate':
      return { outcome: 'deny', reason: 'indeterminate', message: cause.message, ...tx };
    case 'unhandled-obligation':
    case 'obligation-failed':
      return { outcome: 'deny', reason: 'unknown-obligation', message: cause.obligationId ?? cause.message, ...tx };
    case 'invalid-request':
      return { outcome: 'deny', reason: 'invalid-request', message: cause.message, ...tx };
    default:
      return { outcome: 'unavailable', message: `${cause.code}: ${cause.message}`, ...tx };
  }
}

export function createPepDecisionPort(options: PepPortOptions): DecisionPort & { readonly client: PdpClient } {
  const client = createPdpClient({
    pdpUrl: options.pdpUrl,
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    format: options.format,
    timeoutMs: options.timeoutMs,
    cache: options.cache === false ? false : { ttlMs: options.cache.ttlMs, maxEntries: options.cache.maxEntries },
    ...(options.breaker !== undefined ? { breaker: options.breaker } : {}),
    obligations: Object.fromEntries(Object.values(OBLIGATION).map((id) => [id, acceptObligation])),
  });
  return {
    client,
    async decideMany(requests) {
      const results = await client.decideMany(requests.map(toPepRequest));
      return results.map(toPortDecision);
    },
    close: () => client.close(),
  };
}
