/**
 * UDF trust services from the Service Repository: a registered, enabled `udf` service makes its
 * function available to the PAP's compile check and the PDPs; disabling it makes dependent
 * decisions Indeterminate (never an HTTP error); the change reaches another replica.
 */
import type { ServiceDescriptor } from '@safax/contracts';
import { TRUE } from '@safax/xacml';
import type { FunctionDef } from '@safax/xacml';
import type { UdfRegistryPort } from '../src/pdp/udf-sync';
import { ownerWithDomain } from './support/fixtures';
import { actionRequestJson, decisionOf } from './support/policies';
import { createTestDatabase } from './support/test-database';
import type { TestDatabase } from './support/test-database';
import { createUser, errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

const URN = 'urn:nl:tue:sec:pdp:1.0:udf:credential:user:has:credential';
const BOOL = 'http://www.w3.org/2001/XMLSchema#boolean';
const STR = 'http://www.w3.org/2001/XMLSchema#string';

/** A stand-in for @safax/udf-client's registry: the function always answers true. */
function fakeRegistry(): UdfRegistryPort & { registered: Map<string, ServiceDescriptor> } {
  const registered = new Map<string, ServiceDescriptor>();
  const fn = (id: string): FunctionDef => ({ id, check: () => ({ ok: true, type: { kind: 'value', datatype: BOOL } }), invoke: () => TRUE });
  return {
    registered,
    register: (d) => void registered.set(d.id, d),
    unregister: (id) => void registered.delete(id),
    serviceFunction: (id) => {
      const d = registered.get(id);
      return d?.functionUrn === undefined ? undefined : fn(d.functionUrn);
    },
  };
}

const policy = `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="uses-udf" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-unless-permit">
  <Target/>
  <Rule RuleId="has-credential" Effect="Permit">
    <Condition><Apply FunctionId="${URN}"><AttributeValue DataType="${STR}">neurologist</AttributeValue></Apply></Condition>
  </Rule>
</Policy>`;

const service = {
  id: 'credential-service',
  provider: { id: 'tue' },
  endpoint: 'http://127.0.0.1:7001/credential',
  method: 'POST',
  type: 'udf',
  functionUrn: URN,
  requestFormat: 'json',
  responseFormat: 'json',
  requestParameters: [{ name: 'credential', datatype: STR }],
  responseParameters: [{ name: 'result', datatype: BOOL, location: { kind: 'json-pointer', pointer: '/result' } }],
};

describe.each(['sqlite', 'postgresql'] as const)('UDF services (%s)', (provider) => {
  let db: TestDatabase;
  let a: TestPlatform;
  let b: TestPlatform;
  const regA = fakeRegistry();
  const regB = fakeRegistry();

  beforeAll(async () => {
    db = await createTestDatabase(provider);
    a = await startTestPlatform(provider, { changePollMs: 100 }, { udfRegistry: regA }, db);
    b = await startTestPlatform(provider, { changePollMs: 100 }, { udfRegistry: regB }, db);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  it('a policy calling an unregistered UDF is refused; once the service is registered it deploys and decides', async () => {
    const o = await ownerWithDomain(a, 'alice');
    const tsp = await createUser(a, 'tue', ['trust-service-provider']);
    const refused = await a.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).set('Content-Type', 'application/xml').send(policy).expect(400);
    expect(errorCode(refused.body)).toBe('invalid-policy');
    expect(refused.body.error.message).toContain(URN);

    await a.as(tsp.key).post('/api/v1/services').send(service).expect(201);
    expect(regA.registered.has('credential-service')).toBe(true);
    await a.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).set('Content-Type', 'application/xml').send(policy).expect(201);
    const ask = async (t: TestPlatform) => decisionOf((await t.as(o.owner.key).post(`/pdp/${o.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson('read')).expect(200)).text);
    expect(await ask(a)).toBe('Permit');

    // Replica B learned of the service through the change feed.
    const until = Date.now() + 2000;
    while (!regB.registered.has('credential-service') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(regB.registered.has('credential-service')).toBe(true);
    expect(await ask(b)).toBe('Permit');

    // Disabled: the function is gone, the domain's decisions are Indeterminate, not errors.
    await a.as(tsp.key).post('/api/v1/services/credential-service/disable').expect(200);
    expect(regA.registered.has('credential-service')).toBe(false);
    expect(await ask(a)).toBe('Indeterminate');
    await a.as(tsp.key).post('/api/v1/services/credential-service/enable').expect(200);
    expect(await ask(a)).toBe('Permit');
  });
});
