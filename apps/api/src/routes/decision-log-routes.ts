/**
 * A domain's decision log, for its owner and collaborators: filters and cursor paging; and the
 * owner's test evaluations (as one of the domain's controllers), logged with their trace.
 */
import { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { requireActor } from '../auth/authenticate';
import type { Guard } from '../pep/guard';
import { getDecision } from '../services/decisions/get-decision';
import { queryDecisions } from '../services/decisions/query-decisions';
import { TEST_FORMATS, testEvaluate } from '../services/decisions/test-evaluate';
import { pathParam, validate } from './http-helpers';

export const decisionQuery = z.strictObject({
  decision: z.enum(['Permit', 'Deny', 'NotApplicable', 'Indeterminate', 'Mixed']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  caller: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).max(500).optional(),
});

export const testEvaluationBody = z.strictObject({
  asController: z.string().min(1).max(200).optional(),
  format: z.enum(TEST_FORMATS),
  body: z.string().min(1),
});

export function decisionLogRoutes(deps: AppDeps, guard: Guard): Router {
  const r = Router();
  const domain = (req: Request) => ({ type: 'domain' as const, id: pathParam(req, 'domainId') });
  r.get('/api/v1/domains/:domainId/decisions', guard('decision-log:read', domain), async (req, res) => {
    const q = validate(decisionQuery, req.query);
    res.json(
      await queryDecisions(
        deps,
        pathParam(req, 'domainId'),
        {
          ...(q.decision ? { decision: q.decision } : {}),
          ...(q.from ? { from: new Date(q.from) } : {}),
          ...(q.to ? { to: new Date(q.to) } : {}),
          ...(q.caller ? { callerId: q.caller } : {}),
        },
        { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) },
      ),
    );
  });
  r.get('/api/v1/domains/:domainId/decisions/:txId', guard('decision-log:read', domain), async (req, res) => {
    res.json(await getDecision(deps, pathParam(req, 'domainId'), pathParam(req, 'txId')));
  });
  r.post('/api/v1/domains/:domainId/test-evaluations', guard('domain:test-evaluate', domain), async (req, res) => {
    const b = validate(testEvaluationBody, req.body);
    const out = await testEvaluate(deps, requireActor(res.locals), pathParam(req, 'domainId'), { format: b.format, body: b.body, ...(b.asController !== undefined ? { asController: b.asController } : {}) });
    res.set('X-Transaction-Id', out.txId).json(out);
  });
  return r;
}
