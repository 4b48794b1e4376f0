/**
 * Issue 14, item 4: parallel writes on PostgreSQL and SQLite. Guest quotas hold under 20-way
 * races (the holdings are counted under a lock inside the write's transaction); parallel PAP
 * changes of one domain queue instead of refusing each other, and whatever is refused is a 409
 * saying why — never a 500. The repository is also raced directly, below the service's
 * in-process queue, as two replicas would race it.
 */
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { ApiError } from '../src/errors/api-error';
import { ACTIVE_SET_CHANGED } from '../src/repositories/ports';
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { permitPolicy } from './support/policies';
import { PROVIDERS } from './support/test-database';
import { errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

jest.setTimeout(60_000);

const statuses = (rs: readonly Response[]) => rs.map((r) => r.status).sort((a, b) => a - b);
const count = (rs: readonly Response[], status: number) => rs.filter((r) => r.status === status).length;

describe.each(PROVIDERS)('parallel writes (%s)', (provider) => {
  let t: TestPlatform;
  let owner: OwnedDomain;
  let guest: { apiKey: string; project: { id: string }; domain: { id: string } };

  beforeAll(async () => {
    t = await startTestPlatform(provider);
    owner = await ownerWithDomain(t, 'racer');
    guest = (await t.http().post('/api/v1/guest').send({}).expect(201)).body;
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps every guest quota under 20 parallel requests (domains, policy versions, PIP attributes)', async () => {
    const g = t.as(guest.apiKey);
    // Domains: the guest holds 1 of 2.
    const domains = await Promise.all(Array.from({ length: 20 }, (_, i) => g.post(`/api/v1/projects/${guest.project.id}/domains`).send({ name: `race-${i}` })));
    expect(statuses(domains)).toEqual([201, ...Array(19).fill(403)]);
    for (const r of domains.filter((x) => x.status === 403)) expect(r.body.error).toMatchObject({ code: 'quota-exceeded', message: expect.stringContaining('at most 2 domain(s)') });
    const listed = await g.get(`/api/v1/projects/${guest.project.id}/domains`).expect(200);
    expect(listed.body.items).toHaveLength(2);
    const second = domains.find((r) => r.status === 201)!.body.id as string;

    // Policy versions (20), spread over both domains so the per-domain queue does not serialise them.
    const uploads = await Promise.all(
      Array.from({ length: 30 }, (_, i) => g.post(`/api/v1/domains/${i % 2 === 0 ? guest.domain.id : second}/policies?activate=false`).set('Content-Type', 'application/xml').send(permitPolicy(`gp-${i}`))),
    );
    expect(count(uploads, 201)).toBe(20);
    expect(count(uploads, 403)).toBe(10);
    for (const r of uploads.filter((x) => x.status === 403)) expect(errorCode(r.body)).toBe('quota-exceeded');
    const guestId = (await g.get('/api/v1/me')).body.id as string;
    expect((await t.platform.deps.repos.guests.usage(guestId)).policyVersions).toBe(20);

    // PIP attributes (50): 20 requests of 5 new attributes each, over both domains.
    const pip = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        g.post(`/api/v1/domains/${i % 2 === 0 ? guest.domain.id : second}/pip/attributes`).send({ attributes: Array.from({ length: 5 }, (_, j) => ({ category: 'subject', entity: `u${i}`, attribute: `a${j}`, values: ['x'] })) }),
      ),
    );
    expect(count(pip, 200)).toBe(10);
    expect(count(pip, 403)).toBe(10);
    expect((await t.platform.deps.repos.guests.usage(guestId)).pipAttributes).toBe(50);
  });

  it('stores 20 parallel uploads of distinct new versions of one policy (201 each, numbered deployments)', async () => {
    const o = t.as(owner.owner.key);
    await o.post(`/api/v1/domains/${owner.domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('p', '1.0')).expect(201);
    const uploads = await Promise.all(Array.from({ length: 20 }, (_, i) => o.post(`/api/v1/domains/${owner.domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('p', `2.${i}`))));
    expect(statuses(uploads)).toEqual(Array(20).fill(201));
    const deployments = (await o.get(`/api/v1/domains/${owner.domainId}/deployments`).expect(200)).body.items as { number: number }[];
    expect(deployments.map((d) => d.number)).toEqual(Array.from({ length: 21 }, (_, i) => 21 - i));
    // The same version twice in parallel: one stored, the other told exactly that.
    const same = await Promise.all([0, 1].map(() => o.post(`/api/v1/domains/${owner.domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('p', '3.0'))));
    expect(statuses(same)).toEqual([201, 409]);
    expect(same.find((r) => r.status === 409)!.body.error.message).toContain('policy p version 3.0 already exists');
  });

  it('gives only 200/409 for 20 parallel activations, and never 500 for mixed rollback/activate/remove/delete', async () => {
    const o = t.as(owner.owner.key);
    const base = `/api/v1/domains/${owner.domainId}`;
    const activations = await Promise.all(Array.from({ length: 20 }, (_, i) => o.post(`${base}/policies/p/versions/2.${i}/activate`)));
    expect(activations.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    expect(count(activations, 200)).toBeGreaterThan(0);

    await o.post(`${base}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('q', '1.0')).expect(201);
    const mixed = await Promise.all(
      Array.from({ length: 24 }, (_, i) => {
        switch (i % 6) {
          case 0:
            return o.post(`${base}/deployments/rollback`).send({});
          case 1:
            return o.post(`${base}/policies/p/versions/2.${i % 20}/activate`);
          case 2:
            return o.delete(`${base}/policies/q`);
          case 3:
            return o.delete(`${base}/policies/p/versions/2.${(i + 7) % 20}`);
          case 4:
            return o.get(`${base}/deployments`);
          default:
            return o.post(`${base}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('q', `1.${i}`));
        }
      }),
    );
    const unexpected = mixed.filter((r) => r.status >= 500);
    expect(unexpected.map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
    for (const r of mixed.filter((x) => x.status === 409)) expect(r.body.error.message.length).toBeGreaterThan(10);
    await o.get(`${base}/deployments`).expect(200);
  });

  it('serialises publishes on the database itself: numbering stays unique, stale snapshots get a 409 saying so', async () => {
    const repos = t.platform.deps.repos;
    const d = await ownerWithDomain(t, `replica-${provider}`);
    const by = d.owner.id;
    const base = await repos.policies.publish(d.domainId, { newVersions: [{ id: randomUUID(), policyId: 'r', version: '1.0', kind: 'Policy', text: permitPolicy('r') }], activeVersionIds: [], reason: 'upload', by });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => {
        const id = randomUUID();
        return repos.policies.publish(d.domainId, { newVersions: [{ id, policyId: 'r', version: `1.${i + 1}`, kind: 'Policy', text: permitPolicy('r', `1.${i + 1}`) }], activeVersionIds: [id], reason: 'upload', by, expectedActiveDeploymentId: base!.id });
      }),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') {
        expect(r.reason).toBeInstanceOf(ApiError);
        expect((r.reason as ApiError).details).toEqual({ reason: ACTIVE_SET_CHANGED });
      }
    }
    // Without an expected snapshot (a rollback on another replica), every publish gets its own number.
    const free = await Promise.all(Array.from({ length: 20 }, () => repos.policies.publish(d.domainId, { newVersions: [], activeVersionIds: [], reason: 'rollback', by })));
    expect(new Set(free.map((x) => x!.number)).size).toBe(20);
  });
});
