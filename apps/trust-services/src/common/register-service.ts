/**
 * Self-registration in the SAFAX-TS Service Repository: POST the service's descriptor to
 * `<api>/api/v1/services` with an API key; if the id is already registered (409), update it
 * with PUT `<api>/api/v1/services/<id>`. The API validates the descriptor and refuses an
 * endpoint its outbound policy does not allow.
 */
import type { ServiceDescriptorInput } from '@safax/contracts';

export interface RegistrationTarget {
  /** Base URL of the SAFAX-TS API, e.g. http://127.0.0.1:8080 */
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly timeoutMs?: number;
}

export type RegistrationResult =
  | { readonly ok: true; readonly status: number; readonly action: 'created' | 'updated' }
  | { readonly ok: false; readonly status: number; readonly message: string };

async function send(url: string, method: string, target: RegistrationTarget, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    redirect: 'error',
    signal: AbortSignal.timeout(target.timeoutMs ?? 5000),
  });
  return { status: res.status, text: (await res.text()).slice(0, 2000) };
}

function errorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } };
    return parsed.error?.message ?? text;
  } catch {
    return text;
  }
}

export async function registerService(target: RegistrationTarget, descriptor: ServiceDescriptorInput): Promise<RegistrationResult> {
  const base = target.apiUrl.replace(/\/$/, '');
  try {
    const created = await send(`${base}/api/v1/services`, 'POST', target, descriptor);
    if (created.status === 201 || created.status === 200) return { ok: true, status: created.status, action: 'created' };
    if (created.status !== 409) return { ok: false, status: created.status, message: errorMessage(created.text) };
    const updated = await send(`${base}/api/v1/services/${encodeURIComponent(descriptor.id)}`, 'PUT', target, descriptor);
    if (updated.status === 200 || updated.status === 204) return { ok: true, status: updated.status, action: 'updated' };
    return { ok: false, status: updated.status, message: errorMessage(updated.text) };
  } catch (e) {
    return { ok: false, status: 0, message: (e as Error).message };
  }
}
