/**
 * The sample PIP served through the engine's attribute resolver, and the Context Handler seam:
 * a domains controller's registered handler is asked (through the ContextHandlerClient port)
 * for what neither the request nor the PIP has.
 */
import type { ServiceDescriptor } from '@safax/contracts';
import type { AttributeQuery } from '@safax/xacml';
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { decisionOf } from './support/policies';
import { PROVIDERS } from './support/test-database';
import { createUser, errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

const CLINIC = 'urn:example:clinic';
const ROLE = 'urn:example:role';

/** Permits when the subject's role (from the PIP) is doctor and its clinic (from the Context Handler) is mayo. */
const policy = `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="pip-policy" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-unless-permit">
  <Target/>
  <Rule RuleId="doctor-at-mayo" Effect="Permit">
    <Condition><Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:and">
      <Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:string-is-in">
        <AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">doctor</AttributeValue>
        <AttributeDesignator Category="urn:oasis:names:tc:xacml:1.0:subject-category:access-subject" AttributeId="${ROLE}" DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/>
      </Apply>
      <Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:string-is-in">
        <AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">mayo</AttributeValue>
        <AttributeDesignator Category="urn:oasis:names:tc:xacml:1.0:subject-category:access-subject" AttributeId="${CLINIC}" DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/>
      </Apply>
    </Apply></Condition>
  </Rule>
</Policy>`;

const subjectRequest = (subject: string) =>
  JSON.stringify({ Request: { AccessSubject: { Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:subject:subject-id', Value: subject }] } } });

describe.each(PROVIDERS)('sample PIP and Context Handler (%s)', (provider) => {
  let t: TestPlatform;
  let o: OwnedDomain;
  let dc: { id: string; key: string };
  const asked: { handler: string; query: AttributeQuery; subject: readonly string[] }[] = [];

  beforeAll(async () => {
    t = await startTestPlatform(provider, {}, {
      contextHandlerClient: {
        resolve: async (handler: ServiceDescriptor, query, request) => {
          const subject = request.values('urn:oasis:names:tc:xacml:1.0:subject-category:access-subject', 'urn:oasis:names:tc:xacml:1.0:subject:subject-id');
          asked.push({ handler: handler.id, query, subject });
          return query.attributeId === CLINIC && subject.includes('alice') ? ['mayo'] : [];
        },
      },
    });
    o = await ownerWithDomain(t, 'owner');
    dc = await createUser(t, 'dc', ['domains-controller']);
    await t.as(o.owner.key).put(`/api/v1/domains/${o.domainId}/controllers/dc`).expect(200);
    await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).set('Content-Type', 'application/xml').send(policy).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  const ask = async (key: string, subject: string) => decisionOf((await t.as(key).post(`/pdp/${o.pdpId}`).set('Content-Type', 'application/xacml+json').send(subjectRequest(subject)).expect(200)).text);

  it('edits PIP attributes with JSON and CSV, lists and deletes them', async () => {
    await t
      .as(o.owner.key)
      .post(`/api/v1/domains/${o.domainId}/pip/attributes`)
      .send({ attributes: [{ category: 'subject', entity: 'alice', attribute: ROLE, values: ['doctor', 'researcher'] }] })
      .expect(200, { upserted: 1 });
    await t
      .as(o.owner.key)
      .post(`/api/v1/domains/${o.domainId}/pip/attributes`)
      .set('Content-Type', 'text/csv')
      .send(`category,entity,attribute,datatype,value\nsubject,bob,${ROLE},string,nurse\nsubject,bob,urn:example:email,string,bob@example.org\n`)
      .expect(200, { upserted: 2 });
    const list = await t.as(o.owner.key).get(`/api/v1/domains/${o.domainId}/pip/attributes?entity=alice`).expect(200);
    expect(list.body.items).toEqual([
      { category: 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject', entity: 'alice', attribute: ROLE, datatype: 'http://www.w3.org/2001/XMLSchema#string', values: ['doctor', 'researcher'] },
    ]);
    const del = await t.as(o.owner.key).delete(`/api/v1/domains/${o.domainId}/pip/attributes?entity=bob&attribute=urn:example:email`).expect(200);
    expect(del.body).toEqual({ deleted: 1 });
  });

  it('refuses bad PIP input with 4xx and changes nothing', async () => {
    const before = (await t.as(o.owner.key).get(`/api/v1/domains/${o.domainId}/pip/attributes`).expect(200)).body.items;
    const badHeader = await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/pip/attributes`).set('Content-Type', 'text/csv').send('a,b\n1,2\n').expect(400);
    expect(errorCode(badHeader.body)).toBe('bad-request');
    const badCsv = await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/pip/attributes`).set('Content-Type', 'text/csv').send('category,entity,attribute,datatype,value\n"unclosed,x,y,string,z\n').expect(400);
    expect(errorCode(badCsv.body)).toBe('malformed-body');
    await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/pip/attributes`).send({ attributes: [{ category: 'subject', entity: 'x', attribute: 'a', datatype: 'nonsense', values: [] }] }).expect(400);
    expect((await t.as(o.owner.key).get(`/api/v1/domains/${o.domainId}/pip/attributes`).expect(200)).body.items).toEqual(before);
  });

  it('without a Context Handler the PIP alone is not enough', async () => {
    expect(await ask(dc.key, 'alice')).toBe('Deny');
    expect(asked).toEqual([]);
  });

  it('a controller registers its Context Handler; the PDP asks it for what is missing', async () => {
    const other = await createUser(t, 'not-controller', ['domains-controller']);
    const svc = {
      id: 'dc-context-handler',
      provider: { id: 'dc' },
      endpoint: 'http://127.0.0.1:7100/attributes',
      method: 'POST',
      type: 'context-handler',
      requestFormat: 'json',
      responseFormat: 'json',
    };
    await t.as(dc.key).post('/api/v1/services').send(svc).expect(201);
    await t.as(other.key).put(`/api/v1/domains/${o.domainId}/context-handler`).send({ serviceId: 'dc-context-handler' }).expect(404);
    const reg = await t.as(dc.key).put(`/api/v1/domains/${o.domainId}/context-handler`).send({ serviceId: 'dc-context-handler' }).expect(200);
    expect(reg.body).toMatchObject({ controllerId: dc.id, serviceId: 'dc-context-handler' });
    expect(await ask(dc.key, 'alice')).toBe('Permit');
    expect(asked.some((a) => a.handler === 'dc-context-handler' && a.query.attributeId === CLINIC && a.subject.includes('alice'))).toBe(true);
    expect(asked.some((a) => a.query.attributeId === ROLE)).toBe(false);
    expect(await ask(dc.key, 'bob')).toBe('Deny');
    // With full log detail, the log shows which attributes were fetched and how long it took.
    await t.as(o.owner.key).put(`/api/v1/domains/${o.domainId}/pdp`).send({ logDetail: 'full' }).expect(200);
    const traced = await t.as(dc.key).post(`/pdp/${o.pdpId}`).set('Content-Type', 'application/xacml+json').send(subjectRequest('alice')).expect(200);
    const logged = await t.as(o.owner.key).get(`/api/v1/domains/${o.domainId}/decisions/${traced.headers['x-transaction-id'] as string}`).expect(200);
    expect(logged.body.calls).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'attribute', target: CLINIC, values: 1 }), expect.objectContaining({ kind: 'attribute', target: ROLE })]));
    // The owner calling its own PDP has no handler registered: the clinic stays unknown.
    expect(await ask(o.owner.key, 'alice')).toBe('Deny');
    const list = await t.as(o.owner.key).get(`/api/v1/domains/${o.domainId}/context-handlers`).expect(200);
    expect(list.body.items).toHaveLength(1);
    await t.as(dc.key).delete(`/api/v1/domains/${o.domainId}/context-handlers/${dc.id}`).expect(204);
    expect(await ask(dc.key, 'alice')).toBe('Deny');
  });

  it('refuses a Context Handler that is not a context-handler service', async () => {
    await t.as(dc.key).post('/api/v1/services').send({ id: 'not-ch', provider: { id: 'dc' }, endpoint: 'http://127.0.0.1:1/x', method: 'POST', type: 'other', requestFormat: 'json', responseFormat: 'json' }).expect(201);
    const r = await t.as(dc.key).put(`/api/v1/domains/${o.domainId}/context-handler`).send({ serviceId: 'not-ch' }).expect(400);
    expect(errorCode(r.body)).toBe('bad-request');
  });

  it('answers another principal\'s service, even another domain\'s PDP, as an unknown id', async () => {
    const other = await ownerWithDomain(t, 'ch-oracle-owner');
    const foreign = await t.as(dc.key).put(`/api/v1/domains/${o.domainId}/context-handler`).send({ serviceId: `pdp-${other.domainId}` }).expect(404);
    const unknown = await t.as(dc.key).put(`/api/v1/domains/${o.domainId}/context-handler`).send({ serviceId: 'pdp-no-such-domain' }).expect(404);
    expect(foreign.body).toEqual(unknown.body);
  });
});
