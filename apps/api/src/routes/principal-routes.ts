/** Principals and API keys: admins manage principals; each principal manages its own keys. */
import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { requireActor } from '../auth/authenticate';
import type { Guard } from '../pep/guard';
import { ROLES } from '../repositories/ports';
import { createApiKey } from '../services/principals/create-api-key';
import { createPrincipal } from '../services/principals/create-principal';
import { deleteApiKey } from '../services/principals/delete-api-key';
import { deletePrincipal } from '../services/principals/delete-principal';
import { getPrincipal } from '../services/principals/get-principal';
import { listApiKeys } from '../services/principals/list-api-keys';
import { listPrincipals } from '../services/principals/list-principals';
import { updatePrincipalRoles } from '../services/principals/update-principal-roles';
import { pathParam, validate } from './http-helpers';

export const principalNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/, '1-100 letters, digits and . _ @ -');
export const createPrincipalBody = z.strictObject({ name: principalNameSchema, roles: z.array(z.enum(ROLES)).max(ROLES.length).default([]) });
export const updatePrincipalBody = z.strictObject({ roles: z.array(z.enum(ROLES)).max(ROLES.length) });
export const createApiKeyBody = z.strictObject({ label: z.string().max(100).default('') });

export function principalRoutes(deps: AppDeps, guard: Guard): Router {
  const r = Router();
  const principal = (req: Parameters<typeof pathParam>[0]) => ({ type: 'principal' as const, id: pathParam(req, 'principalId') });

  r.get('/api/v1/me', guard('me:read', () => ({ type: 'system' })), async (_req, res) => {
    res.json(await getPrincipal(deps, requireActor(res.locals).id));
  });
  r.post('/api/v1/principals', guard('principal:create', () => ({ type: 'system' })), async (req, res) => {
    const body = validate(createPrincipalBody, req.body);
    res.status(201).json(await createPrincipal(deps, body));
  });
  r.get('/api/v1/principals', guard('principal:list', () => ({ type: 'system' })), async (_req, res) => {
    res.json({ items: await listPrincipals(deps) });
  });
  r.get('/api/v1/principals/:principalId', guard('principal:read', principal), async (req, res) => {
    res.json(await getPrincipal(deps, pathParam(req, 'principalId')));
  });
  r.patch('/api/v1/principals/:principalId', guard('principal:update', principal), async (req, res) => {
    const body = validate(updatePrincipalBody, req.body);
    res.json(await updatePrincipalRoles(deps, pathParam(req, 'principalId'), body.roles));
  });
  r.delete('/api/v1/principals/:principalId', guard('principal:delete', principal), async (req, res) => {
    await deletePrincipal(deps, pathParam(req, 'principalId'));
    res.status(204).end();
  });
  r.get('/api/v1/principals/:principalId/api-keys', guard('apikey:list', principal), async (req, res) => {
    res.json({ items: await listApiKeys(deps, pathParam(req, 'principalId')) });
  });
  r.post('/api/v1/principals/:principalId/api-keys', guard('apikey:create', principal), async (req, res) => {
    const body = validate(createApiKeyBody, req.body ?? {});
    res.status(201).json(await createApiKey(deps, pathParam(req, 'principalId'), body.label));
  });
  r.delete('/api/v1/principals/:principalId/api-keys/:keyId', guard('apikey:delete', principal), async (req, res) => {
    await deleteApiKey(deps, pathParam(req, 'principalId'), pathParam(req, 'keyId'));
    res.status(204).end();
  });
  return r;
}
