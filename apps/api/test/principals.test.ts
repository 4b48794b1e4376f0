/** Principals: roles, and deletion taking everything the principal owned with it. */
import { ownerWithDomain } from './support/fixtures';
import { actionRequestJson } from './support/policies';
import { PROVIDERS } from './support/test-database';
import { createUser, errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

describe.each(PROVIDERS)('principals (%s)', (provider) => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform(provider);
  });
  afterAll(async () => {
    await t.close();
  });

  it("records when each API key was last used (to the minute), not for keys that were not", async () => {
    const u = await createUser(t, 'kim', ['domain-owner']);
    const second = await t.as(u.key).post(`/api/v1/principals/${u.id}/api-keys`).send({ label: 'spare' }).expect(201);
    const before = Date.now();
    await t.as(u.key).get('/api/v1/me').expect(200);
    const keys = (await t.as(u.key).get(`/api/v1/principals/${u.id}/api-keys`).expect(200)).body.items as { id: string; label: string; lastUsedAt: string | null }[];
    const used = keys.find((k) => k.id !== second.body.id);
    expect(Date.parse(used?.lastUsedAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(keys.find((k) => k.id === second.body.id)?.lastUsedAt).toBeNull();
  });

  it('admins create principals with unique names and change their roles', async () => {
    const u = await createUser(t, 'dora', []);
    expect(errorCode((await t.as(u.key).post('/api/v1/projects').send({ name: 'p' }).expect(403)).body)).toBe('forbidden');
    await t.as(t.adminKey).patch(`/api/v1/principals/${u.id}`).send({ roles: ['domain-owner'] }).expect(200);
    await t.as(u.key).post('/api/v1/projects').send({ name: 'p' }).expect(201);
    expect(errorCode((await t.as(t.adminKey).post('/api/v1/principals').send({ name: 'dora' }).expect(409)).body)).toBe('conflict');
    const me = await t.as(u.key).get(`/api/v1/principals/${u.id}`).expect(200);
    expect(me.body.roles).toEqual(['domain-owner']);
  });

  it('deleting an owner removes its projects, domains, PDPs, PDP services and registered services', async () => {
    const o = await ownerWithDomain(t, 'leaving');
    await t.as(o.owner.key).post('/api/v1/services').send({ id: 'leaving-ch', provider: { id: 'x' }, endpoint: 'http://127.0.0.1:9/x', method: 'POST', type: 'context-handler', requestFormat: 'json', responseFormat: 'json' }).expect(201);
    await t.as(o.owner.key).post(`/pdp/${o.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson('read')).expect(200);
    await t.as(t.adminKey).delete(`/api/v1/principals/${o.owner.id}`).expect(204);
    await t.as(o.owner.key).get('/api/v1/me').expect(401);
    await t.as(t.adminKey).get(`/api/v1/projects/${o.projectId}`).expect(404);
    await t.as(t.adminKey).get(`/api/v1/domains/${o.domainId}`).expect(404);
    await t.as(t.adminKey).get(`/api/v1/services/pdp-${o.domainId}`).expect(404);
    await t.as(t.adminKey).get('/api/v1/services/leaving-ch').expect(404);
    await t.as(t.adminKey).post(`/pdp/${o.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson('read')).expect(404);
  });
});
