/**
 * The one input-hygiene layer: text the API stores or looks up must be well-formed Unicode
 * without NUL, and identifiers short enough to be keys. Both databases differ here (PostgreSQL
 * refuses NUL and unpaired surrogates and bounds index rows; SQLite takes anything), so the
 * API refuses such input itself, before any route runs or anything is stored, with a 400
 * naming where the problem is:
 *
 * - `requestHygiene` (first middleware): every path segment and query parameter is
 *   percent-decoded (malformed encoding → 400), then checked;
 * - `bodyHygiene` (after each body parser): every string of a JSON body, or the text of an
 *   XML/JSON document body, is checked;
 * - `idProblem` for identifiers taken out of documents (PolicyId, Version) and `safeText` for
 *   zod schemas.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { ApiError } from '../errors/api-error';

/** UTF-8 bytes of an identifier (a path segment, a PolicyId): well inside a PostgreSQL index row. */
export const MAX_ID_BYTES = 1024;
/** UTF-8 bytes of one query parameter value. */
export const MAX_QUERY_VALUE_BYTES = 4096;

// eslint-disable-next-line no-control-regex -- NUL is exactly what is refused
const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a text cannot be stored, or undefined. */
export function textProblem(s: string): string | undefined {
  if (NUL.test(s)) return 'contains a NUL character';
  if (LONE_SURROGATE.test(s)) return 'contains an unpaired UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

/** Why an identifier cannot be stored, or undefined. */
export function idProblem(s: string): string | undefined {
  const bytes = Buffer.byteLength(s, 'utf8');
  if (bytes > MAX_ID_BYTES) return `is ${bytes} bytes long; the limit is ${MAX_ID_BYTES}`;
  return textProblem(s);
}

/** A zod string that refuses NUL and unpaired surrogates (for schemas that take free text). */
export function safeText(): z.ZodString {
  return z.string().refine((s) => textProblem(s) === undefined, { error: (issue) => `text ${textProblem(String(issue.input)) ?? 'is invalid'}` });
}

function refuse(where: string, problem: string): ApiError {
  return new ApiError('bad-request', `${where} ${problem}`, { where });
}

function decoded(raw: string, where: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw refuse(where, 'has malformed percent-encoding');
  }
}

/** Path segments and query parameters: decodable, storable, ids of bounded length. */
export const requestHygiene: RequestHandler = (req, _res, next) => {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  for (const segment of path.split('/')) {
    if (segment === '') continue;
    const text = decoded(segment, 'a path segment');
    const problem = idProblem(text);
    if (problem) throw refuse(`the path segment "${text.slice(0, 40)}${text.length > 40 ? '…' : ''}"`, problem);
  }
  if (q >= 0) {
    for (const pair of url.slice(q + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const name = decoded((eq < 0 ? pair : pair.slice(0, eq)).replaceAll('+', ' '), 'a query parameter name');
      const value = eq < 0 ? '' : decoded(pair.slice(eq + 1).replaceAll('+', ' '), `query parameter ${name}`);
      const problem = textProblem(name) ?? textProblem(value) ?? (Buffer.byteLength(value, 'utf8') > MAX_QUERY_VALUE_BYTES ? `is longer than ${MAX_QUERY_VALUE_BYTES} bytes` : undefined);
      if (problem) throw refuse(`query parameter ${textProblem(name) ? '(name)' : name}`, problem);
    }
  }
  next();
};

/** The first problem in a parsed JSON value, with its path. */
function jsonProblem(v: unknown, path: string, depth: number): string | undefined {
  if (typeof v === 'string') {
    const p = textProblem(v);
    return p ? `${path || '(root)'} ${p}` : undefined;
  }
  if (depth > 64 || v === null || typeof v !== 'object') return undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = jsonProblem(v[i], `${path}[${i}]`, depth + 1);
      if (p) return p;
    }
    return undefined;
  }
  for (const [k, x] of Object.entries(v)) {
    const keyProblem = textProblem(k);
    if (keyProblem) return `a key of ${path || '(root)'} ${keyProblem}`;
    const p = jsonProblem(x, path ? `${path}.${k}` : k, depth + 1);
    if (p) return p;
  }
  return undefined;
}

/** A parsed body (a document's text or a JSON value): throws the 400 naming its first unstorable text. */
export function checkBody(body: unknown): void {
  if (typeof body === 'string') {
    const p = textProblem(body);
    if (p) throw new ApiError('bad-request', `the request body ${p}`, { where: 'body' });
  } else if (body !== undefined) {
    const p = jsonProblem(body, '', 0);
    if (p) throw new ApiError('bad-request', `invalid input at ${p}`, { where: 'body' });
  }
}

/** After a body parser: the JSON body's strings, or the document text, must be storable. */
export const bodyHygiene: RequestHandler = (req, _res, next) => {
  checkBody(req.body);
  next();
};

/** A body parser followed by the body check, as one handler. */
export function checkedBody(parser: RequestHandler): RequestHandler {
  return (req, res, next) => {
    void parser(req, res, (err?: unknown) => {
      if (err !== undefined && err !== null) {
        next(err);
        return;
      }
      try {
        bodyHygiene(req, res, next);
      } catch (e) {
        next(e);
      }
    });
  };
}
