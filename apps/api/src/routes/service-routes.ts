/** Service Repository: register, update, enable/disable, delete, discover. */
import { Router } from 'express';
import type { Request } from 'express';
import { serviceDescriptorSchema, serviceQuerySchema } from '@safax/contracts';
import type { AppDeps } from '../app-deps';
import { requireActor } from '../auth/authenticate';
import type { Guard } from '../pep/guard';
import { deleteService } from '../services/registry/delete-service';
import { getService } from '../services/registry/get-service';
import { listServices } from '../services/registry/list-services';
import { registerService } from '../services/registry/register-service';
import { setServiceEnabled } from '../services/registry/set-service-enabled';
import { updateService } from '../services/registry/update-service';
import { pathParam, validate } from './http-helpers';

export function serviceRoutes(deps: AppDeps, guard: Guard): Router {
  const r = Router();
  const service = (req: Request) => ({ type: 'service' as const, id: pathParam(req, 'serviceId') });
  r.post('/api/v1/services', guard('service:register', () => ({ type: 'system' })), async (req, res) => {
    res.status(201).json(await registerService(deps, requireActor(res.locals), validate(serviceDescriptorSchema, req.body)));
  });
  r.get('/api/v1/services', guard('service:list', () => ({ type: 'system' })), async (req, res) => {
    res.json({ items: await listServices(deps, requireActor(res.locals), validate(serviceQuerySchema, req.query)) });
  });
  r.get('/api/v1/services/:serviceId', guard('service:read', service), async (req, res) => {
    res.json(await getService(deps, pathParam(req, 'serviceId')));
  });
  r.put('/api/v1/services/:serviceId', guard('service:update', service), async (req, res) => {
    res.json(await updateService(deps, pathParam(req, 'serviceId'), validate(serviceDescriptorSchema, req.body)));
  });
  r.post('/api/v1/services/:serviceId/enable', guard('service:enable', service), async (req, res) => {
    res.json(await setServiceEnabled(deps, pathParam(req, 'serviceId'), true));
  });
  r.post('/api/v1/services/:serviceId/disable', guard('service:disable', service), async (req, res) => {
    res.json(await setServiceEnabled(deps, pathParam(req, 'serviceId'), false));
  });
  r.delete('/api/v1/services/:serviceId', guard('service:delete', service), async (req, res) => {
    await deleteService(deps, pathParam(req, 'serviceId'));
    res.status(204).end();
  });
  return r;
}
