/**
 * The HTTP app factory: the PDP-URL's decision lane (routes/pdp-decision-lane.ts) in front of
 * the express app: public health and docs routes, then authentication, the PEP on every API
 * route (inside each route module), the routes, and the one error handler. `main.ts` listens;
 * tests use the listener in-process.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import express from 'express';
import swaggerUi from 'swagger-ui-express';
import { parse as parseYaml } from 'yaml';
import type { AppDeps } from './app-deps';
import { authenticate } from './auth/authenticate';
import { errorHandler, notFoundHandler } from './errors/error-handler';
import { metricsRoutes } from './metrics/metrics-route';
import { bodyHygiene, requestHygiene } from './server/input-hygiene';
import { createAccessCheck, guardOf } from './pep/guard';
import { resourceFactsLoader } from './pep/resource-facts';
import { auditRoutes } from './routes/audit-routes';
import { contextHandlerRoutes } from './routes/context-handler-routes';
import { decisionLogRoutes } from './routes/decision-log-routes';
import { domainRoutes } from './routes/domain-routes';
import { guestRoutes } from './routes/guest-routes';
import { healthRoutes } from './routes/health-routes';
import { pdpConfigRoutes } from './routes/pdp-config-routes';
import { withDecisionLane } from './routes/pdp-decision-lane';
import { pdpRoutes } from './routes/pdp-routes';
import { pipRoutes } from './routes/pip-routes';
import { isPolicyUpload, policyRoutes } from './routes/policy-routes';
import { principalRoutes } from './routes/principal-routes';
import { projectRoutes } from './routes/project-routes';
import { rightsRoutes } from './routes/rights-routes';
import { serviceRoutes } from './routes/service-routes';

export const OPENAPI_PATH = join(__dirname, '..', '..', '..', 'openapi.yaml');

export function loadOpenApi(path: string = OPENAPI_PATH): { text: string; spec: Record<string, unknown> } {
  const text = readFileSync(path, 'utf8');
  return { text, spec: parseYaml(text) as Record<string, unknown> };
}

export interface HttpApp {
  /** What the HTTP server runs: the PDP-URL's decision lane, then the express app. */
  readonly listener: RequestListener;
  /** The express app (every route, the decision routes included, for whatever the lane leaves). */
  readonly routes: express.Express;
}

export function createApp(deps: AppDeps): HttpApp {
  const app = express();
  app.disable('x-powered-by');
  // Who the client is (rate limits, logs): the socket, unless the operator names the proxies in front.
  app.set('trust proxy', typeof deps.config.trustProxy === 'object' ? [...deps.config.trustProxy] : deps.config.trustProxy);

  // Malformed or unstorable paths and queries are refused before anything else reads them.
  app.use(requestHygiene);
  app.use(healthRoutes(deps));
  app.use(metricsRoutes(deps.config, deps.metrics));
  const openapi = loadOpenApi();
  app.get('/openapi.yaml', (_req, res) => {
    res.type('application/yaml').send(openapi.text);
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi.spec);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(openapi.spec, { customSiteTitle: 'SAFAX-TS API' }));

  // The domain owners' GUI (apps/web/dist, built by `npm run build`), same origin as the API.
  const webDist = deps.config.webDir;
  if (existsSync(join(webDist, 'index.html'))) {
    app.get('/', (_req, res) => res.redirect('/ui/'));
    app.use('/ui', express.static(webDist));
    app.get('/ui/{*rest}', (_req, res) => res.sendFile(join(webDist, 'index.html')));
  }

  app.use(authenticate(deps.repos.principals));
  // Policy uploads are read by their routes, after the PEP, up to the policy limit (SAFAX_POLICY_LIMIT_BYTES).
  const json = express.json({ limit: deps.config.bodyLimitBytes });
  app.use('/api', (req, res, next) => (isPolicyUpload(req) ? next() : json(req, res, next)));
  app.use('/api', bodyHygiene);
  // One access check (one self-protection decision cache) for the routes and the decision lane.
  const check = createAccessCheck({ systemPdp: deps.systemPdp, facts: resourceFactsLoader(deps.repos, deps.pdps) });
  const guard = guardOf(check);
  app.use(guestRoutes(deps, guard));
  app.use(principalRoutes(deps, guard));
  app.use(projectRoutes(deps, guard));
  app.use(domainRoutes(deps, guard));
  app.use(policyRoutes(deps, guard));
  app.use(pdpConfigRoutes(deps, guard));
  app.use(pipRoutes(deps, guard));
  app.use(contextHandlerRoutes(deps, guard));
  app.use(decisionLogRoutes(deps, guard));
  app.use(serviceRoutes(deps, guard));
  app.use(rightsRoutes(deps, guard));
  app.use(pdpRoutes(deps, guard));
  app.use(auditRoutes(deps, guard));

  app.use(notFoundHandler);
  app.use(errorHandler((err) => deps.log.error('unhandled error', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) })));
  return { listener: withDecisionLane(deps, check, app), routes: app };
}
