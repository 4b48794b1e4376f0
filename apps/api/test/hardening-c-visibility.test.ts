/**
 * Issue 14, item 9: no answer tells a caller about what it may not see.
 * - an id that exists but is not the caller's to see answers exactly like one that does not
 *   exist (404, same body), on every resource type; 403 stays for what the caller sees but may
 *   not do; without a key both are 401;
 * - naming a principal to add or remove is no oracle for who exists;
 * - only guests created spend the per-address guest budget.
 */
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { actionRequestJson, permitPolicy } from './support/policies';
import { PROVIDERS } from './support/test-database';
import { createUser, errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

describe.each(PROVIDERS)('ids the caller may not see (%s)', (provider) => {
  let t: TestPlatform;
  let alice: OwnedDomain;
  let mallory: OwnedDomain;
  let carol: { id: string; key: string };
  let dc: { id: string; key: string };
  let guest: { apiKey: string; principal: { id: string; name: string }; project: { id: string }; domain: { id: string } };

  beforeAll(async () => {
    t = await startTestPlatform(provider, { guestsPerHour: 3 });
    alice = await ownerWithDomain(t, 'alice');
    mallory = await ownerWithDomain(t, 'mallory');
    carol = await createUser(t, 'carol', ['domain-owner']);
    dc = await createUser(t, 'dc-alice', ['domains-controller']);
    await t.as(alice.owner.key).put(`/api/v1/projects/${alice.projectId}/collaborators/carol`).expect(200);
    await t.as(alice.owner.key).put(`/api/v1/domains/${alice.domainId}/controllers/dc-alice`).expect(200);
    await t.as(alice.owner.key).post(`/api/v1/domains/${alice.domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('alice-p')).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('spends the guest budget only on guests created: refused, malformed and signed-in calls do not count', async () => {
    // Signed-in callers may not start guest sessions (403), bad bodies are 400: none of them counts.
    for (let i = 0; i < 5; i++) await t.as(mallory.owner.key).post('/api/v1/guest').send({}).expect(403);
    for (let i = 0; i < 3; i++) await t.http().post('/api/v1/guest').send({ extra: 1 }).expect(400);
    const created = [];
    for (let i = 0; i < 3; i++) created.push((await t.http().post('/api/v1/guest').send({}).expect(201)).body);
    const over = await t.http().post('/api/v1/guest').send({}).expect(429);
    expect(errorCode(over.body)).toBe('rate-limited');
    // The refused call was no creation either: the budget stays used up, not beyond.
    await t.http().post('/api/v1/guest').send({}).expect(429);
    guest = created[0];
  });

  /** Calls `path(id)` as `key` for a foreign id and for an id nobody has; both answers must be the same. */
  const sameAsMissing = async (key: string | null, method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: (id: string) => string, foreignId: string, body?: object): Promise<Answer> => {
    const call = async (id: string): Promise<Answer> => {
      const req = t.as(key)[method](path(id));
      const r = body === undefined ? await req : await req.send(body);
      return { status: r.status, body: r.body };
    };
    const foreign = await call(foreignId);
    const missing = await call(`${foreignId.slice(0, -4)}zzzz`);
    expect([path(foreignId), foreign]).toEqual([path(foreignId), missing]);
    return foreign;
  };

  it("answers another owner's project, domain, PDP, PDP service and principal exactly like ids that do not exist", async () => {
    const a = alice;
    const byDomain: [('get' | 'post' | 'put' | 'patch' | 'delete'), (id: string) => string, object?][] = [
      ['get', (d) => `/api/v1/domains/${d}`],
      ['patch', (d) => `/api/v1/domains/${d}`, { publicPdp: true }],
      ['delete', (d) => `/api/v1/domains/${d}`],
      ['get', (d) => `/api/v1/domains/${d}/policies/alice-p`],
      ['post', (d) => `/api/v1/domains/${d}/policies`, { policies: [{ text: permitPolicy('evil') }] }],
      ['post', (d) => `/api/v1/domains/${d}/policies/alice-p/versions/1.0/activate`],
      ['put', (d) => `/api/v1/domains/${d}/pdp`, { xpath: false }],
      ['get', (d) => `/api/v1/domains/${d}/decisions/verify`],
      ['get', (d) => `/api/v1/domains/${d}/rights`],
      ['put', (d) => `/api/v1/domains/${d}/controllers/mallory`],
      ['put', (d) => `/api/v1/domains/${d}/context-handler`, { serviceId: 'x' }],
      ['get', (d) => `/api/v1/audit?domain=${d}`],
      ['get', (d) => `/api/v1/services/pdp-${d}`],
      ['delete', (d) => `/api/v1/services/pdp-${d}`],
    ];
    for (const [method, path, body] of byDomain) {
      const r = await sameAsMissing(mallory.owner.key, method, path, a.domainId, body);
      expect(r.status).toBe(404);
    }
    const byProject: [('get' | 'patch' | 'delete' | 'put' | 'post'), (id: string) => string, object?][] = [
      ['get', (p) => `/api/v1/projects/${p}`],
      ['patch', (p) => `/api/v1/projects/${p}`, { name: 'pwned' }],
      ['delete', (p) => `/api/v1/projects/${p}`],
      ['put', (p) => `/api/v1/projects/${p}/collaborators/mallory`],
      ['post', (p) => `/api/v1/projects/${p}/domains`, { name: 'evil' }],
      ['get', (p) => `/api/v1/audit?project=${p}`],
    ];
    for (const [method, path, body] of byProject) expect((await sameAsMissing(mallory.owner.key, method, path, a.projectId, body)).status).toBe(404);
    expect((await sameAsMissing(mallory.owner.key, 'get', (p) => `/api/v1/principals/${p}`, a.owner.id)).body).toEqual({ error: { code: 'not-found', message: 'principal not found' } });
    await sameAsMissing(mallory.owner.key, 'post', (p) => `/api/v1/principals/${p}/api-keys`, a.owner.id, {});
    await sameAsMissing(mallory.owner.key, 'get', (p) => `/pdp/${p}`, a.pdpId);
    expect((await sameAsMissing(mallory.owner.key, 'post', (p) => `/pdp/${p}/access/v1/evaluation`, a.pdpId, { subject: { type: 'user', id: 'x' }, action: { name: 'read' }, resource: { type: 't', id: 'r' } })).body).toEqual({ error: { code: 'not-found', message: 'PDP not found' } });
    // A domains controller of another domain, and a guest (even for a public PDP-URL), likewise.
    await sameAsMissing(dc.key, 'get', (d) => `/api/v1/domains/${d}`, mallory.domainId);
    await sameAsMissing(dc.key, 'post', (p) => `/pdp/${p}/access/v1/evaluation`, mallory.pdpId, { subject: { type: 'user', id: 'x' }, action: { name: 'read' }, resource: { type: 't', id: 'r' } });
    await sameAsMissing(guest.apiKey, 'get', (d) => `/api/v1/domains/${d}/policies`, a.domainId);
    // Nothing changed.
    const d = await t.as(a.owner.key).get(`/api/v1/domains/${a.domainId}`).expect(200);
    expect(d.body).toMatchObject({ publicPdp: false, controllers: [{ name: 'dc-alice' }] });
    const p = await t.as(a.owner.key).get(`/api/v1/projects/${a.projectId}`).expect(200);
    expect(p.body.name).toBe('alice-project');
  });

  it('keeps 403 where the caller sees the resource but may not do the action', async () => {
    const forbidden = async (key: string, method: 'get' | 'post' | 'put' | 'delete', path: string, body?: object): Promise<void> => {
      const req = t.as(key)[method](path);
      const r = body === undefined ? await req : await req.send(body);
      expect([path, r.status, errorCode(r.body)]).toEqual([path, 403, 'forbidden']);
    };
    // A collaborator sees the project, but only its owner deletes it or chooses collaborators.
    await forbidden(carol.key, 'delete', `/api/v1/projects/${alice.projectId}`);
    await forbidden(carol.key, 'put', `/api/v1/projects/${alice.projectId}/collaborators/mallory`);
    // A domains controller sees its domain (it registers its Context Handler there), not its policies.
    await forbidden(dc.key, 'get', `/api/v1/domains/${alice.domainId}/policies`);
    await forbidden(dc.key, 'post', `/api/v1/domains/${alice.domainId}/test-evaluations`, { format: 'xacml-json', body: actionRequestJson('read') });
    // A guest sees its own project but may not share it.
    await forbidden(guest.apiKey, 'put', `/api/v1/projects/${guest.project.id}/collaborators/mallory`);
    // Calls on no particular resource: nothing to hide.
    await forbidden(mallory.owner.key, 'get', '/api/v1/principals');
  });

  it('answers 401 without a key whether or not the id exists', async () => {
    expect((await sameAsMissing(null, 'get', (d) => `/api/v1/domains/${d}`, alice.domainId)).status).toBe(401);
    expect((await sameAsMissing(null, 'get', (p) => `/api/v1/projects/${p}`, alice.projectId)).status).toBe(401);
    expect((await sameAsMissing(null, 'post', (p) => `/pdp/${p}/access/v1/evaluation`, alice.pdpId, { subject: { type: 'user', id: 'x' }, action: { name: 'read' }, resource: { type: 't', id: 'r' } })).status).toBe(401);
  });

  it('naming a principal to add is no oracle: a guest answers like a name nobody has; removal likewise', async () => {
    const add = async (path: string): Promise<Answer> => {
      const r = await t.as(alice.owner.key).put(path);
      return { status: r.status, body: r.body };
    };
    const unknownCollaborator = await add(`/api/v1/projects/${alice.projectId}/collaborators/nobody-by-that-name`);
    expect(unknownCollaborator).toEqual({ status: 404, body: { error: { code: 'not-found', message: 'principal not found' } } });
    expect(await add(`/api/v1/projects/${alice.projectId}/collaborators/${guest.principal.name}`)).toEqual(unknownCollaborator);
    expect(await add(`/api/v1/projects/${alice.projectId}/collaborators/${guest.principal.id}`)).toEqual(unknownCollaborator);
    const unknownController = await add(`/api/v1/domains/${alice.domainId}/controllers/nobody-by-that-name`);
    expect(await add(`/api/v1/domains/${alice.domainId}/controllers/${guest.principal.name}`)).toEqual(unknownController);
    // Withdrawing: an unknown name answers like a principal that holds no such access.
    const remove = async (path: string): Promise<Answer> => {
      const r = await t.as(alice.owner.key).delete(path);
      return { status: r.status, body: r.body };
    };
    const notCollaborator = await remove(`/api/v1/projects/${alice.projectId}/collaborators/mallory`);
    expect(notCollaborator).toEqual({ status: 404, body: { error: { code: 'not-found', message: 'collaborator not found' } } });
    expect(await remove(`/api/v1/projects/${alice.projectId}/collaborators/nobody-by-that-name`)).toEqual(notCollaborator);
    const notController = await remove(`/api/v1/domains/${alice.domainId}/controllers/mallory`);
    expect(notController).toEqual({ status: 404, body: { error: { code: 'not-found', message: 'domains controller not found' } } });
    expect(await remove(`/api/v1/domains/${alice.domainId}/controllers/nobody-by-that-name`)).toEqual(notController);
    // Nobody was added.
    const p = await t.as(alice.owner.key).get(`/api/v1/projects/${alice.projectId}`).expect(200);
    expect(p.body.collaborators.map((c: { name: string }) => c.name)).toEqual(['carol']);
  });
});
