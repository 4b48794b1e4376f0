/**
 * The audit trail (issue 13): every change through the API is recorded with who, when, what and
 * the transaction id its response carried; a failed change is recorded as failed and changes
 * nothing; an audit write that fails never hides or fakes an outcome; who may read which part;
 * filters and paging; parallel changes on PostgreSQL each get exactly one entry.
 */
import type { Response } from 'supertest';
import type { Logger } from '../src/app-deps';
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { permitPolicy } from './support/policies';
import { PROVIDERS } from './support/test-database';
import { createUser, errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

jest.setTimeout(30_000);

interface Entry {
  txId: string;
  time: string;
  actor: { id: string; name: string } | null;
  action: string;
  projectId: string | null;
  domainId: string | null;
  resource: { type: string; id: string | null };
  summary: string;
  details?: Record<string, unknown>;
  outcome: 'pending' | 'succeeded' | 'failed';
  status: number | null;
  errorCode: string | null;
  finishedAt: string | null;
}

const txOf = (r: Response): string => {
  const tx = r.headers['x-transaction-id'];
  if (typeof tx !== 'string' || tx === '') throw new Error('no X-Transaction-Id');
  return tx;
};

describe.each(PROVIDERS)('audit trail (%s)', (provider) => {
  let t: TestPlatform;
  let alice: OwnedDomain;
  let carol: { id: string; key: string };
  const logged: { message: string; fields?: Record<string, unknown> }[] = [];
  const log: Logger = { info: () => undefined, error: (message, fields) => void logged.push({ message, ...(fields ? { fields } : {}) }) };
  const audit = async (key: string, query: string): Promise<Entry[]> => (await t.as(key).get(`/api/v1/audit?${query}`).expect(200)).body.items as Entry[];
  const byTx = async (key: string, query: string, tx: string): Promise<Entry | undefined> => (await audit(key, `${query}&limit=500`)).find((e) => e.txId === tx);

  beforeAll(async () => {
    t = await startTestPlatform(provider, {}, { log });
    alice = await ownerWithDomain(t, 'alice');
  });
  afterAll(async () => {
    await t.close();
  });

  it("records each change with who, when, what and the response's transaction id", async () => {
    const d = `/api/v1/domains/${alice.domainId}`;
    const started = Date.now();
    const steps: { tx: string; action: string; summary: RegExp; resource?: string }[] = [];
    const step = (r: Response, action: string, summary: RegExp, resource?: string) => steps.push({ tx: txOf(r), action, summary, ...(resource !== undefined ? { resource } : {}) });
    step(await t.as(alice.owner.key).post(`${d}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('p1', '1.0')).expect(201), 'policy.upload', /uploaded p1 v1\.0; deployment #1 active: p1 v1\.0/);
    step(await t.as(alice.owner.key).post(`${d}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('p1', '1.1')).expect(201), 'policy.upload', /uploaded p1 v1\.1; deployment #2 active/);
    step(await t.as(alice.owner.key).post(`${d}/policies/p1/versions/1.0/activate`).expect(200), 'policy.activate', /activated p1 v1\.0; deployment #3 active: p1 v1\.0/, 'p1');
    step(await t.as(alice.owner.key).post(`${d}/deployments/rollback`).send({}).expect(200), 'deployment.rollback', /rolled back to the previous deployment; deployment #4 active: p1 v1\.1/);
    step(await t.as(alice.owner.key).put(`${d}/pdp`).send({ logDetail: 'full' }).expect(200), 'pdp-config.update', /logDetail=full/);
    carol = await createUser(t, 'carol', ['domain-owner']);
    step(await t.as(alice.owner.key).put(`/api/v1/projects/${alice.projectId}/collaborators/carol`).expect(200), 'collaborator.add', /added carol as collaborator/, carol.id);
    const onboarded = await t.as(alice.owner.key).post(`${d}/controllers`).send({ name: 'dc-audit' }).expect(201);
    step(onboarded, 'controller.create', /onboarded domains controller dc-audit/, onboarded.body.principal.id as string);
    step(await t.as(alice.owner.key).post(`${d}/pip/attributes`).send({ attributes: [{ category: 'resource', entity: 'doc-1', attribute: 'urn:x:type', datatype: 'string', values: ['doc'] }] }).expect(200), 'pip.upsert', /1 attribute\(s\) \(urn:x:type of doc-1\)/);

    const entries = await audit(alice.owner.key, `project=${alice.projectId}&limit=500`);
    for (const s of steps) {
      const e = entries.find((x) => x.txId === s.tx);
      expect([s.action, e?.action, e?.outcome, e?.status, e?.actor?.name, e?.domainId, e?.projectId]).toEqual([s.action, s.action, 'succeeded', s.action === 'policy.upload' || s.action === 'controller.create' ? 201 : 200, 'alice', s.action === 'collaborator.add' ? null : alice.domainId, alice.projectId]);
      expect(e?.summary).toMatch(s.summary);
      if (s.resource !== undefined) expect(e?.resource.id).toBe(s.resource);
      expect(Date.parse(e?.time ?? '')).toBeGreaterThanOrEqual(started - 1000);
      expect(Date.parse(e?.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(e?.time ?? ''));
    }
    // Newest first, and the project's creation and domain's creation are in its trail too.
    expect(entries.map((e) => e.action).slice(-2)).toEqual(['domain.create', 'project.create']);
    expect(Date.parse(entries[0]?.time ?? '') >= Date.parse(entries[1]?.time ?? '')).toBe(true);
    // The key itself is never in the trail, only its prefix.
    expect(JSON.stringify(entries)).not.toContain(onboarded.body.apiKey as string);
  });

  it('records a failed change as failed, with its error, and the change is not made', async () => {
    const before = (await t.as(alice.owner.key).get(`/api/v1/domains/${alice.domainId}/deployments`).expect(200)).body.items.length as number;
    const r = await t.as(alice.owner.key).post(`/api/v1/domains/${alice.domainId}/policies/p1/versions/9.9/activate`).expect(404);
    const e = await byTx(alice.owner.key, `project=${alice.projectId}`, txOf(r));
    expect(e).toMatchObject({ action: 'policy.activate', outcome: 'failed', status: 404, errorCode: 'not-found', details: { error: 'policy version not found' } });
    const bad = await t.as(alice.owner.key).post(`/api/v1/domains/${alice.domainId}/controllers`).send({ name: 'has space' }).expect(400);
    expect(await byTx(alice.owner.key, `project=${alice.projectId}`, txOf(bad))).toMatchObject({ action: 'controller.create', outcome: 'failed', errorCode: 'bad-request' });
    expect((await t.as(alice.owner.key).get(`/api/v1/domains/${alice.domainId}/deployments`).expect(200)).body.items.length).toBe(before);
    // Only succeeded ones, when asked.
    expect((await audit(alice.owner.key, `project=${alice.projectId}&outcome=failed`)).map((x) => x.outcome)).toEqual(['failed', 'failed']);
  });

  it('refuses the change with 503 when its entry cannot be written, and changes nothing', async () => {
    const repo = t.platform.deps.repos.audit;
    const begin = repo.begin;
    (repo as { begin: typeof begin }).begin = () => Promise.reject(new Error('disk full'));
    try {
      const r = await t.as(alice.owner.key).post(`/api/v1/domains/${alice.domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('never', '1.0')).expect(503);
      expect(errorCode(r.body)).toBe('unavailable');
    } finally {
      (repo as { begin: typeof begin }).begin = begin;
    }
    const policies = (await t.as(alice.owner.key).get(`/api/v1/domains/${alice.domainId}/policies`).expect(200)).body.items as { policyId: string }[];
    expect(policies.map((p) => p.policyId)).not.toContain('never');
    expect(logged.some((l) => l.message.includes('change refused'))).toBe(true);
  });

  it('keeps the entry pending, never succeeded, and logs it when the outcome cannot be written', async () => {
    const repo = t.platform.deps.repos.audit;
    const finish = repo.finish;
    let attempts = 0;
    (repo as { finish: typeof finish }).finish = () => {
      attempts++;
      return Promise.reject(new Error('connection lost'));
    };
    let r: Response;
    try {
      // The change itself succeeded: the caller is told so.
      r = await t.as(alice.owner.key).post(`/api/v1/domains/${alice.domainId}/pip/attributes`).send({ attributes: [{ category: 'resource', entity: 'doc-2', attribute: 'urn:x:type', datatype: 'string', values: ['doc'] }] }).expect(200);
    } finally {
      (repo as { finish: typeof finish }).finish = finish;
    }
    expect(attempts).toBe(3);
    const e = await byTx(alice.owner.key, `project=${alice.projectId}`, txOf(r));
    expect(e).toMatchObject({ action: 'pip.upsert', outcome: 'pending', status: null, finishedAt: null });
    const line = logged.find((l) => l.message.includes('audit outcome not recorded'));
    expect(JSON.stringify(line?.fields)).toContain(txOf(r));
    expect(JSON.stringify(line?.fields)).toContain('"outcome":"succeeded"');
  });

  it('lets the project owner and collaborators read its trail, everyone their own actions, and admins everything', async () => {
    const bob = await ownerWithDomain(t, 'bob');
    const carolKey = carol.key;
    // Carol collaborates on Alice's project (added above): she reads its trail, not Bob's.
    expect((await audit(carolKey, `project=${alice.projectId}`)).length).toBeGreaterThan(0);
    expect(errorCode((await t.as(carolKey).get(`/api/v1/audit?project=${bob.projectId}`).expect(404)).body)).toBe('not-found');
    expect(errorCode((await t.as(bob.owner.key).get(`/api/v1/audit?domain=${alice.domainId}`).expect(404)).body)).toBe('not-found');
    // Everything: admins only.
    expect(errorCode((await t.as(alice.owner.key).get('/api/v1/audit').expect(403)).body)).toBe('forbidden');
    const all = await audit(t.adminKey, 'limit=500');
    expect(new Set(all.map((e) => e.projectId))).toEqual(new Set([null, alice.projectId, bob.projectId]));
    // One's own actions, whatever their scope.
    const mine = await audit(bob.owner.key, 'actor=bob');
    expect(mine.map((e) => e.action).sort()).toEqual(['domain.create', 'project.create']);
    expect(errorCode((await t.as(bob.owner.key).get('/api/v1/audit?actor=alice').expect(403)).body)).toBe('forbidden');
    // A guest reads none of it.
    const guest = (await t.http().post('/api/v1/guest').send({}).expect(201)).body as { apiKey: string; project: { id: string }; principal: { id: string } };
    await t.as(guest.apiKey).get(`/api/v1/audit?project=${guest.project.id}`).expect(403);
    expect((await audit(t.adminKey, `project=${guest.project.id}`)).map((e) => [e.action, e.actor])).toEqual([['guest.create', null]]);
    await t.http().get('/api/v1/audit').expect(401);
  });

  it('filters by actor name, action family and time, and pages with a cursor', async () => {
    const all = await audit(alice.owner.key, `project=${alice.projectId}&limit=500`);
    const policy = await audit(alice.owner.key, `project=${alice.projectId}&action=policy&limit=500`);
    expect(new Set(policy.map((e) => e.action))).toEqual(new Set(['policy.upload', 'policy.activate']));
    expect((await audit(alice.owner.key, `project=${alice.projectId}&action=policy.activate`)).every((e) => e.action === 'policy.activate')).toBe(true);
    expect((await audit(alice.owner.key, `project=${alice.projectId}&actor=alice&limit=500`)).length).toBe(all.length);
    const oldest = all[all.length - 1];
    const upTo = await audit(alice.owner.key, `project=${alice.projectId}&to=${encodeURIComponent(oldest?.time ?? '')}`);
    expect(upTo.map((e) => e.txId)).toContain(oldest?.txId);
    expect((await audit(alice.owner.key, `project=${alice.projectId}&from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).length).toBe(0);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await t.as(alice.owner.key).get(`/api/v1/audit?project=${alice.projectId}&limit=3${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      seen.push(...(res.body.items as Entry[]).map((e) => e.txId));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.txId));
    expect(errorCode((await t.as(alice.owner.key).get(`/api/v1/audit?project=${alice.projectId}&cursor=nonsense`).expect(400)).body)).toBe('bad-request');
    expect(errorCode((await t.as(alice.owner.key).get(`/api/v1/audit?project=${alice.projectId}&action=DROP TABLE`).expect(400)).body)).toBe('bad-request');
  });

  it('records services, keys and principals outside projects, named by the registering principal', async () => {
    const provider = await createUser(t, 'provider-one', ['trust-service-provider']);
    const reg = await t.as(provider.key).post('/api/v1/services').send({ id: 'audit-ch', provider: { id: 'x' }, endpoint: 'http://127.0.0.1:9/x', method: 'POST', type: 'context-handler', requestFormat: 'json', responseFormat: 'json' }).expect(201);
    expect(reg.body.registeredByName).toBe('provider-one');
    const off = await t.as(provider.key).post('/api/v1/services/audit-ch/disable').expect(200);
    const key = await t.as(provider.key).post(`/api/v1/principals/${provider.id}/api-keys`).send({ label: 'ci' }).expect(201);
    const gone = await t.as(provider.key).delete('/api/v1/services/audit-ch').expect(204);
    const mine = await audit(provider.key, `actor=${provider.id}`);
    expect(mine.map((e) => [e.txId, e.action, e.resource.id, e.outcome])).toEqual([
      [txOf(gone), 'service.delete', 'audit-ch', 'succeeded'],
      [txOf(key), 'apikey.create', key.body.id, 'succeeded'],
      [txOf(off), 'service.disable', 'audit-ch', 'succeeded'],
      [txOf(reg), 'service.register', 'audit-ch', 'succeeded'],
    ]);
    expect(mine[1]?.summary).toBe(`issued API key ${key.body.prefix as string}… (ci)`);
    expect(mine.find((e) => e.action === 'service.register')?.summary).toBe('registered context-handler audit-ch at http://127.0.0.1:9/x');
    // The admin's creation of that principal is in the admin's view.
    const created = (await audit(t.adminKey, 'action=principal.create&limit=500')).find((e) => e.resource.id === provider.id);
    expect(created).toMatchObject({ actor: { name: 'admin' }, summary: 'created principal provider-one (trust-service-provider)' });
  });

  if (provider === 'postgresql') {
    it('gives each of many parallel changes exactly one entry', async () => {
      const n = 12;
      const rs = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          t.as(alice.owner.key).post(`/api/v1/domains/${alice.domainId}/pip/attributes`).send({ attributes: [{ category: 'subject', entity: `u${i}`, attribute: 'urn:x:role', datatype: 'string', values: ['r'] }] }),
        ),
      );
      expect(rs.map((r) => r.status)).toEqual(Array.from({ length: n }, () => 200));
      const entries = await audit(alice.owner.key, `project=${alice.projectId}&action=pip.upsert&limit=500`);
      for (const r of rs) expect(entries.filter((e) => e.txId === txOf(r)).map((e) => e.outcome)).toEqual(['succeeded']);
    });
  }
});
