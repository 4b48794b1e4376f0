/** Principals and API keys: admins manage principals; each principal manages its own keys. */
import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { requireActor } from '../auth/authenticate';
import { onPrincipal, onSystem } from '../audit/audit-scopes';
import { auditTrail, noteAudit } from '../audit/audit-trail';
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
  const audit = auditTrail(deps);
  const principal = (req: Parameters<typeof pathParam>[0]) => ({ type: 'principal' as const, id: pathParam(req, 'principalId') });

  r.get('/api/v1/me', guard('me:read', () => ({ type: 'system' })), async (_req, res) => {
    res.json(await getPrincipal(deps, requireActor(res.locals).id));
  });
  r.post('/api/v1/principals', guard('principal:create', () => ({ type: 'system' })), audit('principal.create', onSystem('principal')), async (req, res) => {
    const body = validate(createPrincipalBody, req.body);
    const created = await createPrincipal(deps, body);
    noteAudit(res, { resourceId: created.principal.id, summary: `created principal ${created.principal.name} (${created.principal.roles.join(', ') || 'no roles'})` });
    res.status(201).json(created);
  });
  r.get('/api/v1/principals', guard('principal:list', () => ({ type: 'system' })), async (_req, res) => {
    res.json({ items: await listPrincipals(deps) });
  });
  r.get('/api/v1/principals/:principalId', guard('principal:read', principal), async (req, res) => {
    res.json(await getPrincipal(deps, pathParam(req, 'principalId')));
  });
  r.patch('/api/v1/principals/:principalId', guard('principal:update', principal), audit('principal.update', onPrincipal(deps)), async (req, res) => {
    const body = validate(updatePrincipalBody, req.body);
    const p = await updatePrincipalRoles(deps, pathParam(req, 'principalId'), body.roles);
    noteAudit(res, { summary: `principal ${p.name}: roles ${p.roles.join(', ') || 'none'}` });
    res.json(p);
  });
  r.delete('/api/v1/principals/:principalId', guard('principal:delete', principal), audit('principal.delete', onPrincipal(deps)), async (req, res) => {
    await deletePrincipal(deps, pathParam(req, 'principalId'));
    res.status(204).end();
  });
  r.get('/api/v1/principals/:principalId/api-keys', guard('apikey:list', principal), async (req, res) => {
    res.json({ items: await listApiKeys(deps, pathParam(req, 'principalId')) });
  });
  r.post('/api/v1/principals/:principalId/api-keys', guard('apikey:create', principal), audit('apikey.create', onPrincipal(deps, 'api-key')), async (req, res) => {
    const body = validate(createApiKeyBody, req.body ?? {});
    const k = await createApiKey(deps, pathParam(req, 'principalId'), body.label);
    noteAudit(res, { resourceId: k.id, summary: `issued API key ${k.prefix}…${k.label ? ` (${k.label})` : ''}` });
    res.status(201).json(k);
  });
  r.delete('/api/v1/principals/:principalId/api-keys/:keyId', guard('apikey:delete', principal), audit('apikey.delete', onPrincipal(deps, 'api-key', 'keyId')), async (req, res) => {
    await deleteApiKey(deps, pathParam(req, 'principalId'), pathParam(req, 'keyId'));
    res.status(204).end();
  });
  return r;
}
