/**
 * The api's typed errors: one closed set of codes (see http-status.ts for their HTTP status).
 * Services and repositories throw ApiError; the one error middleware turns it into
 * `{ error: { code, message, details? } }`.
 */
export type ApiErrorCode =
  | 'bad-request'
  | 'malformed-body'
  | 'invalid-policy'
  | 'invalid-xacml-request'
  | 'endpoint-refused'
  | 'unauthenticated'
  | 'forbidden'
  | 'quota-exceeded'
  | 'rate-limited'
  | 'not-found'
  | 'conflict'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'internal'
  | 'unavailable';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function notFound(what: string): ApiError {
  return new ApiError('not-found', `${what} not found`);
}

export function conflict(message: string, details?: unknown): ApiError {
  return new ApiError('conflict', message, details);
}

export function badRequest(message: string, details?: unknown): ApiError {
  return new ApiError('bad-request', message, details);
}

/** The wire shape of every error response. */
export interface ErrorBody {
  readonly error: { readonly code: ApiErrorCode; readonly message: string; readonly details?: unknown };
}
