/**
 * Issue 14, item 4 (projects): a guest's project quota holds under 20 parallel creations on
 * PostgreSQL and SQLite — the owner's projects are counted under its lock inside the insert's
 * transaction, as for domains. Raced through HTTP and, below the service's early check, on the
 * repository directly (as replicas would race it).
 */
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { ApiError } from '../src/errors/api-error';
import { guestQuotaLimit } from '../src/services/guests/guest-quotas';
import { PROVIDERS } from './support/test-database';
import { startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

const statuses = (rs: readonly Response[]) => rs.map((r) => r.status).sort((a, b) => a - b);

describe.each(PROVIDERS)('guest project quota under parallel creations (%s)', (provider) => {
  let t: TestPlatform;

  beforeAll(async () => {
    t = await startTestPlatform(provider);
  });
  afterAll(async () => {
    await t.close();
  });

  const newGuest = async () => {
    const g = (await t.http().post('/api/v1/guest').send({}).expect(201)).body as { apiKey: string; principal: { id: string }; project: { id: string } };
    // Its ready-made project uses the quota (1): free it, so the race is for the one place.
    await t.as(g.apiKey).delete(`/api/v1/projects/${g.project.id}`).expect(204);
    return g;
  };

  it('20 parallel POST /projects of one guest: one 201, nineteen 403 quota-exceeded, one project held', async () => {
    const g = await newGuest();
    const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => t.as(g.apiKey).post('/api/v1/projects').send({ name: `race-${i}` })));
    expect(statuses(rs)).toEqual([201, ...Array(19).fill(403)]);
    for (const r of rs.filter((x) => x.status === 403)) expect(r.body.error).toMatchObject({ code: 'quota-exceeded', message: expect.stringContaining('at most 1 project(s)') });
    const listed = await t.as(g.apiKey).get('/api/v1/projects').expect(200);
    expect(listed.body.items).toHaveLength(1);
    expect((await t.platform.deps.repos.guests.usage(g.principal.id)).projects).toBe(1);
  });

  it('20 parallel repository inserts with the quota (no early check): exactly one stored', async () => {
    const g = await newGuest();
    const quota = await guestQuotaLimit(t.platform.deps, g.principal.id, 'projects');
    expect(quota).toBeDefined();
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => t.platform.deps.repos.projects.create({ id: randomUUID(), name: `direct-${i}`, description: '', ownerId: g.principal.id }, quota)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toEqual(expect.objectContaining({ code: 'quota-exceeded' }));
    expect(outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason instanceof ApiError)).toBe(true);
    expect((await t.platform.deps.repos.guests.usage(g.principal.id)).projects).toBe(1);
    // Owners without a quota are not held up by it.
    const admin = (await t.as(t.adminKey).get('/api/v1/me').expect(200)).body.id as string;
    const free = await Promise.all(Array.from({ length: 5 }, (_, i) => t.platform.deps.repos.projects.create({ id: randomUUID(), name: `free-${i}`, description: '', ownerId: admin })));
    expect(free).toHaveLength(5);
  });
});
