/** Service Repository: register (also from a descriptor URL), update, enable/disable, delete, discover. */
import { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import { serviceDescriptorSchema, serviceQuerySchema } from '@safax/contracts';
import type { AppDeps } from '../app-deps';
import { onSystem } from '../audit/audit-scopes';
import { auditTrail, noteAudit } from '../audit/audit-trail';
import { requireActor } from '../auth/authenticate';
import type { Guard } from '../pep/guard';
import { deleteService } from '../services/registry/delete-service';
import { fetchDescriptor } from '../services/registry/fetch-descriptor';
import { getService } from '../services/registry/get-service';
import { listServices } from '../services/registry/list-services';
import { registerService } from '../services/registry/register-service';
import { setServiceEnabled } from '../services/registry/set-service-enabled';
import { updateService } from '../services/registry/update-service';
import { pathParam, validate } from './http-helpers';

export const fetchDescriptorBody = z.strictObject({ url: z.url({ protocol: /^https?$/, error: 'an absolute http or https URL' }).max(2000) });

export function serviceRoutes(deps: AppDeps, guard: Guard): Router {
  const r = Router();
  const audit = auditTrail(deps);
  const service = (req: Request) => ({ type: 'service' as const, id: pathParam(req, 'serviceId') });
  const describe = (s: { descriptor: { id: string; type: string; functionUrn?: string | undefined; endpoint: string } }) =>
    `${s.descriptor.type} ${s.descriptor.id}${s.descriptor.functionUrn ? ` (${s.descriptor.functionUrn})` : ''} at ${s.descriptor.endpoint}`;
  r.post('/api/v1/services', guard('service:register', () => ({ type: 'system' })), audit('service.register', onSystem('service')), async (req, res) => {
    const s = await registerService(deps, requireActor(res.locals), validate(serviceDescriptorSchema, req.body));
    noteAudit(res, { resourceId: s.descriptor.id, summary: `registered ${describe(s)}` });
    res.status(201).json(s);
  });
  // Registration by URL, step one: the descriptor as its provider publishes it, validated, not stored.
  r.post('/api/v1/service-descriptors/fetch', guard('service:register', () => ({ type: 'system' })), async (req, res) => {
    const b = validate(fetchDescriptorBody, req.body);
    res.json(await fetchDescriptor(deps, b.url));
  });
  r.get('/api/v1/services', guard('service:list', () => ({ type: 'system' })), async (req, res) => {
    res.json({ items: await listServices(deps, requireActor(res.locals), validate(serviceQuerySchema, req.query)) });
  });
  r.get('/api/v1/services/:serviceId', guard('service:read', service), async (req, res) => {
    res.json(await getService(deps, pathParam(req, 'serviceId')));
  });
  r.put('/api/v1/services/:serviceId', guard('service:update', service), audit('service.update', onSystem('service', 'serviceId')), async (req, res) => {
    const s = await updateService(deps, pathParam(req, 'serviceId'), validate(serviceDescriptorSchema, req.body));
    noteAudit(res, { summary: `updated ${describe(s)}` });
    res.json(s);
  });
  r.post('/api/v1/services/:serviceId/enable', guard('service:enable', service), audit('service.enable', onSystem('service', 'serviceId')), async (req, res) => {
    const s = await setServiceEnabled(deps, pathParam(req, 'serviceId'), true);
    noteAudit(res, { summary: `enabled ${describe(s)}` });
    res.json(s);
  });
  r.post('/api/v1/services/:serviceId/disable', guard('service:disable', service), audit('service.disable', onSystem('service', 'serviceId')), async (req, res) => {
    const s = await setServiceEnabled(deps, pathParam(req, 'serviceId'), false);
    noteAudit(res, { summary: `disabled ${describe(s)}` });
    res.json(s);
  });
  r.delete('/api/v1/services/:serviceId', guard('service:delete', service), audit('service.delete', onSystem('service', 'serviceId')), async (req, res) => {
    await deleteService(deps, pathParam(req, 'serviceId'));
    noteAudit(res, { summary: `deleted service ${pathParam(req, 'serviceId')}` });
    res.status(204).end();
  });
  return r;
}
