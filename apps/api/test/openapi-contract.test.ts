/**
 * openapi.yaml is the contract: every route the app serves is in it and every path in it is
 * served; every operation documents its errors with the one Error shape whose codes are
 * exactly the status table's; and each route's zod schemas agree with the spec's schemas.
 */
import { z } from 'zod';
import { serviceDescriptorSchema, serviceQuerySchema } from '@safax/contracts';
import { loadOpenApi } from '../src/app';
import { HTTP_STATUS } from '../src/errors/http-status';
import { authzenEvaluationSchema, authzenEvaluationsSchema, authzenSearchSchema } from '../src/pdp/authzen-mapping';
import { registerContextHandlerBody } from '../src/routes/context-handler-routes';
import { auditQuery } from '../src/routes/audit-routes';
import { decisionExportQuery, decisionQuery } from '../src/routes/decision-log-routes';
import { createControllerBody, createDomainBody, updateDomainBody } from '../src/routes/domain-routes';
import { updatePdpConfigBody } from '../src/routes/pdp-config-routes';
import { pipDeleteQuery, pipQuery, upsertPipBody } from '../src/routes/pip-routes';
import { rollbackBody, uploadPoliciesBody } from '../src/routes/policy-routes';
import { createApiKeyBody, createPrincipalBody, updatePrincipalBody } from '../src/routes/principal-routes';
import { createProjectBody, updateProjectBody } from '../src/routes/project-routes';
import { fetchDescriptorBody } from '../src/routes/service-routes';
import { startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

type Json = Record<string, unknown>;
const { spec } = loadOpenApi();
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  slash?: boolean;
  matchers?: ((path: string) => unknown)[];
}

/**
 * Walks express's router: "METHOD /path/{param}" for every route. Routers must be mounted at
 * the root (full paths in each route); a router under a prefix would hide its routes' real
 * paths, so it is reported in `prefixedRouters` (plain middleware under a prefix, such as
 * Swagger UI's static files or a body parser, is fine).
 */
function appRoutes(stack: readonly Layer[], out: Set<string>, prefixedRouters: string[]): Set<string> {
  for (const layer of stack) {
    if (layer.route) {
      for (const [m, on] of Object.entries(layer.route.methods)) {
        if (on && m !== '_all') out.add(`${m.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
      }
    } else if (layer.handle?.stack) {
      if (layer.slash) appRoutes(layer.handle.stack, out, prefixedRouters);
      else prefixedRouters.push(`router with ${layer.handle.stack.length} layers`);
    }
  }
  return out;
}

function specRoutes(): Set<string> {
  const out = new Set<string>();
  for (const [path, item] of Object.entries(spec.paths as Json)) {
    for (const m of METHODS) if ((item as Json)[m]) out.add(`${m.toUpperCase()} ${path}`);
  }
  return out;
}

function resolve(node: unknown): Json {
  let n = node as Json;
  while (typeof n.$ref === 'string') {
    const parts = (n.$ref as string).replace(/^#\//, '').split('/');
    n = parts.reduce<Json>((acc, p) => acc[p] as Json, spec as Json);
  }
  return n;
}

describe('openapi.yaml and the app', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform('sqlite');
  });
  afterAll(async () => {
    await t.close();
  });

  it('describes exactly the routes the app serves', () => {
    const mounts: string[] = [];
    const served = appRoutes((t.platform.routes as unknown as { router: { stack: Layer[] } }).router.stack, new Set(), mounts);
    const documented = specRoutes();
    expect(mounts).toEqual([]);
    // The GUI's pages are served at the same origin but are not part of the HTTP API.
    const GUI_ROUTES = new Set(['GET /', 'GET /ui/{*rest}']);
    expect([...served].filter((r) => !documented.has(r) && !GUI_ROUTES.has(r)).sort()).toEqual([]);
    expect([...documented].filter((r) => !served.has(r)).sort()).toEqual([]);
    expect(served.size).toBeGreaterThan(50);
  });

  it('serves the spec and Swagger UI', async () => {
    const yaml = await t.http().get('/openapi.yaml').expect(200);
    expect(yaml.text).toContain('openapi: 3.1.0');
    const json = await t.http().get('/openapi.json').expect(200);
    expect(json.body.info.title).toBe('SAFAX-TS API');
    const docs = await t.http().get('/docs/').expect(200);
    expect(docs.text).toContain('swagger-ui');
  });

  it('the Error schema lists exactly the codes of the status table', () => {
    const error = resolve((spec.components as Json).schemas && ((spec.components as Json).schemas as Json).Error);
    const codes = (((error.properties as Json).error as Json).properties as Json).code as Json;
    expect([...(codes.enum as string[])].sort()).toEqual(Object.keys(HTTP_STATUS).sort());
    for (const [code, status] of Object.entries(HTTP_STATUS)) expect((error.description as string).replace(/\s+/g, ' ')).toContain(`${code} ${status}`);
  });

  it('every operation documents its errors with the Error schema, and every $ref resolves', () => {
    const text = JSON.stringify(spec);
    for (const ref of text.match(/"#\/components\/[^"]+"/g) ?? []) expect(() => resolve({ $ref: JSON.parse(ref) })).not.toThrow();
    for (const [path, item] of Object.entries(spec.paths as Json)) {
      for (const m of METHODS) {
        const op = (item as Json)[m] as Json | undefined;
        if (!op) continue;
        const responses = op.responses as Json;
        const errors = Object.entries(responses).filter(([s]) => Number(s) >= 400);
        if (path === '/healthz' || path.startsWith('/openapi')) continue;
        expect([`${m} ${path}`, errors.length > 0]).toEqual([`${m} ${path}`, true]);
        for (const [, r] of errors) {
          const schema = (((resolve(r).content as Json)['application/json'] as Json).schema as Json).$ref;
          expect(schema).toBe('#/components/schemas/Error');
        }
        if (!(op.security && (op.security as unknown[]).length === 0) && path.startsWith('/api/')) {
          expect([`${m} ${path}`, Boolean(responses['401'])]).toEqual([`${m} ${path}`, true]);
        }
      }
    }
  });

  /** Property names and required members agree, recursively through objects and arrays. */
  function sameShape(label: string, fromZod: Json, fromSpec: Json): void {
    const zs = fromZod;
    const ss = resolve(fromSpec);
    if (ss.oneOf || zs.anyOf || zs.oneOf) return;
    if (zs.type === 'array' && ss.type === 'array') return sameShape(`${label}[]`, zs.items as Json, ss.items as Json);
    if (zs.type !== 'object' || !zs.properties) return;
    expect([label, Object.keys(ss.properties as Json).sort()]).toEqual([label, Object.keys(zs.properties as Json).sort()]);
    expect([label, [...((ss.required as string[]) ?? [])].sort()]).toEqual([label, [...((zs.required as string[]) ?? [])].sort()]);
    for (const [k, v] of Object.entries(zs.properties as Json)) sameShape(`${label}.${k}`, v as Json, (ss.properties as Json)[k] as Json);
  }
  const jsonSchema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;
  const bodySchema = (path: string, method: string) => ((((((spec.paths as Json)[path] as Json)[method] as Json).requestBody as Json).content as Json)['application/json'] as Json).schema as Json;

  it.each([
    ['/api/v1/principals', 'post', createPrincipalBody],
    ['/api/v1/principals/{principalId}', 'patch', updatePrincipalBody],
    ['/api/v1/principals/{principalId}/api-keys', 'post', createApiKeyBody],
    ['/api/v1/projects', 'post', createProjectBody],
    ['/api/v1/projects/{projectId}', 'patch', updateProjectBody],
    ['/api/v1/projects/{projectId}/domains', 'post', createDomainBody],
    ['/api/v1/domains/{domainId}', 'patch', updateDomainBody],
    ['/api/v1/domains/{domainId}/policies', 'post', uploadPoliciesBody],
    ['/api/v1/domains/{domainId}/deployments/rollback', 'post', rollbackBody],
    ['/api/v1/domains/{domainId}/pdp', 'put', updatePdpConfigBody],
    ['/api/v1/domains/{domainId}/pip/attributes', 'post', upsertPipBody],
    ['/api/v1/domains/{domainId}/context-handler', 'put', registerContextHandlerBody],
    ['/api/v1/services', 'post', serviceDescriptorSchema],
    ['/api/v1/services/{serviceId}', 'put', serviceDescriptorSchema],
    ['/pdp/{pdpId}/access/v1/evaluation', 'post', authzenEvaluationSchema],
    ['/pdp/{pdpId}/access/v1/evaluations', 'post', authzenEvaluationsSchema],
    ['/pdp/{pdpId}/access/v1/search/{kind}', 'post', authzenSearchSchema],
    ['/api/v1/domains/{domainId}/controllers', 'post', createControllerBody],
    ['/api/v1/service-descriptors/fetch', 'post', fetchDescriptorBody],
  ] as const)('%s %s: the body schema matches the route zod schema', (path, method, schema) => {
    sameShape(`${method} ${path}`, jsonSchema(schema), bodySchema(path, method));
  });

  it.each([
    ['/api/v1/domains/{domainId}/decisions', 'get', decisionQuery],
    ['/api/v1/services', 'get', serviceQuerySchema],
    ['/api/v1/domains/{domainId}/pip/attributes', 'get', pipQuery],
    ['/api/v1/domains/{domainId}/pip/attributes', 'delete', pipDeleteQuery],
    ['/api/v1/domains/{domainId}/decision-export', 'get', decisionExportQuery],
    ['/api/v1/audit', 'get', auditQuery],
  ] as const)('%s %s: the query parameters match the route zod schema', (path, method, schema) => {
    const op = ((spec.paths as Json)[path] as Json)[method] as Json;
    const names = ((op.parameters as Json[]) ?? []).map(resolve).filter((p) => p.in === 'query').map((p) => p.name);
    expect(names.sort()).toEqual(Object.keys(jsonSchema(schema).properties as Json).sort());
  });
});
