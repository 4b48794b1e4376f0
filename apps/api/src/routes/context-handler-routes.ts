/** Context Handler registrations: a domains controller names its handler for a domain. */
import { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import { SERVICE_ID_PATTERN } from '@safax/contracts';
import type { AppDeps } from '../app-deps';
import { isAdmin } from '../auth/actor';
import { requireActor } from '../auth/authenticate';
import { ApiError } from '../errors/api-error';
import { onDomain } from '../audit/audit-scopes';
import { auditTrail, noteAudit } from '../audit/audit-trail';
import type { Guard } from '../pep/guard';
import { listContextHandlers } from '../services/context-handlers/list-context-handlers';
import { registerContextHandler } from '../services/context-handlers/register-context-handler';
import { removeContextHandler } from '../services/context-handlers/remove-context-handler';
import { findDomain } from '../services/domains/get-domain';
import { pathParam, validate } from './http-helpers';

export const registerContextHandlerBody = z.strictObject({ serviceId: z.string().regex(SERVICE_ID_PATTERN) });

export function contextHandlerRoutes(deps: AppDeps, guard: Guard): Router {
  const r = Router();
  const audit = auditTrail(deps);
  const domain = (req: Request) => ({ type: 'domain' as const, id: pathParam(req, 'domainId') });
  r.get('/api/v1/domains/:domainId/context-handlers', guard('context-handler:list', domain), async (req, res) => {
    res.json({ items: await listContextHandlers(deps, pathParam(req, 'domainId')) });
  });
  r.put('/api/v1/domains/:domainId/context-handler', guard('context-handler:register', domain), audit('context-handler.register', onDomain(deps, 'context-handler')), async (req, res) => {
    const b = validate(registerContextHandlerBody, req.body);
    const out = await registerContextHandler(deps, requireActor(res.locals), pathParam(req, 'domainId'), b.serviceId);
    noteAudit(res, { resourceId: out.controllerId, summary: `Context Handler ${b.serviceId} registered for the caller` });
    res.json(out);
  });
  r.delete('/api/v1/domains/:domainId/context-handlers/:controllerId', guard('context-handler:delete', domain), audit('context-handler.remove', onDomain(deps, 'context-handler', 'controllerId')), async (req, res) => {
    const actor = requireActor(res.locals);
    const domainId = pathParam(req, 'domainId');
    const controllerId = pathParam(req, 'controllerId');
    // The policy lets a controller remove registrations; only its own, unless it also manages the domain.
    if (actor.id !== controllerId && !isAdmin(actor)) {
      const d = await findDomain(deps, domainId);
      if (d.ownerId !== actor.id && !d.collaboratorIds.includes(actor.id)) throw new ApiError('forbidden', 'a domains controller removes only its own Context Handler');
    }
    await removeContextHandler(deps, domainId, controllerId);
    noteAudit(res, { summary: `removed the Context Handler registration of controller ${controllerId}` });
    res.status(204).end();
  });
  return r;
}
