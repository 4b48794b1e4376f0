/** The rights routes and openapi.yaml agree: body and query schemas, as for every other route. */
import { z } from 'zod';
import { loadOpenApi } from '../../src/app';
import { grantRightsBody, revokeRightsBody, rightsQuery } from '../../src/routes/rights-routes';

type Json = Record<string, unknown>;
const { spec } = loadOpenApi();

function resolve(node: unknown): Json {
  let n = node as Json;
  while (typeof n.$ref === 'string') {
    const parts = (n.$ref as string).replace(/^#\//, '').split('/');
    n = parts.reduce<Json>((acc, p) => acc[p] as Json, spec as Json);
  }
  return n;
}

function sameShape(label: string, zs: Json, fromSpec: Json): void {
  const ss = resolve(fromSpec);
  if (zs.type === 'array' && ss.type === 'array') return sameShape(`${label}[]`, zs.items as Json, ss.items as Json);
  if (zs.type !== 'object' || !zs.properties) return;
  expect([label, Object.keys(ss.properties as Json).sort()]).toEqual([label, Object.keys(zs.properties as Json).sort()]);
  expect([label, [...((ss.required as string[]) ?? [])].sort()]).toEqual([label, [...((zs.required as string[]) ?? [])].sort()]);
  for (const [k, v] of Object.entries(zs.properties as Json)) sameShape(`${label}.${k}`, v as Json, (ss.properties as Json)[k] as Json);
}
const jsonSchema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;
const op = (path: string, method: string) => ((spec.paths as Json)[path] as Json)[method] as Json;

describe('rights routes and openapi.yaml', () => {
  it.each([
    ['/api/v1/domains/{domainId}/rights/grant', grantRightsBody],
    ['/api/v1/domains/{domainId}/rights/revoke', revokeRightsBody],
  ] as const)('%s: the body schema matches the zod schema', (path, schema) => {
    const body = (((op(path, 'post').requestBody as Json).content as Json)['application/json'] as Json).schema as Json;
    sameShape(path, jsonSchema(schema), body);
  });

  it('the list query parameters match the zod schema', () => {
    const names = ((op('/api/v1/domains/{domainId}/rights', 'get').parameters as Json[]) ?? []).map(resolve).filter((p) => p.in === 'query').map((p) => p.name);
    expect(names.sort()).toEqual(Object.keys(jsonSchema(rightsQuery).properties as Json).sort());
  });
});
