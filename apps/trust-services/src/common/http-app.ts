/**
 * What every trust service shares at the HTTP edge: body limits, zod validation with one
 * error shape, an optional bearer token guarding writes, health and descriptor routes, and
 * one error handler (express 5 forwards rejected promises to it).
 */
import crypto from 'node:crypto';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { z } from 'zod';
import type { ServiceDescriptorInput } from '@safax/contracts';

export type ErrorCode = 'invalid-input' | 'unauthorized' | 'not-found' | 'limit-exceeded' | 'payload-too-large' | 'unsupported-media-type' | 'internal';

const HTTP_STATUS: Record<ErrorCode, number> = {
  'invalid-input': 400,
  unauthorized: 401,
  'not-found': 404,
  'limit-exceeded': 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  internal: 500,
};

/** A failure a route reports to its caller; mapped to a status in one place. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface TrustAppOptions {
  /** When set, every write (POST/PUT/DELETE on data) needs `Authorization: Bearer <token>`. */
  readonly writeToken?: string;
  /** Largest request body (default 16 KiB). */
  readonly bodyLimit?: string;
  /** Base URL the service is reachable at, for its descriptor (default from the request). */
  readonly publicUrl?: string;
}

/** Validates with zod; a failure becomes a 400 naming the first problem. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new ServiceError('invalid-input', `${path}${issue?.message ?? 'invalid input'}`);
  }
  return r.data;
}

export function requireWriteToken(token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : crypto.createHash('sha256').update(token).digest();
  return (req, _res, next) => {
    if (expected === undefined) return next();
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? crypto.createHash('sha256').update(header.slice(7)).digest() : undefined;
    if (given === undefined || !crypto.timingSafeEqual(given, expected)) return next(new ServiceError('unauthorized', 'this operation needs the service write token'));
    next();
  };
}

export function createBaseApp(options: TrustAppOptions, descriptor: (baseUrl: string) => ServiceDescriptorInput): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const limit = options.bodyLimit ?? '16kb';
  app.use(express.json({ limit, strict: true }));
  app.use(express.urlencoded({ limit, extended: false, parameterLimit: 50 }));
  app.use(express.text({ limit, type: ['application/xml', 'text/xml'] }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/descriptor', (req, res) => {
    res.json(descriptor(options.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`));
  });
  return app;
}

/** Registered last: unknown routes and every thrown error get one JSON shape. */
export function finishApp(app: express.Express): express.Express {
  app.use((_req, _res, next) => next(new ServiceError('not-found', 'no such route')));
  const onError: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    const e = err as { type?: string; status?: number; message?: string };
    let code: ErrorCode;
    let message: string;
    if (err instanceof ServiceError) {
      code = err.code;
      message = err.message;
    } else if (e.type === 'entity.too.large') {
      code = 'payload-too-large';
      message = 'the request body is too large';
    } else if (e.type === 'entity.parse.failed') {
      code = 'invalid-input';
      message = 'the request body is not valid JSON';
    } else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      code = 'invalid-input';
      message = 'the request could not be read';
    } else {
      code = 'internal';
      message = 'internal error';
    }
    res.status(HTTP_STATUS[code]).json({ error: { code, message } });
  };
  app.use(onError);
  return app;
}

/** A string identifier as the services accept it: 1-200 printable characters. */
export const ID_PATTERN = /^\P{Cc}{1,200}$/u;
