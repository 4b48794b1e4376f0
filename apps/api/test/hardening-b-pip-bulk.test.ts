/**
 * Issue 14, item 3: bulk sample-PIP writes. 10,000 rows (the documented maximum) are stored
 * in multi-row upserts within 2 s on both databases, while another tenant's PDP keeps
 * answering; uploads past the cap are refused in every format, naming it, with nothing written.
 */
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { actionRequestJson, decisionOf, permitPolicy } from './support/policies';
import { PROVIDERS } from './support/test-database';
import { errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

jest.setTimeout(60_000);

const rows = (n: number, prefix = 'u') => Array.from({ length: n }, (_, i) => ({ category: 'subject', entity: `${prefix}${i}`, attribute: 'role', values: [`r${i % 7}`] }));

describe.each(PROVIDERS)('bulk PIP writes (%s)', (provider) => {
  let t: TestPlatform;
  let bulk: OwnedDomain;
  let other: OwnedDomain;

  beforeAll(async () => {
    t = await startTestPlatform(provider);
    bulk = await ownerWithDomain(t, 'bulk');
    other = await ownerWithDomain(t, 'other');
    await t.as(other.owner.key).post(`/api/v1/domains/${other.domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('o')).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it("stores 10,000 rows in under 2 s while another tenant's decisions keep answering", async () => {
    const decide = () => t.as(other.owner.key).post(`/pdp/${other.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson('read'));
    expect(decisionOf((await decide().expect(200)).text)).toBe('Permit');
    let uploading = true;
    const answeredDuring: number[] = [];
    const started = Date.now();
    const upload = t
      .as(bulk.owner.key)
      .post(`/api/v1/domains/${bulk.domainId}/pip/attributes`)
      .send({ attributes: rows(10_000) })
      .then((r) => {
        uploading = false;
        return { r, ms: Date.now() - started };
      });
    const decisions = (async () => {
      while (uploading) {
        const d = await decide();
        if (uploading && d.status === 200 && decisionOf(d.text) === 'Permit') answeredDuring.push(Date.now() - started);
      }
    })();
    const [{ r, ms }] = await Promise.all([upload, decisions]);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ upserted: 10_000 });
    expect(ms).toBeLessThan(2000);
    expect(answeredDuring.length).toBeGreaterThan(0);
    const stored = await t.as(bulk.owner.key).get(`/api/v1/domains/${bulk.domainId}/pip/attributes?entity=u9999`).expect(200);
    expect(stored.body.items).toEqual([{ category: 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject', entity: 'u9999', attribute: 'role', datatype: 'http://www.w3.org/2001/XMLSchema#string', values: ['r3'] }]);
    // Upserting again updates in place; duplicates in one upload keep the last row.
    const again = [...rows(3), { category: 'subject', entity: 'u0', attribute: 'role', values: ['last'] }];
    await t.as(bulk.owner.key).post(`/api/v1/domains/${bulk.domainId}/pip/attributes`).send({ attributes: again }).expect(200);
    const u0 = await t.as(bulk.owner.key).get(`/api/v1/domains/${bulk.domainId}/pip/attributes?entity=u0`).expect(200);
    expect(u0.body.items[0].values).toEqual(['last']);
    expect((await t.platform.deps.repos.pip.listAll(bulk.domainId)).length).toBe(10_000);
  });

  it('refuses more than 10,000 rows in JSON and in CSV, naming the cap, writing nothing', async () => {
    const fresh = await ownerWithDomain(t, `capped-${provider}`);
    const k = t.as(fresh.owner.key);
    const json = await k.post(`/api/v1/domains/${fresh.domainId}/pip/attributes`).send({ attributes: rows(10_001) });
    expect(json.status).toBe(400);
    expect(json.body.error.message).toContain('at most 10000 attributes');
    const csv = ['category,entity,attribute,datatype,value', ...Array.from({ length: 10_001 }, (_, i) => `subject,c${i},role,string,x`)].join('\n');
    const c = await k.post(`/api/v1/domains/${fresh.domainId}/pip/attributes`).set('Content-Type', 'text/csv').send(csv);
    expect(c.status).toBe(413);
    expect(errorCode(c.body)).toBe('payload-too-large');
    expect(c.body.error.message).toContain('at most 10000 rows');
    expect((await k.get(`/api/v1/domains/${fresh.domainId}/pip/attributes`).expect(200)).body.items).toEqual([]);
    // Exactly the cap is fine, also in CSV (values of one key add to its bag).
    const atCap = ['category,entity,attribute,datatype,value', ...Array.from({ length: 10_000 }, (_, i) => `subject,c${i % 5000},role,string,v${i}`)].join('\n');
    await k.post(`/api/v1/domains/${fresh.domainId}/pip/attributes`).set('Content-Type', 'text/csv').send(atCap).expect(200);
    const c1 = await k.get(`/api/v1/domains/${fresh.domainId}/pip/attributes?entity=c1`).expect(200);
    expect(c1.body.items[0].values).toEqual(['v1', 'v5001']);
  });
});
