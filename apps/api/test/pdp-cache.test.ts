/**
 * The compiled-PDP cache keeps to its memory budget (SAFAX_PDP_CACHE_MB): least recently used
 * domains leave first, an evicted domain compiles again on its next request and decides the
 * same.
 */
import { expectedPermit, workloadRequests, workloadRules, xacmlFlat, xacmlJsonRequest } from '../../../bench/peers/src/workload';
import { entryBytes } from '../src/pdp/pdp-registry';
import { createUser, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';
import { decisionOf } from './support/policies';

jest.setTimeout(120_000);

describe('PDP cache under a memory budget', () => {
  const BUDGET = 180 * 1024;
  let t: TestPlatform;
  let key: string;
  const domains: { id: string; pdpId: string }[] = [];
  const rules = workloadRules(20);
  const requests = workloadRequests(20, 4);
  const decide = async (pdpId: string, i: number) =>
    decisionOf((await t.as(key).post(`/pdp/${pdpId}`).set('Content-Type', 'application/xacml+json').send(JSON.stringify(xacmlJsonRequest(requests[i % requests.length]!))).expect(200)).text);
  const expected = (i: number) => (expectedPermit(rules, requests[i % requests.length]!) ? 'Permit' : 'Deny');

  beforeAll(async () => {
    t = await startTestPlatform('sqlite', { pdpCacheBytes: BUDGET });
    key = (await createUser(t, 'many', ['domain-owner'])).key;
    const project = await t.as(key).post('/api/v1/projects').send({ name: 'tenants' }).expect(201);
    for (let i = 0; i < 12; i++) {
      const d = await t.as(key).post(`/api/v1/projects/${project.body.id}/domains`).send({ name: `tenant-${i}` }).expect(201);
      await t.as(key).post(`/api/v1/domains/${d.body.id}/policies`).set('Content-Type', 'application/xml').send(xacmlFlat(rules)).expect(201);
      domains.push({ id: d.body.id, pdpId: d.body.pdpId });
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('stays within its budget while every domain decides, evicting the least recently used', async () => {
    const pdps = t.platform.deps.pdps;
    for (const [i, d] of domains.entries()) expect(await decide(d.pdpId, i)).toBe(expected(i));
    const s = pdps.stats;
    expect(s.budgetBytes).toBe(BUDGET);
    expect(s.bytes).toBeLessThanOrEqual(BUDGET);
    expect(s.evictions).toBeGreaterThan(0);
    expect(s.entries).toBeLessThan(domains.length);

    // The most recent domain is cached; the first one was evicted and compiles again, deciding the same.
    const before = pdps.compileCount;
    expect(await decide(domains[domains.length - 1]!.pdpId, domains.length - 1)).toBe(expected(domains.length - 1));
    expect(pdps.compileCount).toBe(before);
    expect(await decide(domains[0]!.pdpId, 0)).toBe(expected(0));
    expect(pdps.compileCount).toBe(before + 1);
    expect(pdps.stats.bytes).toBeLessThanOrEqual(BUDGET);
  });

  it('a used domain stays while others leave (recency, not insertion order)', async () => {
    const pdps = t.platform.deps.pdps;
    const hot = domains[0]!;
    for (const [i, d] of domains.entries()) {
      await decide(d.pdpId, i);
      await decide(hot.pdpId, 0);
    }
    const before = pdps.compileCount;
    expect(await decide(hot.pdpId, 0)).toBe(expected(0));
    expect(pdps.compileCount).toBe(before);
  });

  it('estimates an entry from its compiled policies and PIP rows', () => {
    const none = entryBytes(null, []);
    const rows = entryBytes(null, [{ category: 'c', entityId: 'e', attributeId: 'a', datatype: 'd', values: ['x'.repeat(1000)] }]);
    expect(rows - none).toBeGreaterThan(2000);
  });
});
