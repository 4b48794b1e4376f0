/**
 * The platform's HTTP API, typed from openapi.yaml (openapi-typescript → openapi-types.ts,
 * openapi-fetch): a call that does not match the contract does not compile. Every call has a
 * timeout; an error answer becomes a CliError carrying the API's error code, a network failure
 * an `unreachable` one.
 */
import createClient from 'openapi-fetch';
import type { Client } from 'openapi-fetch';
import { CliError, cliCodeOfApi } from '../exit-codes';
import type { Connection } from '../config-store';
import type { components, paths } from './openapi-types';

export type Api = Client<paths>;
export type Schemas = components['schemas'];

export const DEFAULT_TIMEOUT_MS = 30_000;

export function createApi(conn: Connection, timeoutMs = DEFAULT_TIMEOUT_MS): Api {
  return createClient<paths>({
    baseUrl: conn.url,
    headers: conn.apiKey ? { Authorization: `Bearer ${conn.apiKey}` } : {},
    fetch: (request: Request) => fetch(request, { signal: AbortSignal.timeout(timeoutMs) }),
  });
}

interface ApiErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** Why a request never got an answer, in a few words. */
export function networkCause(e: unknown): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return 'timed out';
  const cause = (e as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return e instanceof Error ? e.message : String(e);
}

/** The data of a successful answer; a CliError otherwise. */
export async function call<T>(url: string, pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await pending;
  } catch (e) {
    throw new CliError('unreachable', `cannot reach ${url}: ${networkCause(e)}`);
  }
  const { response } = result;
  if (response.ok) return result.data as T;
  const body = (result.error ?? {}) as ApiErrorBody;
  const apiCode = typeof body.error?.code === 'string' ? body.error.code : `http-${response.status}`;
  const message = typeof body.error?.message === 'string' ? body.error.message : `HTTP ${response.status} ${response.statusText}`;
  throw new CliError(cliCodeOfApi(apiCode, response.status), message, { status: response.status, code: apiCode, ...(body.error?.details !== undefined ? { details: body.error.details } : {}) });
}
