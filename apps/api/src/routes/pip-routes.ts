/** The domain's sample PIP: JSON rows, or CSV (text/csv) for bulk uploads. */
import express, { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { ApiError } from '../errors/api-error';
import { onDomain } from '../audit/audit-scopes';
import { auditTrail, noteAudit } from '../audit/audit-trail';
import type { Guard } from '../pep/guard';
import { deletePipAttributes } from '../services/pip/delete-pip-attributes';
import { listPipAttributes } from '../services/pip/list-pip-attributes';
import { PIP_MAX_ROWS, parsePipCsv, pipRowSchema, toRecords } from '../services/pip/pip-rows';
import { upsertPipAttributes } from '../services/pip/upsert-pip-attributes';
import { bodyType, pathParam, validate } from './http-helpers';

export const upsertPipBody = z.strictObject({ attributes: z.array(pipRowSchema).min(1).max(PIP_MAX_ROWS, `at most ${PIP_MAX_ROWS} attributes per upload: split the upload`), replace: z.boolean().default(false) });
export const pipQuery = z.strictObject({ category: z.string().min(1).optional(), entity: z.string().min(1).optional() });
export const pipDeleteQuery = pipQuery.extend({ attribute: z.string().min(1).optional() });
export const pipCsvQuery = z.strictObject({ replace: z.enum(['true', 'false']).default('false') });

export function pipRoutes(deps: AppDeps, guard: Guard): Router {
  const r = Router();
  const audit = auditTrail(deps);
  const domain = (req: Request) => ({ type: 'domain' as const, id: pathParam(req, 'domainId') });
  const csvText = express.text({ type: ['text/csv'], limit: deps.config.bodyLimitBytes });

  r.get('/api/v1/domains/:domainId/pip/attributes', guard('pip:read', domain), async (req, res) => {
    const q = validate(pipQuery, req.query);
    res.json({ items: await listPipAttributes(deps, pathParam(req, 'domainId'), { ...(q.category ? { category: q.category } : {}), ...(q.entity ? { entity: q.entity } : {}) }) });
  });
  r.post('/api/v1/domains/:domainId/pip/attributes', guard('pip:write', domain), audit('pip.upsert', onDomain(deps, 'pip')), csvText, async (req, res) => {
    const domainId = pathParam(req, 'domainId');
    if (bodyType(req, ['text/csv'])) {
      const q = validate(pipCsvQuery, req.query);
      if (typeof req.body !== 'string') throw new ApiError('bad-request', 'empty CSV');
      const out = await upsertPipAttributes(deps, domainId, parsePipCsv(req.body), q.replace === 'true');
      noteAudit(res, { summary: `sample PIP: ${out.upserted} attribute(s) from CSV${q.replace === 'true' ? ', replacing all' : ''}` });
      res.json(out);
    } else if (bodyType(req, ['application/json'])) {
      const b = validate(upsertPipBody, req.body);
      const out = await upsertPipAttributes(deps, domainId, toRecords(b.attributes), b.replace);
      const first = b.attributes[0];
      noteAudit(res, { summary: `sample PIP: ${out.upserted} attribute(s)${b.replace ? ', replacing all' : ''}${first && b.attributes.length === 1 ? ` (${first.attribute} of ${first.entity})` : ''}` });
      res.json(out);
    } else {
      throw new ApiError('unsupported-media-type', 'send application/json or text/csv');
    }
  });
  r.delete('/api/v1/domains/:domainId/pip/attributes', guard('pip:write', domain), audit('pip.delete', onDomain(deps, 'pip')), async (req, res) => {
    const q = validate(pipDeleteQuery, req.query);
    const out = await deletePipAttributes(deps, pathParam(req, 'domainId'), {
      ...(q.category ? { category: q.category } : {}),
      ...(q.entity ? { entity: q.entity } : {}),
      ...(q.attribute ? { attribute: q.attribute } : {}),
    });
    noteAudit(res, { summary: `sample PIP: deleted ${out.deleted} attribute(s)${q.attribute ? ` ${q.attribute}` : ''}${q.entity ? ` of ${q.entity}` : ''}`, details: q });
    res.json(out);
  });
  return r;
}
