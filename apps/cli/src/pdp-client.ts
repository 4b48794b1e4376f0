/**
 * The CLI's PDP client: @safax/pep (never a PDP client of our own), for `decide` and remote
 * policy tests. No obligation handlers are registered — the CLI reports the PDP's answer, and
 * the SDK's fail-closed verdict beside it.
 */
import { createPdpClient } from '@safax/pep';
import type { PdpClient } from '@safax/pep';
import type { RequestFormat } from './requests';

export function pdpClient(pdpUrl: string, apiKey: string | undefined, format: RequestFormat, timeoutMs: number): PdpClient {
  return createPdpClient({ pdpUrl, ...(apiKey ? { apiKey } : {}), format, timeoutMs, retries: 0, breaker: false });
}
