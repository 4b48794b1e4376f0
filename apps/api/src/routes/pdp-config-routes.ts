/** PDP configuration of a domain (returned with its PDP-URL). */
import { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import { SERVICE_ID_PATTERN } from '@safax/contracts';
import type { AppDeps } from '../app-deps';
import { onDomain } from '../audit/audit-scopes';
import { auditTrail, noteAudit } from '../audit/audit-trail';
import type { Guard } from '../pep/guard';
import { LOG_DETAILS } from '../repositories/ports';
import { getPdpConfig } from '../services/pdp-config/get-pdp-config';
import { updatePdpConfig } from '../services/pdp-config/update-pdp-config';
import { pathParam, validate } from './http-helpers';

export const updatePdpConfigBody = z
  .strictObject({
    rootCombiningAlgorithm: z.string().min(1).max(300).optional(),
    rootPolicyIds: z.array(z.string().min(1).max(500)).max(100).optional(),
    returnPolicyIdList: z.boolean().optional(),
    xpath: z.boolean().optional(),
    compatibilityMode: z.boolean().optional(),
    evaluationTimeoutMs: z.number().int().min(1).max(60_000).optional(),
    logDetail: z.enum(LOG_DETAILS).optional(),
    logRetentionDays: z.number().int().min(1).max(36_500).nullable().optional(),
    /** Function URN → the id of the udf service the domain trusts for it; replaces the whole map. */
    trustedServices: z
      .record(z.string().min(1).max(500), z.string().regex(SERVICE_ID_PATTERN, 'a service id'))
      .refine((m) => Object.keys(m).length <= 100, 'at most 100 pinned services')
      .optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

export function pdpConfigRoutes(deps: AppDeps, guard: Guard): Router {
  const r = Router();
  const audit = auditTrail(deps);
  const domain = (req: Request) => ({ type: 'domain' as const, id: pathParam(req, 'domainId') });
  r.get('/api/v1/domains/:domainId/pdp', guard('pdp-config:read', domain), async (req, res) => {
    res.json(await getPdpConfig(deps, pathParam(req, 'domainId')));
  });
  r.put('/api/v1/domains/:domainId/pdp', guard('pdp-config:write', domain), audit('pdp-config.update', onDomain(deps, 'pdp-config')), async (req, res) => {
    const b = validate(updatePdpConfigBody, req.body);
    const patch = Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined));
    const c = await updatePdpConfig(deps, pathParam(req, 'domainId'), patch);
    noteAudit(res, { summary: `PDP configuration: ${Object.entries(patch).map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(', ')}]` : typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join('; ')}`, details: patch });
    res.json(c);
  });
  return r;
}
