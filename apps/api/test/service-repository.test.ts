/** Service Repository: register, discover, update, enable/disable, delete; PDPs registered as services. */
import type { ServiceDescriptorInput } from '@safax/contracts';
import { ownerWithDomain } from './support/fixtures';
import { PROVIDERS, createTestDatabase } from './support/test-database';
import { createUser, errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

const credential: ServiceDescriptorInput = {
  id: 'credential-service',
  provider: { id: 'tue', name: 'TU/e' },
  description: 'Credential trust service',
  endpoint: 'http://127.0.0.1:7001/credential',
  method: 'POST',
  type: 'udf',
  functionUrn: 'urn:nl:tue:sec:pdp:1.0:udf:credential:user:has:credential',
  requestFormat: 'json',
  responseFormat: 'json',
  requestParameters: [{ name: 'user', datatype: 'http://www.w3.org/2001/XMLSchema#string' }],
  responseParameters: [{ name: 'result', datatype: 'http://www.w3.org/2001/XMLSchema#boolean', location: { kind: 'json-pointer', pointer: '/result' } }],
};

describe.each(PROVIDERS)('Service Repository (%s)', (provider) => {
  let t: TestPlatform;
  let tsp: { id: string; key: string };
  let other: { id: string; key: string };

  beforeAll(async () => {
    t = await startTestPlatform(provider);
    tsp = await createUser(t, 'tsp', ['trust-service-provider']);
    other = await createUser(t, 'other-tsp', ['trust-service-provider']);
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers a described service with defaults filled in', async () => {
    const r = await t.as(tsp.key).post('/api/v1/services').send(credential).expect(201);
    expect(r.body).toMatchObject({ enabled: true, registeredBy: tsp.id, descriptor: { id: 'credential-service', cacheTtlSeconds: 0, timeoutMs: 5000 } });
    const dup = await t.as(tsp.key).post('/api/v1/services').send(credential).expect(409);
    expect(errorCode(dup.body)).toBe('conflict');
  });

  it('refuses invalid descriptors with 400 and stores nothing', async () => {
    const r = await t.as(tsp.key).post('/api/v1/services').send({ ...credential, id: 'bad-one', functionUrn: undefined }).expect(400);
    expect(errorCode(r.body)).toBe('bad-request');
    expect(r.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'functionUrn' })]));
    await t.as(tsp.key).post('/api/v1/services').send({ ...credential, id: 'pdp-fake', type: 'pdp', functionUrn: undefined }).expect(400);
    await t.as(tsp.key).get('/api/v1/services/bad-one').expect(404);
  });

  it('discovers by type, function URN, provider and text', async () => {
    const byUrn = await t.as(other.key).get('/api/v1/services').query({ functionUrn: credential.functionUrn }).expect(200);
    expect(byUrn.body.items.map((s: { descriptor: { id: string } }) => s.descriptor.id)).toEqual(['credential-service']);
    const byType = await t.as(other.key).get('/api/v1/services?type=context-handler').expect(200);
    expect(byType.body.items).toEqual([]);
    const byText = await t.as(other.key).get('/api/v1/services?q=CREDENTIAL').expect(200);
    expect(byText.body.items).toHaveLength(1);
    await t.as(other.key).get('/api/v1/services?type=bogus').expect(400);
  });

  it('only the registrant updates, disables, enables and deletes', async () => {
    await t.as(other.key).put('/api/v1/services/credential-service').send({ ...credential, description: 'x' }).expect(403);
    await t.as(other.key).post('/api/v1/services/credential-service/disable').expect(403);
    const u = await t.as(tsp.key).put('/api/v1/services/credential-service').send({ ...credential, description: 'v2', cacheTtlSeconds: 30 }).expect(200);
    expect(u.body.descriptor).toMatchObject({ description: 'v2', cacheTtlSeconds: 30 });
    await t.as(tsp.key).put('/api/v1/services/credential-service').send({ ...credential, id: 'renamed' }).expect(400);
    const d = await t.as(tsp.key).post('/api/v1/services/credential-service/disable').expect(200);
    expect(d.body.enabled).toBe(false);
    const enabledOnly = await t.as(tsp.key).get('/api/v1/services?enabled=true&type=udf').expect(200);
    expect(enabledOnly.body.items).toEqual([]);
    await t.as(tsp.key).post('/api/v1/services/credential-service/enable').expect(200);
    await t.as(tsp.key).delete('/api/v1/services/credential-service').expect(204);
    await t.as(tsp.key).get('/api/v1/services/credential-service').expect(404);
  });

  it('registers every PDP as a service, managed with its domain', async () => {
    const o = await ownerWithDomain(t, 'owner-x');
    const s = await t.as(o.owner.key).get(`/api/v1/services/pdp-${o.domainId}`).expect(200);
    expect(s.body.descriptor).toMatchObject({ type: 'pdp', endpoint: `http://safax.test/pdp/${o.pdpId}`, method: 'POST', requestFormat: 'xml', provider: { id: o.owner.id } });
    expect(s.body.domainId).toBe(o.domainId);
    const change = await t.as(o.owner.key).post(`/api/v1/services/pdp-${o.domainId}/disable`).expect(409);
    expect(errorCode(change.body)).toBe('conflict');
    await t.as(o.owner.key).delete(`/api/v1/domains/${o.domainId}`).expect(204);
    await t.as(t.adminKey).get(`/api/v1/services/pdp-${o.domainId}`).expect(404);
  });

  it('domains owners may register; a principal without a registering role may not', async () => {
    const plain = await createUser(t, 'plain', []);
    await t.as(plain.key).post('/api/v1/services').send({ ...credential, id: 'x1' }).expect(403);
    await t.as(plain.key).get('/api/v1/services').expect(200);
  });
});

describe.each(PROVIDERS)('PDP entries follow PUBLIC_BASE_URL (%s)', (provider) => {
  it('after a restart under a new public address, every PDP entry names the new PDP-URL', async () => {
    const db = await createTestDatabase(provider);
    try {
      const before = await startTestPlatform(provider, { publicBaseUrl: 'http://old.example' }, {}, db);
      const o = await ownerWithDomain(before, 'alice');
      const service = `/api/v1/services/pdp-${o.domainId}`;
      expect((await before.as(o.owner.key).get(service).expect(200)).body.descriptor.endpoint).toBe(`http://old.example/pdp/${o.pdpId}`);
      await before.close();

      const after = await startTestPlatform(provider, { publicBaseUrl: 'https://authz.example.org' }, {}, db);
      try {
        const entry = (await after.as(o.owner.key).get(service).expect(200)).body;
        expect(entry.descriptor.endpoint).toBe(`https://authz.example.org/pdp/${o.pdpId}`);
        expect(entry.descriptor.description).toContain(`https://authz.example.org/pdp/${o.pdpId}/access/v1/evaluation`);
        expect(entry.descriptor.description).not.toContain('old.example');
        expect((await after.as(o.owner.key).get(`/api/v1/domains/${o.domainId}`).expect(200)).body.pdpUrl).toBe(entry.descriptor.endpoint);
      } finally {
        await after.close();
      }
    } finally {
      await db.drop();
    }
  });
});
