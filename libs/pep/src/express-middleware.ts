/**
 * Express middleware: ask the PDP before a route runs.
 *
 *   app.get('/records/:id', requireDecision(pdp, (req) => ({ subject: …, action: …, resource: … })), handler)
 *
 * Permit (with every obligation handled) → `res.locals.pep` holds the DecisionResult and the
 * route runs. Otherwise 403 `{ error: { code: 'access-denied', message, transactionId } }`
 * with X-Transaction-Id, or 503 `{ error: { code: 'pdp-unavailable', … } }` (and
 * Retry-After) when no decision could be obtained; `onDeny` replaces both. Bodies never carry
 * policy ids or error text. Obligation handlers get `{ req, res }` as their context.
 *
 * Only types come from express: the SDK has no runtime dependency on it.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { DecisionResult } from './decision';
import { UNAVAILABLE_CODES } from './decision';
import type { PdpClient } from './client';
import type { PepRequest } from './request';

/** What obligation handlers receive as `ctx.context` when called from the middleware. */
export interface HttpContext {
  readonly req: Request;
  readonly res: Response;
}

export interface RequireDecisionOptions {
  /** Answers a denied request instead of the default 403/503 (it must end the response or call next(err)). */
  readonly onDeny?: (result: DecisionResult, req: Request, res: Response, next: NextFunction) => void | Promise<void>;
  /** res.locals key for the result (default 'pep'). */
  readonly localsKey?: string;
  /** Retry-After seconds on the default 503 (default 1). */
  readonly retryAfterSeconds?: number;
}

export const DEFAULT_LOCALS_KEY = 'pep';

/** The decision the middleware attached to this response (undefined when none ran). */
export function pepDecision(res: Response, localsKey: string = DEFAULT_LOCALS_KEY): DecisionResult | undefined {
  return res.locals[localsKey] as DecisionResult | undefined;
}

export function requireDecision(
  client: Pick<PdpClient<HttpContext>, 'decide'>,
  toRequest: (req: Request) => PepRequest | Promise<PepRequest>,
  options: RequireDecisionOptions = {},
): RequestHandler {
  if (!client || typeof client.decide !== 'function') throw new TypeError('requireDecision: the first argument must be a PDP client (createPdpClient)');
  if (typeof toRequest !== 'function') throw new TypeError('requireDecision: the second argument must be a function req → decision request');
  if (options.onDeny !== undefined && typeof options.onDeny !== 'function') throw new TypeError('requireDecision: onDeny must be a function');
  const key = options.localsKey ?? DEFAULT_LOCALS_KEY;
  if (typeof key !== 'string' || key === '') throw new TypeError('requireDecision: localsKey must be a non-empty string');
  const retryAfter = options.retryAfterSeconds ?? 1;
  if (!Number.isInteger(retryAfter) || retryAfter < 0) throw new TypeError('requireDecision: retryAfterSeconds must be an integer >= 0');

  return async (req, res, next) => {
    let request: PepRequest;
    try {
      request = await toRequest(req);
    } catch (e) {
      // No request, no decision, no access: the app's error handler answers.
      next(e);
      return;
    }
    const result = await client.decide(request, { context: { req, res } });
    res.locals[key] = result;
    if (result.transactionId !== undefined && !res.headersSent) res.set('X-Transaction-Id', result.transactionId);
    if (result.allowed) {
      next();
      return;
    }
    if (options.onDeny) {
      await options.onDeny(result, req, res, next);
      return;
    }
    if (res.headersSent) return;
    if (result.cause && UNAVAILABLE_CODES.has(result.cause.code)) {
      res.status(503).set('Retry-After', String(retryAfter)).json({ error: { code: 'pdp-unavailable', message: 'The authorization service is unavailable; try again later.' } });
      return;
    }
    res.status(403).json({ error: { code: 'access-denied', message: 'Access denied.', ...(result.transactionId !== undefined ? { transactionId: result.transactionId } : {}) } });
  };
}
