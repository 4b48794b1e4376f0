/**
 * GET /metrics in the Prometheus text format — only when SAFAX_METRICS is on; with
 * SAFAX_METRICS_TOKEN, only for `Authorization: Bearer <token>`. Outside the API's
 * authentication and PEP: scrapers hold no API key.
 */
import { timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { AppConfig } from '../config/app-config';
import { ApiError } from '../errors/api-error';
import type { Metrics } from './metrics';

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function metricsRoutes(config: Pick<AppConfig, 'metricsEnabled' | 'metricsToken'>, metrics: Metrics | undefined): Router {
  const r = Router();
  if (!config.metricsEnabled || !metrics) return r;
  r.get('/metrics', async (req, res) => {
    if (config.metricsToken !== undefined) {
      const m = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
      if (!m?.[1] || !sameToken(m[1], config.metricsToken)) {
        res.set('WWW-Authenticate', 'Bearer realm="metrics"');
        throw new ApiError('unauthenticated', 'metrics need the metrics bearer token');
      }
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return r;
}
