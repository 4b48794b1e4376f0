/**
 * Two app instances on one database: a policy or configuration change made through one reaches
 * the other's PDP cache within a second. On PostgreSQL by LISTEN/NOTIFY (the poll is set to a
 * minute so only the notification can explain it); on SQLite by the change-feed poll.
 */
import { performance } from 'node:perf_hooks';
import { actionRequestJson, decisionOf, permitPolicy } from './support/policies';
import { createTestDatabase } from './support/test-database';
import type { TestDatabase } from './support/test-database';
import { createUser, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

const cases = [
  { provider: 'postgresql' as const, changePollMs: 60_000, how: 'LISTEN/NOTIFY' },
  { provider: 'sqlite' as const, changePollMs: 200, how: 'the change-feed poll' },
];

describe.each(cases)('replicas on one $provider database ($how)', ({ provider, changePollMs }) => {
  let db: TestDatabase;
  let a: TestPlatform;
  let b: TestPlatform;
  let owner: { id: string; key: string };
  let domainId: string;
  let pdpId: string;

  beforeAll(async () => {
    db = await createTestDatabase(provider);
    a = await startTestPlatform(provider, { changePollMs }, {}, db);
    b = await startTestPlatform(provider, { changePollMs }, {}, db);
    owner = await createUser(a, 'olive', ['domain-owner']);
    const p = await a.as(owner.key).post('/api/v1/projects').send({ name: 'p' }).expect(201);
    const d = await a.as(owner.key).post(`/api/v1/projects/${p.body.id}/domains`).send({ name: 'd' }).expect(201);
    domainId = d.body.id;
    pdpId = d.body.pdpId;
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  const decideOn = async (t: TestPlatform, action: string) =>
    decisionOf((await t.as(owner.key).post(`/pdp/${pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson(action)).expect(200)).text);

  /** Polls replica B until it answers `expected`; returns how long that took. */
  async function msUntil(action: string, expected: string): Promise<number> {
    const start = performance.now();
    while (performance.now() - start < 3000) {
      if ((await decideOn(b, action)) === expected) return performance.now() - start;
      await new Promise((r) => setTimeout(r, 20));
    }
    return Infinity;
  }

  it('a policy upload on A reaches B within a second', async () => {
    await a.as(owner.key).post(`/api/v1/domains/${domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('p', '1.0', 'read')).expect(201);
    // B compiles now and caches that PDP.
    expect(await decideOn(b, 'read')).toBe('Permit');
    const compiled = b.platform.deps.pdps.compileCount;
    expect(await decideOn(b, 'read')).toBe('Permit');
    expect(b.platform.deps.pdps.compileCount).toBe(compiled);

    await a.as(owner.key).post(`/api/v1/domains/${domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('p', '2.0', 'write')).expect(201);
    expect(await msUntil('write', 'Permit')).toBeLessThan(1000);
    expect(await decideOn(b, 'read')).toBe('NotApplicable');
  });

  it('a PDP configuration change on A reaches B within a second', async () => {
    expect((await b.as(owner.key).post(`/pdp/${pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson('write')).expect(200)).text).not.toContain('PolicyIdentifierList');
    await a.as(owner.key).put(`/api/v1/domains/${domainId}/pdp`).send({ returnPolicyIdList: true }).expect(200);
    const start = performance.now();
    let seen = false;
    while (!seen && performance.now() - start < 3000) {
      const r = await b.as(owner.key).post(`/pdp/${pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson('write')).expect(200);
      seen = r.text.includes('PolicyIdentifierList');
      if (!seen) await new Promise((res) => setTimeout(res, 20));
    }
    expect(seen).toBe(true);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('a rollback on B reaches A within a second', async () => {
    await b.as(owner.key).post(`/api/v1/domains/${domainId}/deployments/rollback`).send({}).expect(200);
    const start = performance.now();
    let d = await decideOn(a, 'read');
    while (d !== 'Permit' && performance.now() - start < 3000) {
      await new Promise((r) => setTimeout(r, 20));
      d = await decideOn(a, 'read');
    }
    expect(d).toBe('Permit');
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
