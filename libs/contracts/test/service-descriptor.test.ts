/** The Service Repository descriptor: defaults, cross-field rules, and what it refuses. */
import { parseServiceDescriptor, serviceDescriptorSchema, serviceQuerySchema } from '@safax/contracts';
import type { ServiceDescriptorInput } from '@safax/contracts';

const STR = 'http://www.w3.org/2001/XMLSchema#string';
const BOOL = 'http://www.w3.org/2001/XMLSchema#boolean';

const credentialUdf: ServiceDescriptorInput = {
  id: 'urn:nl:tue:credential-service',
  provider: { id: 'tue-sec', name: 'TU/e Security' },
  description: 'Does a user hold a credential?',
  endpoint: 'http://127.0.0.1:7001/credential/check',
  method: 'POST',
  type: 'udf',
  functionUrn: 'urn:nl:tue:sec:pdp:1.0:udf:credential:user:has:credential',
  requestFormat: 'json',
  responseFormat: 'json',
  requestParameters: [
    { name: 'user', datatype: STR },
    { name: 'credentials', datatype: STR, bag: true },
  ],
  responseParameters: [{ name: 'result', datatype: BOOL, location: { kind: 'json-pointer', pointer: '/result' } }],
  cacheTtlSeconds: 60,
  timeoutMs: 2000,
};

function messages(input: unknown): string[] {
  const r = parseServiceDescriptor(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('service descriptor', () => {
  it('accepts a UDF descriptor and fills defaults', () => {
    const r = parseServiceDescriptor({ ...credentialUdf, cacheTtlSeconds: undefined, timeoutMs: undefined, description: undefined });
    expect(r.success).toBe(true);
    if (!r.success) return;
    expect(r.data.cacheTtlSeconds).toBe(0);
    expect(r.data.timeoutMs).toBe(5000);
    expect(r.data.description).toBe('');
    expect(r.data.requestParameters[0]).toEqual({ name: 'user', datatype: STR, bag: false });
    expect(r.data.requestParameters[1]?.bag).toBe(true);
  });

  it('requires a function URN and a result for a udf', () => {
    const m = messages({ ...credentialUdf, functionUrn: undefined, responseParameters: [] });
    expect(m.some((x) => x.startsWith('functionUrn:'))).toBe(true);
    expect(m.some((x) => x.startsWith('responseParameters:'))).toBe(true);
  });

  it('refuses a function URN on a non-udf service', () => {
    expect(messages({ ...credentialUdf, type: 'pdp' })).toEqual(['functionUrn: only a udf service has a function URN']);
  });

  it('refuses a location that does not fit the response format', () => {
    const m = messages({ ...credentialUdf, responseFormat: 'xml' });
    expect(m).toEqual(['responseParameters.0.location: a xml response is read with xpath or body, not json-pointer']);
    expect(messages({ ...credentialUdf, responseFormat: 'xml', responseParameters: [{ name: 'r', datatype: BOOL, location: { kind: 'xpath', expression: '/r/text()' } }] })).toEqual([]);
  });

  it('refuses unknown datatypes, bad endpoints, ids with slashes, unknown fields and duplicates', () => {
    expect(messages({ ...credentialUdf, requestParameters: [{ name: 'u', datatype: 'xs:string' }] }).length).toBeGreaterThan(0);
    expect(messages({ ...credentialUdf, endpoint: 'ftp://example.org/x' }).length).toBeGreaterThan(0);
    expect(messages({ ...credentialUdf, endpoint: '/relative' }).length).toBeGreaterThan(0);
    expect(messages({ ...credentialUdf, id: 'a/b' }).length).toBeGreaterThan(0);
    expect(messages({ ...credentialUdf, extra: 1 }).length).toBeGreaterThan(0);
    expect(messages({ ...credentialUdf, requestParameters: [{ name: 'a', datatype: STR }, { name: 'a', datatype: STR }] })).toEqual([
      'requestParameters: duplicate request parameter "a"',
    ]);
  });

  it('refuses a body-format GET with parameters', () => {
    expect(messages({ ...credentialUdf, method: 'GET' })).toEqual(['requestFormat: a GET request carries no body: use the query format']);
    expect(messages({ ...credentialUdf, method: 'GET', requestFormat: 'query' })).toEqual([]);
  });

  it('parses discovery filters', () => {
    expect(serviceQuerySchema.parse({ type: 'udf', enabled: 'false' })).toEqual({ type: 'udf', enabled: false });
    expect(serviceQuerySchema.safeParse({ type: 'nope' }).success).toBe(false);
    expect(serviceDescriptorSchema.safeParse(credentialUdf).success).toBe(true);
  });
});
