/**
 * The one HTTP client of the GUI: same-origin calls with the signed-in API key as bearer token;
 * every non-2xx answer becomes an ApiFailure carrying the API's `{ error: { code, message, details } }`.
 */
export interface ApiIssue {
  readonly code?: string;
  readonly path?: string;
  readonly message?: string;
  readonly line?: number;
  readonly document?: string;
}

export class ApiFailure extends Error {
  override readonly name = 'ApiFailure';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** XACML issues (policy or request errors) when the API sent them. */
  get issues(): ApiIssue[] {
    return Array.isArray(this.details) ? (this.details.filter((d) => typeof d === 'object' && d !== null) as ApiIssue[]) : [];
  }

  /** The input field the error is about: `details.field`, or the path of a validation issue. */
  get field(): string | undefined {
    const d = this.details;
    if (typeof d === 'object' && d !== null && !Array.isArray(d) && typeof (d as { field?: unknown }).field === 'string') return (d as { field: string }).field;
    const first = this.issues[0];
    return first?.path !== undefined && first.path !== '' ? first.path.split('.')[0] : undefined;
  }

  /** A route the server does not have (an older server, or a feature not built yet). */
  get missingRoute(): boolean {
    return this.status === 404 && this.message.startsWith('no route');
  }
}

let apiKey: string | null = null;

export function setApiKey(key: string | null): void {
  apiKey = key;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

async function failureOf(res: Response): Promise<ApiFailure> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; details?: unknown } };
    if (body.error && typeof body.error.code === 'string') return new ApiFailure(res.status, body.error.code, body.error.message ?? body.error.code, body.error.details);
  } catch {
    // not the API's error shape: fall through
  }
  return new ApiFailure(res.status, 'http-' + String(res.status), text.slice(0, 300) || res.statusText);
}

/** Sends a request; `body` strings are sent as-is with the given content type, objects as JSON. */
export async function send(method: string, path: string, body?: unknown, contentType?: string, key: string | null = apiKey): Promise<RawResponse> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  let payload: string | undefined;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    headers['Content-Type'] = contentType ?? 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  } catch {
    throw new ApiFailure(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  }
  if (!res.ok) throw await failureOf(res);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** A GET whose answer is a file (an export): its bytes and headers. */
export async function sendForBlob(path: string, key: string | null = apiKey): Promise<{ blob: Blob; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (key) headers.Authorization = `Bearer ${key}`;
  let res: Response;
  try {
    res = await fetch(path, { headers });
  } catch {
    throw new ApiFailure(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  }
  if (!res.ok) throw await failureOf(res);
  return { blob: await res.blob(), headers: res.headers };
}

async function json<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
  const r = await send(method, path, body, contentType);
  return (r.text === '' ? undefined : JSON.parse(r.text)) as T;
}

export const http = {
  get: <T>(path: string) => json<T>('GET', path),
  post: <T>(path: string, body?: unknown, contentType?: string) => json<T>('POST', path, body ?? {}, contentType),
  put: <T>(path: string, body?: unknown) => json<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => json<T>('PATCH', path, body),
  del: <T>(path: string) => json<T>('DELETE', path),
};

/** Path segment encoder (policy ids are URNs with colons). */
export const seg = (s: string): string => encodeURIComponent(s);
