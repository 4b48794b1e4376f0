/** Domains of a project, and the domains controllers authorised to call their PDPs. */
import { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import type { Guard } from '../pep/guard';
import { addController } from '../services/domains/add-controller';
import { createDomain } from '../services/domains/create-domain';
import { deleteDomain } from '../services/domains/delete-domain';
import { getDomain } from '../services/domains/get-domain';
import { listDomains } from '../services/domains/list-domains';
import { removeController } from '../services/domains/remove-controller';
import { updateDomain } from '../services/domains/update-domain';
import { pathParam, validate } from './http-helpers';

const name = z.string().trim().min(1).max(100);
export const createDomainBody = z.strictObject({ name, description: z.string().max(2000).optional(), publicPdp: z.boolean().optional() });
export const updateDomainBody = z
  .strictObject({ name: name.optional(), description: z.string().max(2000).optional(), publicPdp: z.boolean().optional() })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

export function domainRoutes(deps: AppDeps, guard: Guard): Router {
  const r = Router();
  const project = (req: Request) => ({ type: 'project' as const, id: pathParam(req, 'projectId') });
  const domain = (req: Request) => ({ type: 'domain' as const, id: pathParam(req, 'domainId') });

  r.post('/api/v1/projects/:projectId/domains', guard('domain:create', project), async (req, res) => {
    const b = validate(createDomainBody, req.body);
    res.status(201).json(await createDomain(deps, pathParam(req, 'projectId'), { name: b.name, ...(b.description !== undefined ? { description: b.description } : {}), ...(b.publicPdp !== undefined ? { publicPdp: b.publicPdp } : {}) }));
  });
  r.get('/api/v1/projects/:projectId/domains', guard('domain:list', project), async (req, res) => {
    res.json({ items: await listDomains(deps, pathParam(req, 'projectId')) });
  });
  r.get('/api/v1/domains/:domainId', guard('domain:read', domain), async (req, res) => {
    res.json(await getDomain(deps, pathParam(req, 'domainId')));
  });
  r.patch('/api/v1/domains/:domainId', guard('domain:update', domain), async (req, res) => {
    const b = validate(updateDomainBody, req.body);
    res.json(
      await updateDomain(deps, pathParam(req, 'domainId'), {
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.description !== undefined ? { description: b.description } : {}),
        ...(b.publicPdp !== undefined ? { publicPdp: b.publicPdp } : {}),
      }),
    );
  });
  r.delete('/api/v1/domains/:domainId', guard('domain:delete', domain), async (req, res) => {
    await deleteDomain(deps, pathParam(req, 'domainId'));
    res.status(204).end();
  });
  r.put('/api/v1/domains/:domainId/controllers/:principal', guard('controller:add', domain), async (req, res) => {
    res.json(await addController(deps, pathParam(req, 'domainId'), pathParam(req, 'principal')));
  });
  r.delete('/api/v1/domains/:domainId/controllers/:principal', guard('controller:remove', domain), async (req, res) => {
    res.json(await removeController(deps, pathParam(req, 'domainId'), pathParam(req, 'principal')));
  });
  return r;
}
