/**
 * Onboarding a domains controller (issue 13): POST /api/v1/domains/{id}/controllers creates the
 * principal (role domains-controller), authorises it on the domain and returns its key once, in
 * one transaction; only the domain's owner and admins may; a taken name is 409 naming the field;
 * parallel onboardings of one name on PostgreSQL create exactly one principal.
 */
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { actionRequestJson, decisionOf, permitPolicy } from './support/policies';
import { PROVIDERS } from './support/test-database';
import { createUser, errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

jest.setTimeout(30_000);

describe.each(PROVIDERS)('controller onboarding (%s)', (provider) => {
  let t: TestPlatform;
  let alice: OwnedDomain;
  const principals = async () => ((await t.as(t.adminKey).get('/api/v1/principals').expect(200)).body.items as { id: string; name: string; roles: string[] }[]);

  beforeAll(async () => {
    t = await startTestPlatform(provider);
    alice = await ownerWithDomain(t, 'alice');
    await t.as(alice.owner.key).post(`/api/v1/domains/${alice.domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('p', '1.0', 'read')).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates an authorised domains controller whose key is shown once and decides at the PDP-URL', async () => {
    const r = await t.as(alice.owner.key).post(`/api/v1/domains/${alice.domainId}/controllers`).send({ name: 'dc-photos' }).expect(201);
    expect(r.body).toMatchObject({
      principal: { name: 'dc-photos', roles: ['domains-controller'] },
      domain: { id: alice.domainId, name: 'd1' },
      pdpUrl: `http://safax.test/pdp/${alice.pdpId}`,
      authzenUrl: `http://safax.test/pdp/${alice.pdpId}/access/v1/evaluation`,
    });
    const key = r.body.apiKey as string;
    expect(key).toMatch(/^sfx_/);
    const domain = await t.as(alice.owner.key).get(`/api/v1/domains/${alice.domainId}`).expect(200);
    expect(domain.body.controllers).toEqual([{ id: r.body.principal.id, name: 'dc-photos' }]);
    // The key works: the controller decides, and the log names it.
    const decided = await t.as(key).post(`/pdp/${alice.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson('read', 'bob')).expect(200);
    expect(decisionOf(decided.text)).toBe('Permit');
    const logged = await t.as(alice.owner.key).get(`/api/v1/domains/${alice.domainId}/decisions?callerName=dc-photos`).expect(200);
    expect(logged.body.items.map((i: { callerName: string; subject: string; action: string }) => [i.callerName, i.subject, i.action])).toEqual([['dc-photos', 'bob', 'read']]);
    // ...and nothing else: it is no owner.
    await t.as(key).get(`/api/v1/domains/${alice.domainId}/policies`).expect(403);
    await t.as(key).post('/api/v1/projects').send({ name: 'mine' }).expect(403);
    // Its key list shows the prefix only; the key is never shown again.
    const keys = await t.as(key).get(`/api/v1/principals/${r.body.principal.id}/api-keys`).expect(200);
    expect(keys.body.items).toEqual([expect.objectContaining({ prefix: key.slice(0, 12), label: 'controller of d1' })]);
    expect(JSON.stringify(keys.body)).not.toContain(key);
  });

  it('refuses a taken name next to the field, and a bad name, creating nothing', async () => {
    const before = await principals();
    const taken = await t.as(alice.owner.key).post(`/api/v1/domains/${alice.domainId}/controllers`).send({ name: 'alice' }).expect(409);
    expect(taken.body.error).toMatchObject({ code: 'conflict', details: { field: 'name' } });
    expect(taken.body.error.message).toContain('"alice" already exists');
    const bad = await t.as(alice.owner.key).post(`/api/v1/domains/${alice.domainId}/controllers`).send({ name: 'no spaces please' }).expect(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ path: 'name' })]);
    await t.as(alice.owner.key).post(`/api/v1/domains/${alice.domainId}/controllers`).send({ name: 'x', roles: ['admin'] }).expect(400);
    expect(await principals()).toEqual(before);
    const domain = await t.as(alice.owner.key).get(`/api/v1/domains/${alice.domainId}`).expect(200);
    expect(domain.body.controllers.map((c: { name: string }) => c.name)).toEqual(['dc-photos']);
  });

  it('is for the domain owner and admins: not collaborators, other owners, controllers or guests', async () => {
    const carol = await createUser(t, 'carol', ['domain-owner']);
    await t.as(alice.owner.key).put(`/api/v1/projects/${alice.projectId}/collaborators/carol`).expect(200);
    const url = `/api/v1/domains/${alice.domainId}/controllers`;
    expect(errorCode((await t.as(carol.key).post(url).send({ name: 'by-carol' }).expect(403)).body)).toBe('forbidden');
    const bob = await ownerWithDomain(t, 'bob');
    // A domain they may not see answers like one that does not exist.
    await t.as(bob.owner.key).post(url).send({ name: 'by-bob' }).expect(404);
    await t.as(alice.owner.key).post(`/api/v1/domains/${bob.domainId}/controllers`).send({ name: 'into-bob' }).expect(404);
    const dc = await createUser(t, 'dc-other', ['domains-controller']);
    await t.as(dc.key).post(url).send({ name: 'by-dc' }).expect(404);
    const guest = (await t.http().post('/api/v1/guest').send({}).expect(201)).body as { apiKey: string; domain: { id: string } };
    await t.as(guest.apiKey).post(`/api/v1/domains/${guest.domain.id}/controllers`).send({ name: 'by-guest' }).expect(403);
    await t.http().post(url).send({ name: 'anon' }).expect(401);
    await t.as(alice.owner.key).post('/api/v1/domains/no-such-domain/controllers').send({ name: 'x1' }).expect(404);
    const names = (await principals()).map((p) => p.name);
    for (const n of ['by-carol', 'by-bob', 'into-bob', 'by-dc', 'by-guest', 'anon', 'x1']) expect(names).not.toContain(n);
    await t.as(t.adminKey).post(url).send({ name: 'by-admin' }).expect(201);
  });

  if (provider === 'postgresql') {
    it('creates one principal when the same name is onboarded in parallel', async () => {
      const rs = await Promise.all(Array.from({ length: 6 }, () => t.as(alice.owner.key).post(`/api/v1/domains/${alice.domainId}/controllers`).send({ name: 'dc-race' })));
      expect(rs.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      expect((await principals()).filter((p) => p.name === 'dc-race')).toHaveLength(1);
      const domain = await t.as(alice.owner.key).get(`/api/v1/domains/${alice.domainId}`).expect(200);
      expect(domain.body.controllers.filter((c: { name: string }) => c.name === 'dc-race')).toHaveLength(1);
    });
  }
});
