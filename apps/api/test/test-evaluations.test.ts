/**
 * What the GUI needs from the API beyond the wire PDP: the real evaluation trace in the
 * decision log, the owner's test evaluations as one of the domain's controllers, validation
 * without storing, and principals listed with their names.
 */
import { z } from 'zod';
import { loadOpenApi } from '../src/app';
import { testEvaluationBody } from '../src/routes/decision-log-routes';
import { createGuestBody } from '../src/routes/guest-routes';
import { uploadPoliciesBody } from '../src/routes/policy-routes';
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { actionRequestJson, decisionOf, permitPolicy, policyWithUnknownFunction } from './support/policies';
import { PROVIDERS } from './support/test-database';
import { createUser, errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

/** Permit "view", deny everything else: two rules, so the trace tells which one decided. */
const VIEW_OR_DENY = `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="photos" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:1.0:rule-combining-algorithm:first-applicable">
  <Target/>
  <Rule RuleId="view-photos" Effect="Permit">
    <Target><AnyOf><AllOf><Match MatchId="urn:oasis:names:tc:xacml:1.0:function:string-equal">
      <AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">view</AttributeValue>
      <AttributeDesignator Category="urn:oasis:names:tc:xacml:3.0:attribute-category:action" AttributeId="urn:oasis:names:tc:xacml:1.0:action:action-id" DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/>
    </Match></AllOf></AnyOf></Target>
  </Rule>
  <Rule RuleId="deny-everything-else" Effect="Deny"/>
</Policy>`;

const XML_REQUEST = `<Request xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" ReturnPolicyIdList="false" CombinedDecision="false">
  <Attributes Category="urn:oasis:names:tc:xacml:3.0:attribute-category:action">
    <Attribute AttributeId="urn:oasis:names:tc:xacml:1.0:action:action-id" IncludeInResult="false"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">view</AttributeValue></Attribute>
  </Attributes>
</Request>`;

const AUTHZEN = JSON.stringify({ subject: { type: 'user', id: 'bob' }, action: { name: 'delete' }, resource: { type: 'photo', id: 'p1' } });

describe.each(PROVIDERS)('traces, test evaluations, validation and names (%s)', (provider) => {
  let t: TestPlatform;
  let alice: OwnedDomain;
  let dc: { id: string; key: string };
  let carol: { id: string; key: string };
  const dom = () => `/api/v1/domains/${alice.domainId}`;
  const count = async () => (await t.as(alice.owner.key).get(`${dom()}/decisions`).expect(200)).body.items.length as number;

  beforeAll(async () => {
    t = await startTestPlatform(provider);
    alice = await ownerWithDomain(t, 'alice');
    dc = await createUser(t, 'dc-one', ['domains-controller']);
    carol = await createUser(t, 'carol', ['domain-owner']);
    await t.as(alice.owner.key).post(`${dom()}/policies`).set('Content-Type', 'application/xml').send(VIEW_OR_DENY).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists controllers and collaborators with their names', async () => {
    const d = await t.as(alice.owner.key).put(`${dom()}/controllers/dc-one`).expect(200);
    expect(d.body.controllers).toEqual([{ id: dc.id, name: 'dc-one' }]);
    expect((await t.as(alice.owner.key).get(dom()).expect(200)).body.controllers).toEqual([{ id: dc.id, name: 'dc-one' }]);
    const p = await t.as(alice.owner.key).put(`/api/v1/projects/${alice.projectId}/collaborators/${carol.id}`).expect(200);
    expect(p.body.collaborators).toEqual([{ id: carol.id, name: 'carol' }]);
    const listed = await t.as(alice.owner.key).get(`/api/v1/projects/${alice.projectId}/domains`).expect(200);
    expect(listed.body.items[0].controllers).toEqual([{ id: dc.id, name: 'dc-one' }]);
  });

  it('keeps no trace at log detail "decision" (decisions stay fast), and the real trace at "full"', async () => {
    const r1 = await t.as(dc.key).post(`/pdp/${alice.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson('view')).expect(200);
    const e1 = await t.as(alice.owner.key).get(`${dom()}/decisions/${r1.headers['x-transaction-id'] as string}`).expect(200);
    expect(e1.body.trace).toBeUndefined();
    await t.as(alice.owner.key).put(`${dom()}/pdp`).send({ logDetail: 'full' }).expect(200);
    const r2 = await t.as(dc.key).post(`/pdp/${alice.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson('delete')).expect(200);
    expect(decisionOf(r2.text)).toBe('Deny');
    const e2 = await t.as(alice.owner.key).get(`${dom()}/decisions/${r2.headers['x-transaction-id'] as string}`).expect(200);
    expect(e2.body.callerId).toBe(dc.id);
    expect(e2.body.testedBy).toBeUndefined();
    // first-applicable: view-photos does not apply, deny-everything-else decides.
    expect(e2.body.trace).toEqual([
      { kind: 'rule', id: 'view-photos', policyId: 'photos', decision: 'NotApplicable' },
      { kind: 'rule', id: 'deny-everything-else', policyId: 'photos', decision: 'Deny' },
      { kind: 'policy', id: 'photos', version: '1.0', decision: 'Deny' },
    ]);
    await t.as(alice.owner.key).put(`${dom()}/pdp`).send({ logDetail: 'decision' }).expect(200);
  });

  it('evaluates as an authorised controller: its identity in the log, traced and logged in full whatever the log detail', async () => {
    const r = await t.as(alice.owner.key).post(`${dom()}/test-evaluations`).send({ asController: 'dc-one', format: 'xacml-json', body: actionRequestJson('view', 'bob') }).expect(200);
    expect(r.body).toMatchObject({ format: 'xacml-json', callerId: dc.id, testedBy: alice.owner.id, decision: 'Permit', contentType: 'application/xacml+json', policies: ['photos v1.0'] });
    expect(r.headers['x-transaction-id']).toBe(r.body.txId);
    expect(decisionOf(r.body.response as string)).toBe('Permit');
    expect(r.body.trace).toContainEqual({ kind: 'rule', id: 'view-photos', policyId: 'photos', decision: 'Permit' });
    const e = await t.as(alice.owner.key).get(`${dom()}/decisions/${r.body.txId as string}`).expect(200);
    expect(e.body).toMatchObject({ callerId: dc.id, testedBy: alice.owner.id, decision: 'Permit', format: 'xacml-json', request: actionRequestJson('view', 'bob') });
    expect(e.body.trace).toEqual(r.body.trace);
    const byDc = await t.as(alice.owner.key).get(`${dom()}/decisions?caller=${dc.id}`).expect(200);
    expect(byDc.body.items.map((i: { txId: string }) => i.txId)).toContain(r.body.txId);
  });

  it('speaks XACML XML and AuthZEN, and defaults to the owner as caller', async () => {
    const x = await t.as(alice.owner.key).post(`${dom()}/test-evaluations`).send({ format: 'xacml-xml', body: XML_REQUEST }).expect(200);
    expect(x.body).toMatchObject({ decision: 'Permit', callerId: alice.owner.id, contentType: 'application/xacml+xml' });
    expect(x.body.response).toContain('<Decision>Permit</Decision>');
    const a = await t.as(alice.owner.key).post(`${dom()}/test-evaluations`).send({ asController: dc.id, format: 'authzen', body: AUTHZEN }).expect(200);
    expect(a.body.decision).toBe('Deny');
    expect(JSON.parse(a.body.response as string)).toMatchObject({ decision: false, context: { xacml_decision: 'Deny' } });
    expect(a.body.trace).toContainEqual({ kind: 'rule', id: 'deny-everything-else', policyId: 'photos', decision: 'Deny' });
  });

  it('refuses bad input, non-controllers and everyone but the owner, and logs nothing then', async () => {
    const before = await count();
    const cases: [unknown, number, string][] = [
      [{ asController: 'carol', format: 'xacml-json', body: actionRequestJson('view') }, 400, 'bad-request'],
      [{ asController: 'nobody-at-all', format: 'xacml-json', body: actionRequestJson('view') }, 400, 'bad-request'],
      [{ format: 'xacml-json', body: '{"Request": 1}' }, 400, 'invalid-xacml-request'],
      [{ format: 'xacml-xml', body: '<Request' }, 400, 'invalid-xacml-request'],
      [{ format: 'authzen', body: '{not json' }, 400, 'malformed-body'],
      [{ format: 'authzen', body: '{"subject":{}}' }, 400, 'bad-request'],
      [{ format: 'cedar', body: 'x' }, 400, 'bad-request'],
      [{ format: 'xacml-json', body: actionRequestJson('view'), extra: 1 }, 400, 'bad-request'],
    ];
    for (const [body, status, code] of cases) {
      const r = await t.as(alice.owner.key).post(`${dom()}/test-evaluations`).send(body as object);
      expect([JSON.stringify(body), r.status, errorCode(r.body)]).toEqual([JSON.stringify(body), status, code]);
    }
    const valid = { format: 'xacml-json', body: actionRequestJson('view') };
    await t.as(carol.key).post(`${dom()}/test-evaluations`).send(valid).expect(403); // a collaborator
    await t.as(dc.key).post(`${dom()}/test-evaluations`).send(valid).expect(403); // the controller itself
    await t.as(null).post(`${dom()}/test-evaluations`).send(valid).expect(401);
    await t.as(alice.owner.key).post('/api/v1/domains/no-such-domain/test-evaluations').send(valid).expect(404);
    expect(await count()).toBe(before);
  });

  it('validates without storing: ok, or the issues with their line; the same checks as an upload', async () => {
    const list = async () => (await t.as(alice.owner.key).get(`${dom()}/policies`).expect(200)).body.items.map((p: { policyId: string; activeVersion: string }) => `${p.policyId}@${p.activeVersion}`);
    const deployments = async () => (await t.as(alice.owner.key).get(`${dom()}/deployments`).expect(200)).body.items.length as number;
    const before = { list: await list(), deployments: await deployments() };
    const ok = await t.as(alice.owner.key).post(`${dom()}/policies/validate`).send({ policies: [{ text: permitPolicy('new-one') }] }).expect(200);
    expect(ok.body).toEqual({ ok: true, documents: [{ policyId: 'new-one', version: '1.0', kind: 'Policy' }], warnings: [] });
    const bad = await t.as(alice.owner.key).post(`${dom()}/policies/validate`).set('Content-Type', 'application/xml').send(policyWithUnknownFunction('broken')).expect(200);
    expect(bad.body.ok).toBe(false);
    expect(bad.body.error.code).toBe('invalid-policy');
    expect(bad.body.issues[0]).toMatchObject({ code: 'unknown-function', line: 4 });
    expect(bad.body.issues[0].message).toContain('urn:example:no-such-function');
    // The upload answers exactly that.
    const up = await t.as(alice.owner.key).post(`${dom()}/policies`).set('Content-Type', 'application/xml').send(policyWithUnknownFunction('broken')).expect(400);
    expect(up.body.error.details[0]).toMatchObject({ code: 'unknown-function', line: 4 });
    const exists = await t.as(alice.owner.key).post(`${dom()}/policies/validate`).send({ policies: [{ text: VIEW_OR_DENY }] }).expect(200);
    expect(exists.body).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const malformed = await t.as(alice.owner.key).post(`${dom()}/policies/validate`).send({ policies: [{ text: '<Policy', name: 'typo.xml' }] }).expect(200);
    expect(malformed.body.issues[0]).toMatchObject({ document: 'typo.xml' });
    expect({ list: await list(), deployments: await deployments() }).toEqual(before);
    // Bad calls are errors, not reports.
    expect(errorCode((await t.as(alice.owner.key).post(`${dom()}/policies/validate`).send({ policies: [] }).expect(400)).body)).toBe('bad-request');
    await t.as(alice.owner.key).post(`${dom()}/policies/validate`).set('Content-Type', 'text/plain').send('x').expect(415);
    await t.as(dc.key).post(`${dom()}/policies/validate`).send({ policies: [{ text: permitPolicy('x') }] }).expect(403);
  });
});

describe('openapi.yaml for these routes', () => {
  type Json = Record<string, unknown>;
  const { spec } = loadOpenApi();
  const schemas = (spec.components as Json).schemas as Json;
  const props = (s: Json) => Object.keys((s.properties as Json) ?? {}).sort();
  const zodProps = (s: z.ZodType) => Object.keys((z.toJSONSchema(s, { io: 'input' }) as Json).properties as Json).sort();
  const body = (path: string) => ((((((spec.paths as Json)[path] as Json).post as Json).requestBody as Json).content as Json)['application/json'] as Json).schema as Json;
  const resolve = (n: Json) => (typeof n.$ref === 'string' ? (schemas[n.$ref.split('/').pop() ?? ''] as Json) : n);

  it('documents the request bodies exactly as the routes validate them', () => {
    expect(props(resolve(body('/api/v1/domains/{domainId}/test-evaluations')))).toEqual(zodProps(testEvaluationBody));
    expect((resolve(body('/api/v1/domains/{domainId}/test-evaluations')).required as string[]).sort()).toEqual(['body', 'format']);
    expect(props(resolve(body('/api/v1/guest')))).toEqual(zodProps(createGuestBody));
    expect(props(resolve(body('/api/v1/domains/{domainId}/policies/validate')))).toEqual(zodProps(uploadPoliciesBody));
  });

  it('documents the guest route as anonymous, and the new log fields', () => {
    expect((((spec.paths as Json)['/api/v1/guest'] as Json).post as Json).security).toEqual([]);
    expect(props(schemas.DecisionLogEntry as Json)).toEqual(expect.arrayContaining(['trace', 'testedBy']));
    expect(props(schemas.PrincipalRef as Json)).toEqual(['id', 'name']);
  });
});
