/**
 * A domains controller's Context Handler, over real HTTP: the controller registers a handler
 * service (a tiny server on 127.0.0.1) and names it for a domain; during a decision through the
 * PDP-URL the PDP asks it for the attribute the request lacks (the SAFAX Context Handler
 * protocol of @safax/udf-client), and decides with the answer. A failing handler makes the
 * decision Indeterminate with a status naming it; the process stays healthy.
 */
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { PROVIDERS } from './support/test-database';
import { createUser, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';
import { PROCESSING_ERROR, ROLE, ask, startStub } from './scenario/trust-helpers';
import type { Stub } from './scenario/trust-helpers';

const STR = 'http://www.w3.org/2001/XMLSchema#string';
const SUBJECT = 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject';

/**
 * Neurologists may view, suspended staff never; the DC's requests carry only the subject id,
 * never the role. Both rules read the role, which the handler supplies once per transaction.
 */
const policy = `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="neurologists-view" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides">
  <Target/>
  <Rule RuleId="neurologist" Effect="Permit">
    <Condition><Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:string-is-in">
      <AttributeValue DataType="${STR}">neurologist</AttributeValue>
      <AttributeDesignator Category="${SUBJECT}" AttributeId="${ROLE}" DataType="${STR}" MustBePresent="true"/>
    </Apply></Condition>
  </Rule>
  <Rule RuleId="suspended" Effect="Deny">
    <Condition><Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:string-is-in">
      <AttributeValue DataType="${STR}">suspended</AttributeValue>
      <AttributeDesignator Category="${SUBJECT}" AttributeId="${ROLE}" DataType="${STR}" MustBePresent="true"/>
    </Apply></Condition>
  </Rule>
</Policy>`;

interface HandlerQuery {
  category: string;
  attributeId: string;
  datatype: string;
  subjectId: string[];
  resourceId: string[];
  actionId: string[];
}

describe.each(PROVIDERS)('Context Handler during a real decision (%s)', (provider) => {
  let t: TestPlatform;
  let handler: Stub;
  let failing: Stub;
  let o: OwnedDomain;
  let dc: { id: string; key: string };
  const roles: Record<string, string[]> = { charlie: ['neurologist', 'physician'], nina: ['nurse'] };

  beforeAll(async () => {
    handler = await startStub((_req, res, body) => {
      const q = JSON.parse(body) as HandlerQuery;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ values: q.attributeId === ROLE ? (roles[q.subjectId[0] ?? ''] ?? []) : [] }));
    });
    failing = await startStub((_req, res) => {
      res.writeHead(503);
      res.end('down');
    });
    t = await startTestPlatform(provider);
    o = await ownerWithDomain(t, 'alice');
    dc = await createUser(t, 'dc-two', ['domains-controller']);
    await t.as(o.owner.key).put(`/api/v1/domains/${o.domainId}/controllers/dc-two`).expect(200);
    await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).set('Content-Type', 'application/xml').send(policy).expect(201);
  });
  afterAll(async () => {
    await t.close();
    await handler.close();
    await failing.close();
  });

  it('without a handler the attribute is missing: Indeterminate (MustBePresent)', async () => {
    const a = await ask(t, dc.key, o.pdpId, { subject: 'charlie', action: 'view' });
    expect(a.decision).toBe('Indeterminate');
    expect(handler.requests).toHaveLength(0);
  });

  it('the controller registers its handler; the PDP asks it for the role and decides', async () => {
    const svc = { id: 'dc-two-ch', provider: { id: 'dc-two' }, endpoint: `${handler.url}/attributes`, method: 'POST', type: 'context-handler', requestFormat: 'json', responseFormat: 'json', timeoutMs: 1000 };
    await t.as(dc.key).post('/api/v1/services').send(svc).expect(201);
    await t.as(dc.key).put(`/api/v1/domains/${o.domainId}/context-handler`).send({ serviceId: 'dc-two-ch' }).expect(200);
    expect((await ask(t, dc.key, o.pdpId, { subject: 'charlie', action: 'view', resource: 'record-1' })).decision).toBe('Permit');
    expect((await ask(t, dc.key, o.pdpId, { subject: 'nina', action: 'view' })).decision).toBe('NotApplicable');
    // Two rules read the role: one question per transaction, not per designator.
    expect(handler.requests).toHaveLength(2);
    const asked = handler.requests.map((r) => ({ method: r.method, url: r.url, query: JSON.parse(r.body) as HandlerQuery }));
    expect(asked[0]).toEqual({
      method: 'POST',
      url: '/attributes',
      query: { category: SUBJECT, attributeId: ROLE, datatype: STR, subjectId: ['charlie'], resourceId: ['record-1'], actionId: ['view'] },
    });
  });

  it('a handler that fails: Indeterminate naming the handler; the PDP and the process stay healthy', async () => {
    const svc = { id: 'dc-two-ch', provider: { id: 'dc-two' }, endpoint: `${failing.url}/attributes`, method: 'POST', type: 'context-handler', requestFormat: 'json', responseFormat: 'json', timeoutMs: 1000 };
    await t.as(dc.key).put('/api/v1/services/dc-two-ch').send(svc).expect(200);
    const a = await ask(t, dc.key, o.pdpId, { subject: 'charlie', action: 'view' });
    expect(a.decision).toBe('Indeterminate');
    expect(a.statusCode).toBe(PROCESSING_ERROR);
    expect(a.statusMessage).toMatch(/context handler dc-two-ch: /);
    await t.http().get('/healthz').expect(200);
  });
});
