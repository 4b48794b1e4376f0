/**
 * A domain's decision log, for its owner and collaborators: filters (decision, time, caller by
 * id or name, text in subject/action/resource/transaction id), cursor paging and export of the
 * filtered range (CSV, JSON Lines); and the owner's test evaluations (as one of the domain's
 * controllers), logged with their trace; the check of the log's hash chain.
 */
import { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { requireActor } from '../auth/authenticate';
import type { Guard } from '../pep/guard';
import { EXPORT_FORMATS, EXPORT_MAX_ENTRIES, exportDecisions, prepareExport } from '../services/decisions/export-decisions';
import { getDecision } from '../services/decisions/get-decision';
import { queryDecisions } from '../services/decisions/query-decisions';
import { TEST_FORMATS, testEvaluate } from '../services/decisions/test-evaluate';
import { verifyDecisionLog } from '../services/decisions/verify-decision-log';
import { pathParam, validate } from './http-helpers';

const decisionFilter = {
  decision: z.enum(['Permit', 'Deny', 'NotApplicable', 'Indeterminate', 'Mixed']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  caller: z.string().min(1).max(100).optional(),
  callerName: z.string().min(1).max(100).optional(),
  q: z.string().trim().min(1).max(200).optional(),
};

export const decisionQuery = z.strictObject({
  ...decisionFilter,
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).max(500).optional(),
});

export const decisionExportQuery = z.strictObject({ ...decisionFilter, format: z.enum(EXPORT_FORMATS).default('csv') });

function filterOf(q: { decision?: string | undefined; from?: string | undefined; to?: string | undefined; caller?: string | undefined; callerName?: string | undefined; q?: string | undefined }) {
  return {
    ...(q.decision ? { decision: q.decision } : {}),
    ...(q.from ? { from: new Date(q.from) } : {}),
    ...(q.to ? { to: new Date(q.to) } : {}),
    ...(q.caller ? { callerId: q.caller } : {}),
    ...(q.callerName ? { callerName: q.callerName } : {}),
    ...(q.q ? { text: q.q } : {}),
  };
}

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
    res.json(await queryDecisions(deps, pathParam(req, 'domainId'), filterOf(q), { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) }));
  });
  r.get('/api/v1/domains/:domainId/decision-export', guard('decision-log:read', domain), async (req, res) => {
    const q = validate(decisionExportQuery, req.query);
    const domainId = pathParam(req, 'domainId');
    const filter = await prepareExport(deps, domainId, filterOf(q));
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    res.status(200);
    res.type(q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/jsonl; charset=utf-8');
    res.set('Content-Disposition', `attachment; filename="decisions-${domainId}-${stamp}.${q.format}"`);
    res.set('X-Export-Limit', String(EXPORT_MAX_ENTRIES));
    const gone = new Promise<never>((_resolve, reject) => res.once('close', () => reject(new Error('the client went away'))));
    gone.catch(() => undefined);
    try {
      await exportDecisions(deps, domainId, filter, q.format, {
        // Back-pressure: wait for the socket to drain, or stop when the client went away.
        write: (chunk) => (res.write(chunk) ? Promise.resolve() : Promise.race([new Promise<void>((resolve) => res.once('drain', () => resolve())), gone])),
      });
      res.end();
    } catch (err) {
      // Headers are out: an error can only cut the download short, visibly to the client.
      if (!res.destroyed) deps.log.error('decision export failed', { domainId, error: String(err) });
      res.destroy();
    }
  });
  // Before /decisions/:txId (transaction ids are UUIDs, never "verify").
  r.get('/api/v1/domains/:domainId/decisions/verify', guard('decision-log:read', domain), async (req, res) => {
    res.json(await verifyDecisionLog(deps, pathParam(req, 'domainId')));
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
