/**
 * Self-protection: the service's own PDP (policies/system) guards every route. An owner never
 * sees or changes another owner's projects, domains, policies, configuration, PIP or logs;
 * collaborators help; admins see everything; the PDP-URL obeys its owner's choice.
 */
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { actionRequestJson, permitPolicy } from './support/policies';
import { PROVIDERS } from './support/test-database';
import { createUser, errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

describe.each(PROVIDERS)('isolation between owners (%s)', (provider) => {
  let t: TestPlatform;
  let alice: OwnedDomain;
  let mallory: OwnedDomain;

  beforeAll(async () => {
    t = await startTestPlatform(provider);
    alice = await ownerWithDomain(t, 'alice');
    mallory = await ownerWithDomain(t, 'mallory');
    await t.as(alice.owner.key).post(`/api/v1/domains/${alice.domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('alice-p')).expect(201);
    await t.as(alice.owner.key).post(`/pdp/${alice.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson('read')).expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists only own projects', async () => {
    const r = await t.as(mallory.owner.key).get('/api/v1/projects').expect(200);
    expect(r.body.items.map((p: { id: string }) => p.id)).toEqual([mallory.projectId]);
  });

  const reads = (a: OwnedDomain): string[] => [
    `/api/v1/projects/${a.projectId}`,
    `/api/v1/projects/${a.projectId}/domains`,
    `/api/v1/domains/${a.domainId}`,
    `/api/v1/domains/${a.domainId}/policies`,
    `/api/v1/domains/${a.domainId}/policies/alice-p`,
    `/api/v1/domains/${a.domainId}/policies/alice-p/versions/1.0`,
    `/api/v1/domains/${a.domainId}/deployments`,
    `/api/v1/domains/${a.domainId}/pdp`,
    `/api/v1/domains/${a.domainId}/pip/attributes`,
    `/api/v1/domains/${a.domainId}/decisions`,
    `/api/v1/domains/${a.domainId}/context-handlers`,
    `/api/v1/services/pdp-${a.domainId}`,
    `/pdp/${a.pdpId}`,
  ];

  it("never reads another owner's project, domain, policies, configuration, PIP, logs or PDP: they answer like ids that do not exist", async () => {
    for (const path of reads(alice)) {
      const r = await t.as(mallory.owner.key).get(path);
      expect([path, r.status]).toEqual([path, 404]);
      expect(errorCode(r.body)).toBe('not-found');
    }
  });

  it("never changes another owner's resources, and nothing changes", async () => {
    const a = alice;
    const writes: [string, string, unknown][] = [
      ['patch', `/api/v1/projects/${a.projectId}`, { name: 'pwned' }],
      ['delete', `/api/v1/projects/${a.projectId}`, undefined],
      ['put', `/api/v1/projects/${a.projectId}/collaborators/mallory`, undefined],
      ['post', `/api/v1/projects/${a.projectId}/domains`, { name: 'evil' }],
      ['patch', `/api/v1/domains/${a.domainId}`, { publicPdp: true }],
      ['delete', `/api/v1/domains/${a.domainId}`, undefined],
      ['put', `/api/v1/domains/${a.domainId}/controllers/mallory`, undefined],
      ['post', `/api/v1/domains/${a.domainId}/policies`, { policies: [{ text: permitPolicy('evil') }] }],
      ['delete', `/api/v1/domains/${a.domainId}/policies/alice-p`, undefined],
      ['post', `/api/v1/domains/${a.domainId}/policies/alice-p/versions/1.0/activate`, undefined],
      ['post', `/api/v1/domains/${a.domainId}/deployments/rollback`, {}],
      ['put', `/api/v1/domains/${a.domainId}/pdp`, { xpath: false }],
      ['post', `/api/v1/domains/${a.domainId}/pip/attributes`, { attributes: [{ category: 'subject', entity: 'x', attribute: 'a', values: ['v'] }] }],
      ['delete', `/api/v1/domains/${a.domainId}/pip/attributes`, undefined],
      ['put', `/api/v1/domains/${a.domainId}/context-handler`, { serviceId: 'x' }],
      ['post', `/api/v1/services/pdp-${a.domainId}/disable`, undefined],
      ['post', `/pdp/${a.pdpId}`, undefined],
    ];
    for (const [method, path, body] of writes) {
      const req = t.as(mallory.owner.key)[method as 'post'](path);
      const r = body === undefined ? await req : await req.send(body as object);
      expect([method, path, r.status]).toEqual([method, path, 404]);
    }
    const project = await t.as(alice.owner.key).get(`/api/v1/projects/${a.projectId}`).expect(200);
    expect(project.body).toMatchObject({ name: 'alice-project', collaborators: [] });
    const domain = await t.as(alice.owner.key).get(`/api/v1/domains/${a.domainId}`).expect(200);
    expect(domain.body).toMatchObject({ publicPdp: false, controllers: [] });
    const policies = await t.as(alice.owner.key).get(`/api/v1/domains/${a.domainId}/policies`).expect(200);
    expect(policies.body.items.map((p: { policyId: string }) => p.policyId)).toEqual(['alice-p']);
    const config = await t.as(alice.owner.key).get(`/api/v1/domains/${a.domainId}/pdp`).expect(200);
    expect(config.body.xpath).toBe(true);
  });

  it("does not list another owner's PDP in service discovery", async () => {
    const r = await t.as(mallory.owner.key).get('/api/v1/services').expect(200);
    const ids = r.body.items.map((s: { descriptor: { id: string } }) => s.descriptor.id);
    expect(ids).toContain(`pdp-${mallory.domainId}`);
    expect(ids).not.toContain(`pdp-${alice.domainId}`);
  });

  it('a collaborator manages the domain but cannot delete the project or choose collaborators', async () => {
    const carol = await createUser(t, 'carol', ['domain-owner']);
    await t.as(carol.key).get(`/api/v1/domains/${alice.domainId}/policies`).expect(404);
    await t.as(alice.owner.key).put(`/api/v1/projects/${alice.projectId}/collaborators/carol`).expect(200);
    await t.as(carol.key).get(`/api/v1/domains/${alice.domainId}/policies`).expect(200);
    await t.as(carol.key).get(`/api/v1/domains/${alice.domainId}/decisions`).expect(200);
    await t.as(carol.key).put(`/api/v1/domains/${alice.domainId}/pdp`).send({ logDetail: 'full' }).expect(200);
    await t.as(carol.key).delete(`/api/v1/projects/${alice.projectId}`).expect(403);
    await t.as(carol.key).put(`/api/v1/projects/${alice.projectId}/collaborators/mallory`).expect(403);
    const listed = await t.as(carol.key).get('/api/v1/projects').expect(200);
    expect(listed.body.items.map((p: { id: string }) => p.id)).toEqual([alice.projectId]);
    await t.as(alice.owner.key).delete(`/api/v1/projects/${alice.projectId}/collaborators/carol`).expect(200);
    await t.as(carol.key).get(`/api/v1/domains/${alice.domainId}/policies`).expect(404);
  });

  it('admins see every project; non-admins cannot manage principals', async () => {
    const all = await t.as(t.adminKey).get('/api/v1/projects').expect(200);
    expect(all.body.items.map((p: { id: string }) => p.id).sort()).toEqual([alice.projectId, mallory.projectId].sort());
    await t.as(t.adminKey).get(`/api/v1/domains/${alice.domainId}/decisions`).expect(200);
    await t.as(mallory.owner.key).get('/api/v1/principals').expect(403);
    await t.as(mallory.owner.key).post('/api/v1/principals').send({ name: 'evil', roles: ['admin'] }).expect(403);
    await t.as(mallory.owner.key).get(`/api/v1/principals/${alice.owner.id}`).expect(404);
    await t.as(mallory.owner.key).get(`/api/v1/principals/${mallory.owner.id}/api-keys`).expect(200);
    await t.as(mallory.owner.key).post(`/api/v1/principals/${alice.owner.id}/api-keys`).send({}).expect(404);
  });

  it('only domain owners create projects', async () => {
    const dc = await createUser(t, 'some-dc', ['domains-controller']);
    const r = await t.as(dc.key).post('/api/v1/projects').send({ name: 'x' }).expect(403);
    expect(errorCode(r.body)).toBe('forbidden');
  });

  it('the PDP-URL: authorised controllers only, or anyone once the owner makes it public', async () => {
    const dc = await createUser(t, 'dc-a', ['domains-controller']);
    const ask = (key: string | null) => t.as(key).post(`/pdp/${alice.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson('read'));
    expect((await ask(dc.key)).status).toBe(404);
    expect((await ask(null)).status).toBe(401);
    await t.as(alice.owner.key).put(`/api/v1/domains/${alice.domainId}/controllers/dc-a`).expect(200);
    expect((await ask(dc.key)).status).toBe(200);
    expect((await ask(null)).status).toBe(401);
    await t.as(alice.owner.key).patch(`/api/v1/domains/${alice.domainId}`).send({ publicPdp: true }).expect(200);
    expect((await ask(null)).status).toBe(200);
    expect((await ask(mallory.owner.key)).status).toBe(200);
    await t.as(alice.owner.key).patch(`/api/v1/domains/${alice.domainId}`).send({ publicPdp: false }).expect(200);
    await t.as(alice.owner.key).delete(`/api/v1/domains/${alice.domainId}/controllers/dc-a`).expect(200);
    expect((await ask(dc.key)).status).toBe(404);
    expect((await ask(null)).status).toBe(401);
  });

  it('unknown ids are 404 with the error shape, for everyone', async () => {
    for (const path of ['/api/v1/projects/nope', '/api/v1/domains/nope/policies', '/pdp/nope', '/api/v1/services/nope', '/api/v1/principals/nope']) {
      const r = await t.as(t.adminKey).get(path);
      expect([path, r.status]).toEqual([path, 404]);
      expect(errorCode(r.body)).toBe('not-found');
    }
  });
});
