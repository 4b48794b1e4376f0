/**
 * Dataset rights of a domain (the access-rights manager): list, grant, revoke. The rights live
 * in the domain's managed policy (`urn:safax:managed:dataset-rights`), each change a new
 * version through the PAP; owners and collaborators of the domain's project manage them.
 */
import { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import { DATASET_PATTERN, RIGHTS_NAME_PATTERN, SUBJECT_KINDS, grantRightsSchema, revokeRightsSchema } from '@safax/contracts';
import type { AppDeps } from '../app-deps';
import { onDomain } from '../audit/audit-scopes';
import { auditTrail, noteAudit } from '../audit/audit-trail';
import { requireActor } from '../auth/authenticate';
import type { Guard } from '../pep/guard';
import { grantRights, revokeRights } from '../services/rights/change-rights';
import { listRights } from '../services/rights/list-rights';
import { pathParam, validate } from './http-helpers';

export const rightsQuery = z.strictObject({
  kind: z.enum(SUBJECT_KINDS).optional(),
  subject: z.string().regex(RIGHTS_NAME_PATTERN, 'a user, group or role name').optional(),
  dataset: z.string().regex(DATASET_PATTERN, 'schema.table in lower case').optional(),
});
export { grantRightsSchema as grantRightsBody, revokeRightsSchema as revokeRightsBody };

export function rightsRoutes(deps: AppDeps, guard: Guard): Router {
  const r = Router();
  const audit = auditTrail(deps);
  const domain = (req: Request) => ({ type: 'domain' as const, id: pathParam(req, 'domainId') });
  r.get('/api/v1/domains/:domainId/rights', guard('rights:read', domain), async (req, res) => {
    const q = validate(rightsQuery, req.query);
    res.json(await listRights(deps, pathParam(req, 'domainId'), { ...(q.kind ? { subjectKind: q.kind } : {}), ...(q.subject ? { subject: q.subject } : {}), ...(q.dataset ? { dataset: q.dataset } : {}) }));
  });
  r.post('/api/v1/domains/:domainId/rights/grant', guard('rights:write', domain), audit('rights.grant', onDomain(deps, 'rights')), async (req, res) => {
    const body = validate(grantRightsSchema, req.body);
    noteAudit(res, { summary: `grant ${body.actions.join(', ')} on ${body.dataset} to ${body.subject.kind} ${body.subject.name}`, details: body });
    res.json(await grantRights(deps, requireActor(res.locals), pathParam(req, 'domainId'), body));
  });
  r.post('/api/v1/domains/:domainId/rights/revoke', guard('rights:write', domain), audit('rights.revoke', onDomain(deps, 'rights')), async (req, res) => {
    const body = validate(revokeRightsSchema, req.body);
    noteAudit(res, { summary: `revoke ${body.actions?.join(', ') ?? 'all actions'} on ${body.dataset} from ${body.subject.kind} ${body.subject.name}`, details: body });
    res.json(await revokeRights(deps, requireActor(res.locals), pathParam(req, 'domainId'), body));
  });
  return r;
}
