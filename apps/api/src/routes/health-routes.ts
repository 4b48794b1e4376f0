/** Liveness (/healthz: the process serves) and readiness (/readyz: the database answers). */
import { Router } from 'express';
import type { AppDeps } from '../app-deps';
import { ApiError } from '../errors/api-error';

export function healthRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    try {
      await deps.repos.ping();
    } catch {
      throw new ApiError('unavailable', 'database unavailable');
    }
    res.json({ status: 'ready', decisionLog: { pending: deps.decisionLog.pending, written: deps.decisionLog.written, dropped: deps.decisionLog.dropped } });
  });
  return r;
}
