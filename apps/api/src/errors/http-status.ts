/** The ONE table from error code to HTTP status; a new code without a status does not compile. */
import type { ApiErrorCode } from './api-error';

export const HTTP_STATUS: Readonly<Record<ApiErrorCode, number>> = {
  'bad-request': 400,
  'malformed-body': 400,
  'invalid-policy': 400,
  'invalid-xacml-request': 400,
  'endpoint-refused': 400,
  unauthenticated: 401,
  forbidden: 403,
  'quota-exceeded': 403,
  'not-found': 404,
  conflict: 409,
  'payload-too-large': 413,
  'rate-limited': 429,
  'unsupported-media-type': 415,
  internal: 500,
  unavailable: 503,
};
