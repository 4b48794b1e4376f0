/** The rights API: grant/revoke/list through the PAP as versions of the managed policy. */
import { MANAGED_RIGHTS_POLICY_ID } from '@safax/contracts';
import { ownerWithDomain } from '../support/fixtures';
import type { OwnedDomain } from '../support/fixtures';
import { permitPolicy } from '../support/policies';
import { PROVIDERS } from '../support/test-database';
import { createUser, errorCode, startTestPlatform } from '../support/test-platform';
import type { TestPlatform } from '../support/test-platform';

function datasetRequest(user: string, dataset: string, action: string) {
  return {
    Request: {
      AccessSubject: { Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:subject:subject-id', Value: user }] },
      Resource: { Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:resource:resource-id', Value: dataset }, { AttributeId: 'urn:safax:1.0:resource:type', Value: 'dataset' }] },
      Action: { Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:action:action-id', Value: action }] },
    },
  };
}

jest.setTimeout(60_000);

describe.each(PROVIDERS)('rights API (%s)', (provider) => {
  let t: TestPlatform;
  let o: OwnedDomain;
  const base = () => `/api/v1/domains/${o.domainId}`;
  const decide = async (user: string, dataset: string, action: string) =>
    (await t.as(o.owner.key).post(`/pdp/${o.pdpId}`).set('Content-Type', 'application/xacml+json').send(datasetRequest(user, dataset, action)).expect(200)).body.Response[0].Decision as string;
  const policies = async () => (await t.as(o.owner.key).get(`${base()}/policies`).expect(200)).body.items;

  beforeAll(async () => {
    t = await startTestPlatform(provider);
    o = await ownerWithDomain(t, 'rita');
    await t.as(o.owner.key).post(`${base()}/policies`).set('Content-Type', 'application/xacml+xml').send(permitPolicy('hand-written', '1.0', 'photo-view')).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('a grant is a new version of the managed policy in force at once; revoke takes it away', async () => {
    expect(await decide('bob', 'public.patients', 'read')).toBe('NotApplicable');
    const g = await t.as(o.owner.key).post(`${base()}/rights/grant`).send({ subject: { kind: 'user', name: 'bob' }, dataset: 'public.patients', actions: ['read'] }).expect(200);
    expect(g.body).toMatchObject({ changed: true, policyId: MANAGED_RIGHTS_POLICY_ID, version: '1', items: [{ subject: { kind: 'user', name: 'bob' }, dataset: 'public.patients', actions: ['read'] }], warnings: [] });
    expect(g.body.deployment.policies).toEqual(expect.arrayContaining([{ policyId: 'hand-written', version: '1.0' }, { policyId: MANAGED_RIGHTS_POLICY_ID, version: '1' }]));
    expect(await decide('bob', 'public.patients', 'read')).toBe('Permit');
    const again = await t.as(o.owner.key).post(`${base()}/rights/grant`).send({ subject: { kind: 'user', name: 'bob' }, dataset: 'public.patients', actions: ['read'] }).expect(200);
    expect(again.body).toMatchObject({ changed: false, version: '1', deployment: null });
    const r = await t.as(o.owner.key).post(`${base()}/rights/revoke`).send({ subject: { kind: 'user', name: 'bob' }, dataset: 'public.patients' }).expect(200);
    expect(r.body).toMatchObject({ changed: true, version: '2', items: [] });
    expect(await decide('bob', 'public.patients', 'read')).toBe('NotApplicable');
    const hand = (await policies()).find((p: { policyId: string }) => p.policyId === 'hand-written');
    expect(hand).toMatchObject({ activeVersion: '1.0', versions: [expect.objectContaining({ version: '1.0' })] });
  });

  it('rolling back the deployment brings the revoked right back (versions and rollback apply)', async () => {
    await t.as(o.owner.key).post(`${base()}/deployments/rollback`).send({}).expect(200);
    expect(await decide('bob', 'public.patients', 'read')).toBe('Permit');
    const list = await t.as(o.owner.key).get(`${base()}/rights`).expect(200);
    expect(list.body).toMatchObject({ version: '1', items: [{ subject: { name: 'bob' } }] });
    const next = await t.as(o.owner.key).post(`${base()}/rights/revoke`).send({ subject: { kind: 'user', name: 'bob' }, dataset: 'public.patients', actions: ['read'] }).expect(200);
    expect(next.body.version).toBe('3');
    expect(await decide('bob', 'public.patients', 'read')).toBe('NotApplicable');
  });

  it('20 concurrent grants on one domain all end up in the managed policy', async () => {
    const users = Array.from({ length: 20 }, (_, i) => `user${i}`);
    const answers = await Promise.all(users.map((name) => t.as(o.owner.key).post(`${base()}/rights/grant`).send({ subject: { kind: 'user', name }, dataset: 'public.visits', actions: ['read', 'insert'] })));
    expect(answers.map((a) => a.status)).toEqual(users.map(() => 200));
    const list = await t.as(o.owner.key).get(`${base()}/rights?dataset=public.visits`).expect(200);
    expect(list.body.items.map((r: { subject: { name: string } }) => r.subject.name).sort()).toEqual([...users].sort());
    const versions = new Set(answers.map((a) => a.body.version as string));
    expect(versions.size).toBe(20);
    for (const u of [users[0]!, users[19]!]) expect(await decide(u, 'public.visits', 'insert')).toBe('Permit');
  });

  it('grants racing hand-written uploads: no grant is lost, an upload either lands whole or is a 409', async () => {
    const grants = Array.from({ length: 8 }, (_, i) => t.as(o.owner.key).post(`${base()}/rights/grant`).send({ subject: { kind: 'user', name: `racer${i}` }, dataset: 'public.race', actions: ['read'] }));
    const uploads = Array.from({ length: 4 }, (_, i) => t.as(o.owner.key).post(`${base()}/policies`).set('Content-Type', 'application/xacml+xml').send(permitPolicy(`race-${i}`, '1.0', `race-${i}`)));
    const [g, u] = await Promise.all([Promise.all(grants), Promise.all(uploads)]);
    expect(g.map((r) => r.status)).toEqual(g.map(() => 200));
    const list = await t.as(o.owner.key).get(`${base()}/rights?dataset=public.race`).expect(200);
    expect(list.body.items.map((r: { subject: { name: string } }) => r.subject.name).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `racer${i}`).sort());
    const active = new Map<string, string | null>((await policies()).map((p: { policyId: string; activeVersion: string | null }) => [p.policyId, p.activeVersion]));
    u.forEach((r, i) => {
      expect([i, [201, 409].includes(r.status) ? 'ok' : `${r.status} ${r.text}`]).toEqual([i, 'ok']);
      expect([i, active.get(`race-${i}`) ?? null]).toEqual([i, r.status === 201 ? '1.0' : null]);
    });
  });

  it('bad names, bad actions and an unknown domain are clear errors that change nothing', async () => {
    const before = await policies();
    const bad = [
      { subject: { kind: 'user', name: 'bob smith' }, dataset: 'public.patients', actions: ['read'] },
      { subject: { kind: 'user', name: 'bob' }, dataset: 'Patients', actions: ['read'] },
      { subject: { kind: 'user', name: 'bob' }, dataset: 'public.patients', actions: ['drop'] },
      { subject: { kind: 'team', name: 'bob' }, dataset: 'public.patients', actions: ['read'] },
      { subject: { kind: 'user', name: 'bob' }, dataset: 'public.patients', actions: ['read'], conditions: { timeFrom: '25:00' , timeUntil: '10:00' } },
      { subject: { kind: 'user', name: 'bob' }, dataset: 'public.patients', actions: ['read'], extra: true },
    ];
    for (const body of bad) {
      const r = await t.as(o.owner.key).post(`${base()}/rights/grant`).send(body).expect(400);
      expect(errorCode(r.body)).toBe('bad-request');
    }
    const named = await t.as(o.owner.key).post(`${base()}/rights/grant`).send(bad[1]).expect(400);
    expect(named.body.error.message).toMatch(/dataset/);
    const unknown = await t.as(o.owner.key).post('/api/v1/domains/no-such-domain/rights/grant').send(bad[0]).expect(404);
    expect(errorCode(unknown.body)).toBe('not-found');
    await t.as(o.owner.key).get('/api/v1/domains/no-such-domain/rights').expect(404);
    expect(await policies()).toEqual(before);
  });

  it('only owners and collaborators (and admins) manage rights', async () => {
    const stranger = await createUser(t, 'stranger', ['domain-owner']);
    await t.as(stranger.key).get(`${base()}/rights`).expect(404);
    await t.as(stranger.key).post(`${base()}/rights/grant`).send({ subject: { kind: 'user', name: 'x' }, dataset: 'public.a', actions: ['read'] }).expect(404);
    await t.as(null).get(`${base()}/rights`).expect(401);
    await t.as(o.owner.key).put(`/api/v1/projects/${o.projectId}/collaborators/stranger`).expect(200);
    await t.as(stranger.key).post(`${base()}/rights/grant`).send({ subject: { kind: 'role', name: 'auditor' }, dataset: 'public.a', actions: ['read'] }).expect(200);
  });

  it('warns when the PDP configuration keeps the managed policy from being evaluated', async () => {
    const cfg = (await t.as(o.owner.key).get(`${base()}/pdp`).expect(200)).body;
    await t.as(o.owner.key).put(`${base()}/pdp`).send({ rootCombiningAlgorithm: cfg.rootCombiningAlgorithm, rootPolicyIds: ['hand-written'] }).expect(200);
    const list = await t.as(o.owner.key).get(`${base()}/rights`).expect(200);
    expect(list.body.warnings.join(' ')).toMatch(/rootPolicyIds/);
    await t.as(o.owner.key).put(`${base()}/pdp`).send({ rootCombiningAlgorithm: cfg.rootCombiningAlgorithm, rootPolicyIds: [] }).expect(200);
  });
});
