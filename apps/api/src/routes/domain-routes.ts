/** Domains of a project, and the domains controllers authorised to call their PDPs. */
import { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { onDomain, onProject } from '../audit/audit-scopes';
import { auditTrail, noteAudit } from '../audit/audit-trail';
import type { Guard } from '../pep/guard';
import { addController } from '../services/domains/add-controller';
import { createController } from '../services/domains/create-controller';
import { createDomain } from '../services/domains/create-domain';
import { deleteDomain } from '../services/domains/delete-domain';
import { getDomain } from '../services/domains/get-domain';
import { listDomains } from '../services/domains/list-domains';
import { removeController } from '../services/domains/remove-controller';
import { updateDomain } from '../services/domains/update-domain';
import { pathParam, validate } from './http-helpers';
import { principalNameSchema } from './principal-routes';

const name = z.string().trim().min(1).max(100);
export const createDomainBody = z.strictObject({ name, description: z.string().max(2000).optional(), publicPdp: z.boolean().optional() });
export const updateDomainBody = z
  .strictObject({ name: name.optional(), description: z.string().max(2000).optional(), publicPdp: z.boolean().optional() })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
export const createControllerBody = z.strictObject({ name: principalNameSchema });

export function domainRoutes(deps: AppDeps, guard: Guard): Router {
  const r = Router();
  const audit = auditTrail(deps);
  const project = (req: Request) => ({ type: 'project' as const, id: pathParam(req, 'projectId') });
  const domain = (req: Request) => ({ type: 'domain' as const, id: pathParam(req, 'domainId') });

  r.post('/api/v1/projects/:projectId/domains', guard('domain:create', project), audit('domain.create', onProject(deps, 'domain')), async (req, res) => {
    const b = validate(createDomainBody, req.body);
    const d = await createDomain(deps, pathParam(req, 'projectId'), { name: b.name, ...(b.description !== undefined ? { description: b.description } : {}), ...(b.publicPdp !== undefined ? { publicPdp: b.publicPdp } : {}) });
    noteAudit(res, { domainId: d.id, resourceId: d.id, summary: `created domain ${d.name}${d.publicPdp ? ' (public PDP-URL)' : ''}` });
    res.status(201).json(d);
  });
  r.get('/api/v1/projects/:projectId/domains', guard('domain:list', project), async (req, res) => {
    res.json({ items: await listDomains(deps, pathParam(req, 'projectId')) });
  });
  r.get('/api/v1/domains/:domainId', guard('domain:read', domain), async (req, res) => {
    res.json(await getDomain(deps, pathParam(req, 'domainId')));
  });
  r.patch('/api/v1/domains/:domainId', guard('domain:update', domain), audit('domain.update', onDomain(deps)), async (req, res) => {
    const b = validate(updateDomainBody, req.body);
    const d = await updateDomain(deps, pathParam(req, 'domainId'), {
      ...(b.name !== undefined ? { name: b.name } : {}),
      ...(b.description !== undefined ? { description: b.description } : {}),
      ...(b.publicPdp !== undefined ? { publicPdp: b.publicPdp } : {}),
    });
    const changed = [b.name !== undefined ? `name ${d.name}` : '', b.description !== undefined ? 'description' : '', b.publicPdp !== undefined ? `PDP-URL ${d.publicPdp ? 'public' : 'private'}` : ''].filter((x) => x !== '');
    noteAudit(res, { summary: `domain ${d.name}: ${changed.join(', ')}`, details: b });
    res.json(d);
  });
  r.delete('/api/v1/domains/:domainId', guard('domain:delete', domain), audit('domain.delete', onDomain(deps)), async (req, res) => {
    await deleteDomain(deps, pathParam(req, 'domainId'));
    res.status(204).end();
  });
  // Onboarding: a new controller principal for this domain, its key returned once.
  r.post('/api/v1/domains/:domainId/controllers', guard('controller:create', domain), audit('controller.create', onDomain(deps, 'controller')), async (req, res) => {
    const b = validate(createControllerBody, req.body);
    const created = await createController(deps, pathParam(req, 'domainId'), b.name);
    noteAudit(res, { resourceId: created.principal.id, summary: `onboarded domains controller ${created.principal.name} for domain ${created.domain.name} (new principal and API key ${created.apiKey.slice(0, 12)}…)` });
    res.status(201).json(created);
  });
  r.put('/api/v1/domains/:domainId/controllers/:principal', guard('controller:add', domain), audit('controller.add', onDomain(deps, 'controller', 'principal')), async (req, res) => {
    const d = await addController(deps, pathParam(req, 'domainId'), pathParam(req, 'principal'));
    const added = d.controllers.find((c) => c.id === pathParam(req, 'principal') || c.name === pathParam(req, 'principal'));
    noteAudit(res, { ...(added ? { resourceId: added.id } : {}), summary: `authorised ${added?.name ?? pathParam(req, 'principal')} as domains controller of ${d.name}` });
    res.json(d);
  });
  r.delete('/api/v1/domains/:domainId/controllers/:principal', guard('controller:remove', domain), audit('controller.remove', onDomain(deps, 'controller', 'principal')), async (req, res) => {
    const removed = await removeController(deps, pathParam(req, 'domainId'), pathParam(req, 'principal'));
    noteAudit(res, { resourceId: removed.principal.id, summary: `withdrew ${removed.principal.name} as domains controller of ${removed.domain.name}` });
    res.json(removed.domain);
  });
  return r;
}
