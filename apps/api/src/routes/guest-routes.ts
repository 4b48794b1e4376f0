/** Guest mode (SAFAX §5.2): anyone without an API key gets a throw-away guest with a test domain. */
import { Router } from 'express';
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { ApiError } from '../errors/api-error';
import { onSystem } from '../audit/audit-scopes';
import { auditTrail, noteAudit } from '../audit/audit-trail';
import type { Guard } from '../pep/guard';
import { createGuest } from '../services/guests/create-guest';
import { validate } from './http-helpers';

export const createGuestBody = z.strictObject({});

const HOUR_MS = 60 * 60 * 1000;

export function guestRoutes(deps: AppDeps, guard: Guard): Router {
  const r = Router();
  const audit = auditTrail(deps);
  // The one route anybody can call that creates state: bounded per client address, counted
  // in memory per replica (a bound on abuse, not an exact quota). Only guests created count:
  // it runs after the PEP (a refused call never reaches it) and gives back the hit of any
  // call that did not create a guest (bad body, guest mode off, a failure, the 429 itself).
  const perClient = rateLimit({
    windowMs: HOUR_MS,
    limit: deps.config.guestsPerHour,
    skipFailedRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Its own check would print to the console on every such request; ours logs once, in our format.
    validate: { xForwardedForHeader: false },
    handler: (_req, _res, next, options) => {
      next(new ApiError('rate-limited', `at most ${options.limit} guest sessions per hour from one address: try again later`, { limit: options.limit, windowMs: HOUR_MS }));
    },
  });
  let warned = false;
  const noteUntrustedProxy: RequestHandler = (req, _res, next) => {
    if (!warned && deps.config.trustProxy === false && req.get('x-forwarded-for') !== undefined) {
      warned = true;
      deps.log.info('X-Forwarded-For arrives but SAFAX_TRUST_PROXY is off: guest rate limits count the proxy, not its clients', { from: req.ip });
    }
    next();
  };
  r.post('/api/v1/guest', noteUntrustedProxy, guard('guest:create', () => ({ type: 'system' })), perClient, audit('guest.create', onSystem('principal')), async (req, res) => {
    validate(createGuestBody, req.body ?? {});
    const g = await createGuest(deps);
    noteAudit(res, { resourceId: g.principal.id, projectId: g.project.id, domainId: g.domain.id, summary: `guest session ${g.principal.name} started (expires ${g.expiresAt})` });
    res.status(201).json(g);
  });
  return r;
}
