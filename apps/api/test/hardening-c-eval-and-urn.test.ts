/**
 * Issue 14 through HTTP:
 * - finding 6: the 25-variable string-doubling policy, called through its PDP-URL, answers
 *   Indeterminate with the processing-error status naming the bound — quickly, in a small
 *   response, the server answering others meanwhile;
 * - finding 1 (race): two principals registering the same function URN at the same moment:
 *   exactly one 201, the other 409 naming the URN, and one service stored.
 */
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { PROVIDERS } from './support/test-database';
import { createUser, errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';
import { PROCESSING_ERROR, XS, userCheckUdf } from './scenario/trust-helpers';

const CONCAT = 'urn:oasis:names:tc:xacml:2.0:function:string-concatenate';

/** v0 = "abcdefgh", v(i) = v(i-1) ++ v(i-1), up to v25 (268 million characters unbounded), in the obligation and the condition. */
function doublingPolicy(levels: number): string {
  let vars = `<VariableDefinition VariableId="v0"><AttributeValue DataType="${XS}string">abcdefgh</AttributeValue></VariableDefinition>`;
  for (let i = 1; i <= levels; i++) vars += `<VariableDefinition VariableId="v${i}"><Apply FunctionId="${CONCAT}"><VariableReference VariableId="v${i - 1}"/><VariableReference VariableId="v${i - 1}"/></Apply></VariableDefinition>`;
  return `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="amplifier" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides">
  <Target/>${vars}
  <Rule RuleId="r" Effect="Permit">
    <Condition><Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:string-equal"><VariableReference VariableId="v${levels}"/><AttributeValue DataType="${XS}string">x</AttributeValue></Apply></Condition>
    <ObligationExpressions><ObligationExpression ObligationId="show" FulfillOn="Permit"><AttributeAssignmentExpression AttributeId="out"><VariableReference VariableId="v${levels}"/></AttributeAssignmentExpression></ObligationExpression></ObligationExpressions>
  </Rule>
</Policy>`;
}

const readRequest = JSON.stringify({ Request: { Action: { Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:action:action-id', Value: 'read' }] } } });

describe('the string-doubling policy through its PDP-URL (sqlite)', () => {
  let t: TestPlatform;
  let o: OwnedDomain;

  beforeAll(async () => {
    t = await startTestPlatform('sqlite');
    o = await ownerWithDomain(t, 'amplifier-owner');
    const text = doublingPolicy(25);
    expect(text.length).toBeLessThan(8_000);
    await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).set('Content-Type', 'application/xml').send(text).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers Indeterminate with "evaluation limit exceeded" in a small response, 8 calls at once, others served', async () => {
    const started = Date.now();
    const calls = Array.from({ length: 8 }, () => t.as(o.owner.key).post(`/pdp/${o.pdpId}`).set('Content-Type', 'application/xacml+json').send(readRequest));
    const health = t.http().get('/healthz');
    const [answers, healthz] = await Promise.all([Promise.all(calls), health]);
    const ms = Date.now() - started;
    expect(healthz.status).toBe(200);
    for (const r of answers) {
      expect(r.status).toBe(200);
      expect(r.text.length).toBeLessThan(2_000);
      const result = (JSON.parse(r.text) as { Response: { Decision: string; Status: { StatusCode: { Value: string }; StatusMessage: string } }[] }).Response[0]!;
      expect(result.Decision).toBe('Indeterminate');
      expect(result.Status.StatusCode.Value).toBe(PROCESSING_ERROR);
      expect(result.Status.StatusMessage).toBe('evaluation limit exceeded: string-concatenate would produce a string of 2097152 characters; the limit is 1048576');
    }
    // It took 1.2 GB and seconds per call unbounded; generous for a loaded 2-core machine.
    expect(ms).toBeLessThan(5_000);
  });
});

describe.each(PROVIDERS)('two principals registering one function URN at once (%s)', (provider) => {
  let t: TestPlatform;
  let first: { id: string; key: string };
  let second: { id: string; key: string };

  beforeAll(async () => {
    t = await startTestPlatform(provider);
    first = await createUser(t, 'tsp-one', ['trust-service-provider']);
    second = await createUser(t, 'tsp-two', ['trust-service-provider']);
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives exactly one 201 and one 409 naming the URN, in every round, and stores one service', async () => {
    for (let round = 0; round < 10; round++) {
      const urn = `urn:test:race:${provider}:${round}`;
      const [a, b] = await Promise.all([
        t.as(first.key).post('/api/v1/services').send(userCheckUdf(`one-${round}`, urn, 'http://127.0.0.1:9/one')),
        t.as(second.key).post('/api/v1/services').send(userCheckUdf(`two-${round}`, urn, 'http://127.0.0.1:9/two')),
      ]);
      expect([round, [a.status, b.status].sort()]).toEqual([round, [201, 409]]);
      const refused = a.status === 409 ? a : b;
      expect(errorCode(refused.body)).toBe('conflict');
      expect(refused.body.error.message).toContain(urn);
      const listed = await t.as(first.key).get(`/api/v1/services?functionUrn=${encodeURIComponent(urn)}`).expect(200);
      const winner = a.status === 201 ? a : b;
      expect(listed.body.items.map((s: { descriptor: { id: string } }) => s.descriptor.id)).toEqual([winner.body.descriptor.id]);
    }
  });
});
