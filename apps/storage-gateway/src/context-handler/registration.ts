/**
 * Registers the gateway as its domain's Context Handler through SAFAX-TS's public API, with
 * the same domains-controller key it asks for decisions with: the Service Repository entry
 * (POST /api/v1/services, or PUT when it exists already), then the domain's registration
 * (PUT /api/v1/domains/{domainId}/context-handler). Idempotent: run at every start.
 */
export interface RegistrationOptions {
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly domainId: string;
  readonly serviceId: string;
  readonly endpoint: string;
  readonly timeoutMs: number;
  /** Deadline of each API call (default 10 s). */
  readonly requestTimeoutMs?: number;
}

export class RegistrationError extends Error {}

async function call(o: RegistrationOptions, method: string, path: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(new URL(path, o.apiUrl), {
    method,
    headers: { authorization: `Bearer ${o.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(o.requestTimeoutMs ?? 10_000),
  });
  return { status: res.status, text: await res.text() };
}

export async function registerContextHandler(o: RegistrationOptions): Promise<{ serviceId: string; created: boolean }> {
  const descriptor = {
    id: o.serviceId,
    provider: { id: 'safax-storage-gateway', name: 'SAFAX-TS storage gateway' },
    description: 'Object attributes (owner, uploader, content type, size, creation time, tags) for policies on the S3 gateway',
    endpoint: o.endpoint,
    method: 'POST',
    type: 'context-handler',
    requestFormat: 'json',
    responseFormat: 'json',
    timeoutMs: o.timeoutMs,
  };
  let created = true;
  let r = await call(o, 'POST', '/api/v1/services', descriptor);
  if (r.status === 409) {
    created = false;
    r = await call(o, 'PUT', `/api/v1/services/${encodeURIComponent(o.serviceId)}`, descriptor);
  }
  if (r.status >= 300) throw new RegistrationError(`registering service ${o.serviceId}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  const reg = await call(o, 'PUT', `/api/v1/domains/${encodeURIComponent(o.domainId)}/context-handler`, { serviceId: o.serviceId });
  if (reg.status >= 300) throw new RegistrationError(`registering the Context Handler for domain ${o.domainId}: HTTP ${reg.status} ${reg.text.slice(0, 300)}`);
  return { serviceId: o.serviceId, created };
}
