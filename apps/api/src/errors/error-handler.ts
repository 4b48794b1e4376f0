/**
 * The one place errors become HTTP: ApiError by the status table, zod and XACML errors as
 * 400s with their issues, body-parser failures as malformed/too-large, anything else as a 500
 * without internals.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { XacmlError } from '@safax/xacml';
import { ApiError } from './api-error';
import type { ApiErrorCode, ErrorBody } from './api-error';
import { HTTP_STATUS } from './http-status';

interface BodyParserError {
  readonly type: string;
  readonly status?: number;
}

function isBodyParserError(e: unknown): e is BodyParserError {
  return typeof e === 'object' && e !== null && typeof (e as { type?: unknown }).type === 'string' && typeof (e as { status?: unknown }).status === 'number';
}

/** Normalises anything thrown into an ApiError. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ZodError) {
    const details = err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    const first = details[0];
    return new ApiError('bad-request', first ? `invalid input at ${first.path || '(root)'}: ${first.message}` : 'invalid input', details);
  }
  if (err instanceof XacmlError) {
    const code: ApiErrorCode = err.kind === 'request' ? 'invalid-xacml-request' : 'invalid-policy';
    return new ApiError(code, err.message, err.issues);
  }
  if (isBodyParserError(err)) {
    if (err.type === 'entity.too.large') return new ApiError('payload-too-large', 'request body too large');
    if (err.type === 'entity.parse.failed') return new ApiError('malformed-body', 'request body is not well-formed');
    if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') return new ApiError('unsupported-media-type', 'unsupported body encoding');
    if (err.status !== undefined && err.status >= 400 && err.status < 500) return new ApiError('bad-request', 'unreadable request body');
  }
  return new ApiError('internal', 'internal error');
}

export function errorBody(e: ApiError): ErrorBody {
  return { error: e.details === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, details: e.details } };
}

/** What anything thrown answers: status and body; an internal error is logged, never shown. */
export function errorAnswer(err: unknown, log: (err: unknown) => void): { status: number; body: ErrorBody } {
  const e = toApiError(err);
  if (e.code === 'internal') log(err);
  return { status: HTTP_STATUS[e.code], body: errorBody(e) };
}

export function errorHandler(log: (err: unknown) => void): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const { status, body } = errorAnswer(err, log);
    res.status(status).json(body);
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ApiError('not-found', `no route ${req.method} ${req.path}`));
};
