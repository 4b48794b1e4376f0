/**
 * Policy size limits apart from request limits: a 10,000-rule policy (~13 MB) uploads with the
 * defaults and decides; SAFAX_POLICY_LIMIT_BYTES bounds policy upload bodies (XML and JSON
 * batches) while every other body keeps SAFAX_BODY_LIMIT_BYTES; the engine's element limit
 * follows SAFAX_POLICY_MAX_ELEMENTS; a caller the PEP refuses is refused before its body is read.
 */
import { workloadRequests, workloadRules, xacmlFlat, xacmlJsonRequest, expectedPermit } from '../../../bench/peers/src/workload';
import { configFromEnv } from '../src/config/app-config';
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { decisionOf } from './support/policies';
import { errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

// Uploading and compiling 13 MB twice (the PAP's check, then the PDP) is not a 5-second job on a shared CI machine.
jest.setTimeout(180_000);

describe('policy limits', () => {
  it('default to admitting a 10,000-rule policy, apart from the 2 MiB body limit', () => {
    const c = configFromEnv({});
    expect(c.policyLimitBytes).toBeGreaterThanOrEqual(14 * 1024 * 1024);
    expect(c.bodyLimitBytes).toBe(2 * 1024 * 1024);
    expect(configFromEnv({ SAFAX_POLICY_LIMIT_BYTES: '1048576' }).policyLimitBytes).toBe(1048576);
    expect(() => configFromEnv({ SAFAX_POLICY_LIMIT_BYTES: 'lots' })).toThrow(/SAFAX_POLICY_LIMIT_BYTES/);
  });

  describe('a 10,000-rule policy through the API (defaults)', () => {
    let t: TestPlatform;
    let o: OwnedDomain;
    beforeAll(async () => {
      t = await startTestPlatform('sqlite');
      o = await ownerWithDomain(t, 'big');
    });
    afterAll(async () => {
      await t.close();
    });

    it('uploads, compiles, and decides like the rules say', async () => {
      const rules = workloadRules(10_000);
      const text = xacmlFlat(rules);
      expect(text.length).toBeGreaterThan(13_000_000);
      const up = await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).set('Content-Type', 'application/xacml+xml').send(text);
      expect(up.status).toBe(201);
      expect(up.body.uploaded).toEqual([{ policyId: 'tenant', version: '1.0', kind: 'Policy' }]);
      for (const r of workloadRequests(10_000, 20)) {
        const res = await t.as(o.owner.key).post(`/pdp/${o.pdpId}`).set('Content-Type', 'application/xacml+json').send(JSON.stringify(xacmlJsonRequest(r))).expect(200);
        expect([r, decisionOf(res.text)]).toEqual([r, expectedPermit(rules, r) ? 'Permit' : 'Deny']);
      }
    });
  });

  describe('configured small', () => {
    let t: TestPlatform;
    let o: OwnedDomain;
    const rules = (n: number) => xacmlFlat(workloadRules(n));
    beforeAll(async () => {
      t = await startTestPlatform('sqlite', { bodyLimitBytes: 16 * 1024, policyLimitBytes: 256 * 1024, policyMaxElements: 2000 });
      o = await ownerWithDomain(t, 'small');
    });
    afterAll(async () => {
      await t.close();
    });

    it('takes a policy above the body limit but within the policy limit, as XML and as a JSON batch', async () => {
      const text = rules(100);
      expect(text.length).toBeGreaterThan(100 * 1024);
      await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).set('Content-Type', 'application/xml').send(text).expect(201);
      await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies/validate`).send({ policies: [{ text: text.replace('Version="1.0"', 'Version="2.0"') }] }).expect(200);
    });

    it('refuses a policy above the policy limit with 413, and other bodies above the body limit', async () => {
      const big = rules(200);
      expect(big.length).toBeGreaterThan(256 * 1024);
      const xml = await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).set('Content-Type', 'application/xml').send(big);
      expect([xml.status, errorCode(xml.body)]).toEqual([413, 'payload-too-large']);
      const batch = await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).send({ policies: [{ text: big }] });
      expect([batch.status, errorCode(batch.body)]).toEqual([413, 'payload-too-large']);
      const other = await t.as(o.owner.key).post('/api/v1/projects').send({ name: 'x', description: 'y'.repeat(20 * 1024) });
      expect([other.status, errorCode(other.body)]).toEqual([413, 'payload-too-large']);
      const versions = await t.as(o.owner.key).get(`/api/v1/domains/${o.domainId}/policies`).expect(200);
      expect(versions.body.items).toHaveLength(1);
    });

    it("applies SAFAX_POLICY_MAX_ELEMENTS as the engine's element limit", async () => {
      const text = rules(180).replace('PolicyId="tenant"', 'PolicyId="many"');
      expect(text.length).toBeLessThan(256 * 1024);
      const r = await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).set('Content-Type', 'application/xml').send(text);
      expect([r.status, errorCode(r.body), r.body.error.message]).toEqual([400, 'invalid-policy', expect.stringMatching(/more than 2000 elements/)]);
    });

    it('refuses an anonymous upload before reading its body', async () => {
      const r = await t.as(null).post(`/api/v1/domains/${o.domainId}/policies`).set('Content-Type', 'application/xml').send(rules(200));
      expect([r.status, errorCode(r.body)]).toEqual([401, 'unauthenticated']);
    });
  });
});
