/**
 * Fetches a service descriptor from a URL its provider publishes (e.g. a trust service's
 * `GET /descriptor`), so that an owner can register a service from the GUI by URL. The fetch
 * goes through the platform's outbound policy like every call the PDPs make (no loopback,
 * private or metadata addresses unless allowed; each redirect hop judged; a deadline and a
 * size bound) and the answer is validated with the Service Repository's own schema. Nothing
 * is stored: registering is POST /api/v1/services with the descriptor returned.
 */
import { serviceDescriptorSchema } from '@safax/contracts';
import { OutboundError } from '@safax/udf-client';
import type { AppDeps } from '../../app-deps';
import { ApiError } from '../../errors/api-error';

export const DESCRIPTOR_FETCH_TIMEOUT_MS = 5_000;
export const DESCRIPTOR_MAX_BYTES = 64 * 1024;

export async function fetchDescriptor(deps: Pick<AppDeps, 'checkEndpoint' | 'fetchOutbound'>, url: string, limits: { timeoutMs?: number; maxBytes?: number } = {}) {
  if (!deps.fetchOutbound) throw new ApiError('unavailable', 'this server does not fetch descriptors: paste the descriptor instead');
  if (deps.checkEndpoint) {
    const verdict = await deps.checkEndpoint(url);
    if (!verdict.ok) throw new ApiError('endpoint-refused', `the descriptor URL is not allowed by the outbound policy (${verdict.code}): ${verdict.reason}`, { reason: verdict.code, url });
  }
  let res;
  try {
    res = await deps.fetchOutbound({ url, method: 'GET', headers: { accept: 'application/json' }, timeoutMs: limits.timeoutMs ?? DESCRIPTOR_FETCH_TIMEOUT_MS, maxResponseBytes: limits.maxBytes ?? DESCRIPTOR_MAX_BYTES });
  } catch (e) {
    if (!(e instanceof OutboundError)) throw e;
    if (e.code === 'refused') throw new ApiError('endpoint-refused', `the descriptor URL is not allowed by the outbound policy: ${e.message}`, { reason: 'address-refused', url });
    throw new ApiError('bad-request', `the descriptor could not be fetched (${e.code}): ${e.message}`, { reason: e.code, url });
  }
  if (res.status !== 200) throw new ApiError('bad-request', `the descriptor URL answered HTTP ${res.status}, not 200`, { reason: 'http-status', status: res.status, url });
  const type = String(res.headers['content-type'] ?? '');
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) throw new ApiError('bad-request', `the descriptor URL answered ${type || 'no content type'}, not JSON`, { reason: 'not-json', url });
  let body: unknown;
  try {
    body = JSON.parse(res.body.toString('utf8'));
  } catch {
    throw new ApiError('bad-request', 'the descriptor URL answered with malformed JSON', { reason: 'not-json', url });
  }
  const parsed = serviceDescriptorSchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    const first = issues[0];
    throw new ApiError('bad-request', `the document at the URL is not a valid service descriptor: ${first ? `${first.path || '(root)'}: ${first.message}` : 'invalid'}`, issues);
  }
  return { url: res.url, descriptor: parsed.data };
}
