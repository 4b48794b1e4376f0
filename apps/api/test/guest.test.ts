/**
 * Guest mode (SAFAX §5.2): an anonymous caller gets a throw-away guest with a ready test
 * domain, quotas and an expiry; the system PDP (policies/system/guest.xml) keeps it away from
 * everyone else's data, and everyone else from it.
 */
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { actionRequestJson, permitPolicy } from './support/policies';
import { PROVIDERS } from './support/test-database';
import { configFromEnv } from '../src/config/app-config';
import { createUser, errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

interface Guest {
  apiKey: string;
  principal: { id: string; name: string; roles: string[]; expiresAt: string };
  project: { id: string };
  domain: { id: string; pdpId: string };
  expiresAt: string;
  quotas: Record<string, number>;
}

async function startGuest(t: TestPlatform): Promise<Guest> {
  const r = await t.http().post('/api/v1/guest').send({}).expect(201);
  return r.body as Guest;
}

describe.each(PROVIDERS)('guest mode (%s)', (provider) => {
  let t: TestPlatform;
  let alice: OwnedDomain;
  let guest: Guest;

  beforeAll(async () => {
    t = await startTestPlatform(provider);
    alice = await ownerWithDomain(t, 'alice');
    await t.as(alice.owner.key).post(`/api/v1/domains/${alice.domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('alice-p')).expect(201);
    await t.as(alice.owner.key).post(`/pdp/${alice.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson('read')).expect(200);
    guest = await startGuest(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives an anonymous caller a guest with a key, an expiry, quotas and a ready test domain', async () => {
    expect(guest.apiKey).toMatch(/^sfx_/);
    expect(guest.principal.roles).toEqual(['guest']);
    expect(new Date(guest.expiresAt).getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
    expect(guest.quotas).toEqual({ projects: 1, domains: 2, policyVersions: 20, pipAttributes: 50 });
    const me = await t.as(guest.apiKey).get('/api/v1/me').expect(200);
    expect(me.body).toMatchObject({ id: guest.principal.id, roles: ['guest'], expiresAt: guest.expiresAt });
    const projects = await t.as(guest.apiKey).get('/api/v1/projects').expect(200);
    expect(projects.body.items.map((p: { id: string }) => p.id)).toEqual([guest.project.id]);
    const cfg = await t.as(guest.apiKey).get(`/api/v1/domains/${guest.domain.id}/pdp`).expect(200);
    expect(cfg.body.logDetail).toBe('full');
  });

  it('lets the guest use its own domain: upload, evaluate, read the log with the trace', async () => {
    await t.as(guest.apiKey).post(`/api/v1/domains/${guest.domain.id}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('guest-p')).expect(201);
    const r = await t.as(guest.apiKey).post(`/pdp/${guest.domain.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson('read')).expect(200);
    const tx = r.headers['x-transaction-id'] as string;
    const entry = await t.as(guest.apiKey).get(`/api/v1/domains/${guest.domain.id}/decisions/${tx}`).expect(200);
    expect(entry.body.decision).toBe('Permit');
    expect(entry.body.trace).toEqual(expect.arrayContaining([{ kind: 'rule', id: 'permit-read', policyId: 'guest-p', decision: 'Permit' }]));
  });

  it("never reaches another owner's project, domain, policies, logs or PDP — not even a public PDP-URL", async () => {
    await t.as(alice.owner.key).patch(`/api/v1/domains/${alice.domainId}`).send({ publicPdp: true }).expect(200);
    // Anyone holding a public PDP-URL may call it; a guest may not.
    await t.http().post(`/pdp/${alice.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson('read')).expect(200);
    const reads = [
      `/api/v1/projects/${alice.projectId}`,
      `/api/v1/projects/${alice.projectId}/domains`,
      `/api/v1/domains/${alice.domainId}`,
      `/api/v1/domains/${alice.domainId}/policies`,
      `/api/v1/domains/${alice.domainId}/pdp`,
      `/api/v1/domains/${alice.domainId}/pip/attributes`,
      `/api/v1/domains/${alice.domainId}/decisions`,
      `/api/v1/principals/${alice.owner.id}`,
      `/pdp/${alice.pdpId}`,
    ];
    // Not its to see: answered exactly like an id that does not exist.
    for (const path of reads) {
      const r = await t.as(guest.apiKey).get(path);
      expect([path, r.status, errorCode(r.body)]).toEqual([path, 404, 'not-found']);
    }
    const calls: [string, string, unknown][] = [
      ['post', `/pdp/${alice.pdpId}`, actionRequestJson('read')],
      ['post', `/api/v1/domains/${alice.domainId}/policies`, { policies: [{ text: permitPolicy('evil') }] }],
      ['post', `/api/v1/domains/${alice.domainId}/policies/validate`, { policies: [{ text: permitPolicy('evil') }] }],
      ['post', `/api/v1/domains/${alice.domainId}/test-evaluations`, { format: 'xacml-json', body: actionRequestJson('read') }],
      ['delete', `/api/v1/domains/${alice.domainId}`, undefined],
    ];
    for (const [method, path, body] of calls) {
      const req = t.as(guest.apiKey)[method as 'post'](path);
      const r = typeof body === 'string' ? await req.set('Content-Type', 'application/xacml+json').send(body) : body === undefined ? await req : await req.send(body as object);
      expect([path, r.status]).toEqual([path, 404]);
    }
    const list = await t.as(alice.owner.key).get(`/api/v1/domains/${alice.domainId}/policies`).expect(200);
    expect(list.body.items.map((p: { policyId: string }) => p.policyId)).toEqual(['alice-p']);
    await t.as(alice.owner.key).patch(`/api/v1/domains/${alice.domainId}`).send({ publicPdp: false }).expect(200);
  });

  it('cannot share its data or widen its reach: no collaborators, controllers, services or new keys', async () => {
    await t.as(guest.apiKey).put(`/api/v1/projects/${guest.project.id}/collaborators/alice`).expect(403);
    await t.as(guest.apiKey).put(`/api/v1/domains/${guest.domain.id}/controllers/alice`).expect(403);
    await t.as(guest.apiKey).post(`/api/v1/principals/${guest.principal.id}/api-keys`).send({}).expect(403);
    await t.as(guest.apiKey).post('/api/v1/guest').send({}).expect(403);
    const svc = await t.as(guest.apiKey).post('/api/v1/services').send({ id: 'x', provider: { id: 'g' }, endpoint: 'https://example.org/x', method: 'POST', type: 'other', requestFormat: 'json', responseFormat: 'json' });
    expect(svc.status).toBe(403);
    // And no owner can pull a guest into its project or domain: a guest's name answers like a name nobody has.
    const r1 = await t.as(alice.owner.key).put(`/api/v1/projects/${alice.projectId}/collaborators/${guest.principal.name}`).expect(404);
    expect(r1.body).toEqual({ error: { code: 'not-found', message: 'principal not found' } });
    await t.as(alice.owner.key).put(`/api/v1/domains/${alice.domainId}/controllers/${guest.principal.id}`).expect(404);
  });

  it('enforces the quotas with 403 quota-exceeded and changes nothing', async () => {
    const g = await startGuest(t);
    const p2 = await t.as(g.apiKey).post('/api/v1/projects').send({ name: 'second' }).expect(403);
    expect(errorCode(p2.body)).toBe('quota-exceeded');
    expect(p2.body.error.details).toMatchObject({ quota: 'projects', limit: 1, used: 1 });
    await t.as(g.apiKey).post(`/api/v1/projects/${g.project.id}/domains`).send({ name: 'second' }).expect(201);
    const d3 = await t.as(g.apiKey).post(`/api/v1/projects/${g.project.id}/domains`).send({ name: 'third' }).expect(403);
    expect(errorCode(d3.body)).toBe('quota-exceeded');
    const many = Array.from({ length: 21 }, (_, i) => ({ text: permitPolicy(`p${i}`) }));
    const v = await t.as(g.apiKey).post(`/api/v1/domains/${g.domain.id}/policies`).send({ policies: many }).expect(403);
    expect(errorCode(v.body)).toBe('quota-exceeded');
    expect((await t.as(g.apiKey).get(`/api/v1/domains/${g.domain.id}/policies`).expect(200)).body.items).toEqual([]);
    await t.as(g.apiKey).post(`/api/v1/domains/${g.domain.id}/policies`).send({ policies: many.slice(0, 20) }).expect(201);
    const attrs = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ category: 'subject', entity: `u${from + i}`, attribute: 'role', values: ['x'] }));
    const pip = await t.as(g.apiKey).post(`/api/v1/domains/${g.domain.id}/pip/attributes`).send({ attributes: attrs(51) }).expect(403);
    expect(errorCode(pip.body)).toBe('quota-exceeded');
    await t.as(g.apiKey).post(`/api/v1/domains/${g.domain.id}/pip/attributes`).send({ attributes: attrs(50) }).expect(200);
    // Re-writing the same attributes is not growth; one more is.
    await t.as(g.apiKey).post(`/api/v1/domains/${g.domain.id}/pip/attributes`).send({ attributes: attrs(10) }).expect(200);
    await t.as(g.apiKey).post(`/api/v1/domains/${g.domain.id}/pip/attributes`).send({ attributes: attrs(1, 50) }).expect(403);
    expect((await t.as(g.apiKey).get(`/api/v1/domains/${g.domain.id}/pip/attributes`).expect(200)).body.items).toHaveLength(50);
    // Owners have no quotas.
    await t.as(alice.owner.key).post('/api/v1/projects').send({ name: 'another' }).expect(201);
  });

  it('refuses bad input and a signed-in caller, and creates nobody then', async () => {
    const principals = async () => (await t.as(t.adminKey).get('/api/v1/principals').expect(200)).body.items.length as number;
    const before = await principals();
    const r = await t.http().post('/api/v1/guest').send({ admin: true }).expect(400);
    expect(errorCode(r.body)).toBe('bad-request');
    await t.http().post('/api/v1/guest').set('Content-Type', 'application/json').send('{not json').expect(400);
    await t.as(alice.owner.key).post('/api/v1/guest').send({}).expect(403);
    expect(await principals()).toBe(before);
  });
});

describe.each(PROVIDERS)('guest expiry (%s)', (provider) => {
  let t: TestPlatform;
  beforeAll(async () => {
    // Long enough for the first calls on a loaded machine; the test waits for the expiry itself.
    t = await startTestPlatform(provider, { guestTtlMs: 4000 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('an expired guest stops working, and is purged with its data by the next guest', async () => {
    const g = (await t.http().post('/api/v1/guest').send({}).expect(201)).body as Guest;
    await t.as(g.apiKey).get('/api/v1/me').expect(200);
    await t.as(g.apiKey).post(`/pdp/${g.domain.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson('read')).expect(200);
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(g.expiresAt) - Date.now()) + 100));
    const me = await t.as(g.apiKey).get('/api/v1/me').expect(401);
    expect(errorCode(me.body)).toBe('unauthenticated');
    await t.as(g.apiKey).post(`/pdp/${g.domain.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson('read')).expect(401);
    await t.http().post('/api/v1/guest').send({}).expect(201);
    await t.as(t.adminKey).get(`/api/v1/principals/${g.principal.id}`).expect(404);
    await t.as(t.adminKey).get(`/api/v1/domains/${g.domain.id}`).expect(404);
  });
});

describe('guest mode switched off', () => {
  it('answers 404 when SAFAX_GUEST_TTL_MS is 0', async () => {
    const t = await startTestPlatform('sqlite', { guestTtlMs: 0 });
    try {
      const r = await t.http().post('/api/v1/guest').send({}).expect(404);
      expect(errorCode(r.body)).toBe('not-found');
      const admin = await createUser(t, 'someone', ['domain-owner']);
      expect((await t.as(t.adminKey).get('/api/v1/principals').expect(200)).body.items.map((p: { id: string }) => p.id)).toContain(admin.id);
      expect((await t.as(t.adminKey).get('/api/v1/principals').expect(200)).body.items).toHaveLength(2);
    } finally {
      await t.close();
    }
  });
});

describe('guest creation is rate-limited per client address', () => {
  it('answers 429 rate-limited beyond SAFAX_GUESTS_PER_HOUR and creates nobody then', async () => {
    const t = await startTestPlatform('sqlite', { guestsPerHour: 2 });
    try {
      const first = await t.http().post('/api/v1/guest').send({}).expect(201);
      expect(first.headers['ratelimit']).toMatch(/r=1/);
      await t.http().post('/api/v1/guest').send({}).expect(201);
      const principals = async () => (await t.as(t.adminKey).get('/api/v1/principals').expect(200)).body.items.length as number;
      const before = await principals();
      const r = await t.http().post('/api/v1/guest').send({}).expect(429);
      expect(errorCode(r.body)).toBe('rate-limited');
      expect(r.body.error.message).toMatch(/at most 2 guest sessions per hour/);
      expect(await principals()).toBe(before);
      // Signed-in routes are not affected.
      await t.as(first.body.apiKey).get('/api/v1/me').expect(200);
    } finally {
      await t.close();
    }
  });
});

describe('SAFAX_TRUST_PROXY: who the client is behind a reverse proxy', () => {
  it('is off by default; reads a hop count or a list of addresses, CIDRs and keywords; refuses anything else', () => {
    expect(configFromEnv({}).trustProxy).toBe(false);
    expect(configFromEnv({ SAFAX_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(configFromEnv({ SAFAX_TRUST_PROXY: 'loopback, 10.0.0.0/8 fd00::1' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::1']);
    expect(() => configFromEnv({ SAFAX_TRUST_PROXY: 'true' })).toThrow(/SAFAX_TRUST_PROXY: .*true/);
    expect(() => configFromEnv({ SAFAX_TRUST_PROXY: 'loopback, 10.0.0.0/33' })).toThrow(/10\.0\.0\.0\/33/);
  });

  it('untrusted, X-Forwarded-For is ignored: every client behind the proxy shares one budget', async () => {
    const t = await startTestPlatform('sqlite', { guestsPerHour: 1 });
    try {
      await t.http().post('/api/v1/guest').set('X-Forwarded-For', '203.0.113.1').send({}).expect(201);
      await t.http().post('/api/v1/guest').set('X-Forwarded-For', '203.0.113.2').send({}).expect(429);
    } finally {
      await t.close();
    }
  });

  it('trusted (loopback, where the test proxy is), each forwarded client has its own budget', async () => {
    const t = await startTestPlatform('sqlite', { guestsPerHour: 1, trustProxy: ['loopback'] });
    try {
      await t.http().post('/api/v1/guest').set('X-Forwarded-For', '203.0.113.1').send({}).expect(201);
      await t.http().post('/api/v1/guest').set('X-Forwarded-For', '203.0.113.2').send({}).expect(201);
      const again = await t.http().post('/api/v1/guest').set('X-Forwarded-For', '203.0.113.1').send({}).expect(429);
      expect(errorCode(again.body)).toBe('rate-limited');
    } finally {
      await t.close();
    }
  });
});
