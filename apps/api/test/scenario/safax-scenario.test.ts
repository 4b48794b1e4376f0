/**
 * The SAFAX scenario, end to end over HTTP (policies in policies/samples/): Alice deploys her
 * requirements once at SAFAX-TS; DCI and DCII ask their PDP-URLs; Bob may view photos in AD1
 * and the business plan in AD2, nothing else; she updates to AR1¯/AR2¯ and both DCs see it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDERS } from '../support/test-database';
import { createUser, startTestPlatform } from '../support/test-platform';
import type { TestPlatform } from '../support/test-platform';

const SAMPLES = join(__dirname, '..', '..', '..', '..', 'policies', 'samples');
const sample = (f: string) => ({ name: f, text: readFileSync(join(SAMPLES, f), 'utf8') });
const PERMIT_OVERRIDES = 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:permit-overrides';

/** DCI's PEP speaks XACML XML. */
function xmlRequest(subject: string, action: string, resource: string): string {
  const attr = (cat: string, id: string, v: string) =>
    `<Attributes Category="${cat}"><Attribute AttributeId="${id}" IncludeInResult="false"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">${v}</AttributeValue></Attribute></Attributes>`;
  return `<Request xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" ReturnPolicyIdList="false" CombinedDecision="false">${attr(
    'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject',
    'urn:oasis:names:tc:xacml:1.0:subject:subject-id',
    subject,
  )}${attr('urn:oasis:names:tc:xacml:3.0:attribute-category:action', 'urn:oasis:names:tc:xacml:1.0:action:action-id', action)}${attr(
    'urn:oasis:names:tc:xacml:3.0:attribute-category:resource',
    'urn:oasis:names:tc:xacml:1.0:resource:resource-id',
    resource,
  )}</Request>`;
}

/** DCII's PEP speaks the XACML JSON Profile. */
function jsonRequest(subject: string, action: string, resource: string): string {
  return JSON.stringify({
    Request: {
      AccessSubject: { Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:subject:subject-id', Value: subject }] },
      Action: { Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:action:action-id', Value: action }] },
      Resource: { Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:resource:resource-id', Value: resource }] },
    },
  });
}

describe.each(PROVIDERS)('the SAFAX scenario (%s)', (provider) => {
  let t: TestPlatform;
  let alice: { id: string; key: string };
  let dcI: { id: string; key: string };
  let dcII: { id: string; key: string };
  let ad1: { id: string; pdpId: string };
  let ad2: { id: string; pdpId: string };

  beforeAll(async () => {
    t = await startTestPlatform(provider);
    alice = await createUser(t, 'alice', ['domain-owner']);
    dcI = await createUser(t, 'dc-one', ['domains-controller']);
    dcII = await createUser(t, 'dc-two', ['domains-controller']);
  });
  afterAll(async () => {
    await t.close();
  });

  /** What DCI's PEP gets for a request on AD1 (XACML XML). */
  async function askDcI(subject: string, action: string, resource: string): Promise<string> {
    const r = await t.as(dcI.key).post(`/pdp/${ad1.pdpId}`).set('Content-Type', 'application/xacml+xml').send(xmlRequest(subject, action, resource)).expect(200);
    expect(r.headers['x-transaction-id']).toMatch(/^[0-9a-f-]{36}$/);
    const m = /<Decision>(\w+)<\/Decision>/.exec(r.text);
    return m?.[1] ?? `no decision in ${r.text}`;
  }

  /** What DCII's PEP gets for a request on AD2 (XACML JSON Profile). */
  async function askDcII(subject: string, action: string, resource: string): Promise<string> {
    const r = await t.as(dcII.key).post(`/pdp/${ad2.pdpId}`).set('Content-Type', 'application/xacml+json').send(jsonRequest(subject, action, resource)).expect(200);
    const body = JSON.parse(r.text) as { Response: { Decision: string }[] | { Decision: string } };
    const first = Array.isArray(body.Response) ? body.Response[0] : body.Response;
    return first?.Decision ?? 'none';
  }

  it('Alice sets up her project, AD1 at DCI and AD2 at DCII, and authorises each DC', async () => {
    const project = await t.as(alice.key).post('/api/v1/projects').send({ name: 'alice-data' }).expect(201);
    const d1 = await t.as(alice.key).post(`/api/v1/projects/${project.body.id}/domains`).send({ name: 'AD1', description: 'photos at DCI' }).expect(201);
    const d2 = await t.as(alice.key).post(`/api/v1/projects/${project.body.id}/domains`).send({ name: 'AD2', description: 'business documents at DCII' }).expect(201);
    ad1 = { id: d1.body.id, pdpId: d1.body.pdpId };
    ad2 = { id: d2.body.id, pdpId: d2.body.pdpId };
    expect(d1.body.pdpUrl).toBe(`http://safax.test/pdp/${ad1.pdpId}`);
    await t.as(alice.key).put(`/api/v1/domains/${ad1.id}/controllers/dc-one`).expect(200);
    await t.as(alice.key).put(`/api/v1/domains/${ad2.id}/controllers/dc-two`).expect(200);
    for (const d of [ad1, ad2]) {
      await t.as(alice.key).put(`/api/v1/domains/${d.id}/pdp`).send({ rootCombiningAlgorithm: PERMIT_OVERRIDES }).expect(200);
    }
  });

  it('her sample PIP says what the DCs do not send: the type of each resource', async () => {
    await t
      .as(alice.key)
      .post(`/api/v1/domains/${ad1.id}/pip/attributes`)
      .set('Content-Type', 'text/csv')
      .send('category,entity,attribute,datatype,value\nresource,photo-17,urn:safax:sample:resource:type,string,photo\nresource,business-plan-2026,urn:safax:sample:resource:type,string,business-plan\n')
      .expect(200, { upserted: 2 });
    await t
      .as(alice.key)
      .post(`/api/v1/domains/${ad2.id}/pip/attributes`)
      .send({
        attributes: [
          { category: 'resource', entity: 'business-plan-2026', attribute: 'urn:safax:sample:resource:type', values: ['business-plan'] },
          { category: 'resource', entity: 'photo-17', attribute: 'urn:safax:sample:resource:type', values: ['photo'] },
        ],
      })
      .expect(200, { upserted: 2 });
  });

  it('she deploys AR1 + AR4 in AD1 and AR2 + AR4 in AD2', async () => {
    const r1 = await t.as(alice.key).post(`/api/v1/domains/${ad1.id}/policies`).send({ policies: [sample('ar1-bob-views-photos.xml'), sample('ar4-deny-everything-else.xml')] }).expect(201);
    expect(r1.body.deployment.policies).toEqual([
      { policyId: 'urn:safax:sample:alice:AR1', version: '1.0' },
      { policyId: 'urn:safax:sample:alice:AR4', version: '1.0' },
    ]);
    await t.as(alice.key).post(`/api/v1/domains/${ad2.id}/policies`).send({ policies: [sample('ar2-bob-views-business-plan.xml'), sample('ar4-deny-everything-else.xml')] }).expect(201);
  });

  it('Bob may view photos in AD1 and the business plan in AD2; everything else is denied', async () => {
    expect(await askDcI('bob', 'view', 'photo-17')).toBe('Permit');
    expect(await askDcII('bob', 'view', 'business-plan-2026')).toBe('Permit');
    expect(await askDcI('bob', 'modify', 'photo-17')).toBe('Deny');
    expect(await askDcI('bob', 'view', 'business-plan-2026')).toBe('Deny');
    expect(await askDcII('bob', 'modify', 'business-plan-2026')).toBe('Deny');
    expect(await askDcII('bob', 'view', 'photo-17')).toBe('Deny');
    expect(await askDcI('charlie', 'view', 'photo-17')).toBe('Deny');
    expect(await askDcII('charlie', 'view', 'business-plan-2026')).toBe('Deny');
  });

  it('a DC asks only the PDPs it was given: DCII cannot use AD1, nobody anonymous', async () => {
    await t.as(dcII.key).post(`/pdp/${ad1.pdpId}`).set('Content-Type', 'application/xacml+xml').send(xmlRequest('bob', 'view', 'photo-17')).expect(404);
    await t.as(null).post(`/pdp/${ad1.pdpId}`).set('Content-Type', 'application/xacml+xml').send(xmlRequest('bob', 'view', 'photo-17')).expect(401);
  });

  // AR3 (a Mayo Clinic neurologist may view Alice's health records, decided with the credential
  // trust service) is played with the trust services running, in trust-services-scenario.test.ts.

  it('she updates to AR1¯ and AR2¯ at SAFAX-TS; both DCs see view and modify through their PDP-URLs', async () => {
    await t.as(alice.key).post(`/api/v1/domains/${ad1.id}/policies`).send({ policies: [sample('ar1-bar-bob-views-and-modifies-photos.xml')] }).expect(201);
    await t.as(alice.key).post(`/api/v1/domains/${ad2.id}/policies`).send({ policies: [sample('ar2-bar-bob-views-and-modifies-business-plan.xml')] }).expect(201);
    expect(await askDcI('bob', 'view', 'photo-17')).toBe('Permit');
    expect(await askDcI('bob', 'modify', 'photo-17')).toBe('Permit');
    expect(await askDcII('bob', 'view', 'business-plan-2026')).toBe('Permit');
    expect(await askDcII('bob', 'modify', 'business-plan-2026')).toBe('Permit');
    expect(await askDcI('bob', 'delete', 'photo-17')).toBe('Deny');
    expect(await askDcI('bob', 'modify', 'business-plan-2026')).toBe('Deny');
    const list = await t.as(alice.key).get(`/api/v1/domains/${ad1.id}/policies`).expect(200);
    expect(list.body.items.find((p: { policyId: string }) => p.policyId === 'urn:safax:sample:alice:AR1')).toMatchObject({ activeVersion: '2.0', versions: [{ version: '1.0' }, { version: '2.0' }] });
  });

  it('the DCs can also speak AuthZEN 1.0', async () => {
    const r = await t
      .as(dcI.key)
      .post(`/pdp/${ad1.pdpId}/access/v1/evaluation`)
      .send({ subject: { type: 'user', id: 'bob' }, action: { name: 'modify' }, resource: { type: 'file', id: 'photo-17' } })
      .expect(200);
    expect(r.body).toMatchObject({ decision: true, context: { xacml_decision: 'Permit' } });
  });

  it('Alice reads who asked what in her decision log', async () => {
    const r = await t.as(alice.key).get(`/api/v1/domains/${ad1.id}/decisions?limit=100`).expect(200);
    const decisions = r.body.items.map((i: { decision: string }) => i.decision);
    expect(decisions).toContain('Permit');
    expect(decisions).toContain('Deny');
    expect(r.body.items.every((i: { callerId: string }) => i.callerId === dcI.id)).toBe(true);
    const permit = r.body.items.find((i: { decision: string; format: string }) => i.decision === 'Permit' && i.format === 'xacml-xml');
    expect(permit.policies).toEqual(expect.arrayContaining(['urn:safax:sample:alice:AR1 v2.0']));
  });

  it('she rolls AD1 back to AR1: modify is denied again, view still permitted', async () => {
    await t.as(alice.key).post(`/api/v1/domains/${ad1.id}/policies/urn:safax:sample:alice:AR1/versions/1.0/activate`).expect(200);
    expect(await askDcI('bob', 'modify', 'photo-17')).toBe('Deny');
    expect(await askDcI('bob', 'view', 'photo-17')).toBe('Permit');
    await t.as(alice.key).post(`/api/v1/domains/${ad1.id}/deployments/rollback`).send({}).expect(200);
    expect(await askDcI('bob', 'modify', 'photo-17')).toBe('Permit');
  });
});
