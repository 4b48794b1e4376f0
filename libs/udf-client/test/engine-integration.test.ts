/**
 * The UDF inside the engine: a policy calls a registered trust service through the registry
 * (the FunctionProvider), and every failure of the service ends as Indeterminate with a
 * processing-error status naming the service — never a Permit, never a crash.
 */
import type { ServerResponse } from 'node:http';
import { compilePdp, parseRequestXml, XacmlError, type Pdp } from '@safax/xacml';
import { createOutboundPolicy } from '../src/outbound-policy';
import { createUdfRegistry, type UdfRegistry } from '../src/udf-registry';
import { descriptor, XS } from './support/descriptors';
import { json, reset, startTestServer, type TestServer } from './support/test-server';

const URN = 'urn:nl:tue:sec:pdp:1.0:udf:credential:user:has:credential';
const NS = 'urn:oasis:names:tc:xacml:3.0:core:schema:wd-17';
const SUBJECT = 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject';
const SUBJECT_ID = 'urn:oasis:names:tc:xacml:1.0:subject:subject-id';

const policy = (fn = URN, extraArg = true): string => `<Policy xmlns="${NS}" PolicyId="ar3" Version="1.0"
    RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides">
  <Target/>
  <Rule RuleId="certified-neurologists" Effect="Permit">
    <Condition>
      <Apply FunctionId="${fn}">
        <Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:string-one-and-only">
          <AttributeDesignator Category="${SUBJECT}" AttributeId="${SUBJECT_ID}" DataType="${XS}string" MustBePresent="true"/>
        </Apply>
        <AttributeValue DataType="${XS}string">neurologist</AttributeValue>
        ${extraArg ? `<AttributeValue DataType="${XS}string">mayo-clinic</AttributeValue>` : ''}
      </Apply>
    </Condition>
  </Rule>
</Policy>`;

const request = (user: string) =>
  parseRequestXml(`<Request xmlns="${NS}" ReturnPolicyIdList="false" CombinedDecision="false">
  <Attributes Category="${SUBJECT}">
    <Attribute AttributeId="${SUBJECT_ID}" IncludeInResult="false"><AttributeValue DataType="${XS}string">${user}</AttributeValue></Attribute>
  </Attributes>
</Request>`);

let s: TestServer;
let registry: UdfRegistry;
let pdp: Pdp;
beforeAll(async () => {
  s = await startTestServer();
  registry = createUdfRegistry({ policy: createOutboundPolicy({ allow: ['127.0.0.1'] }), failureThreshold: 1000 });
  registry.register(
    descriptor({
      id: 'credential-service',
      endpoint: `${s.url}/has-credential`,
      method: 'GET',
      requestFormat: 'query',
      functionUrn: URN,
      timeoutMs: 300,
      requestParameters: [
        { name: 'user', datatype: `${XS}string` },
        { name: 'credential', datatype: `${XS}string` },
        { name: 'issuer', datatype: `${XS}string` },
      ],
    }),
  );
  pdp = compilePdp([{ text: policy() }], { functionProvider: registry });
});
afterAll(async () => {
  registry.close();
  await s.close();
});
beforeEach(() => reset(s));

async function decide(user: string) {
  const { response } = await pdp.evaluate(request(user), { timeoutMs: 2000 });
  return response.results[0]!;
}

describe('a UDF in a policy', () => {
  it('Permit when the service says the user holds the credential', async () => {
    s.handler = (req, _body, res) => json(res, { result: new URL(req.url ?? '', 'http://x').searchParams.get('user') === 'charlie' });
    expect((await decide('charlie')).decision).toBe('Permit');
    expect((await decide('mallory')).decision).toBe('NotApplicable');
    expect(s.lastRequests[0]?.url).toBe('/has-credential?user=charlie&credential=neurologist&issuer=mayo-clinic');
  });

  it.each([
    ['hangs', 'timeout', () => undefined],
    ['returns 500', 'http-status: HTTP 500', (_q: unknown, _b: string, res: ServerResponse) => res.writeHead(500).end()],
    ['returns garbage', 'bad-response', (_q: unknown, _b: string, res: ServerResponse) => res.end('garbage')],
    ['returns a huge body', 'too-large', (_q: unknown, _b: string, res: ServerResponse) => res.end('x'.repeat(200_000))],
    ['returns the wrong type', 'wrong-type', (_q: unknown, _b: string, res: ServerResponse) => json(res, { result: 'yes' })],
  ] as const)('Indeterminate with a processing error when the service %s', async (_what, cause, handler) => {
    s.handler = handler;
    const started = Date.now();
    const r = await decide('charlie');
    expect(r.decision).toBe('Indeterminate');
    expect(r.status.code).toBe('urn:oasis:names:tc:xacml:1.0:status:processing-error');
    expect(r.status.message).toContain('trust service credential-service: ');
    expect(r.status.message).toContain(cause);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('the compiler refuses a call that does not match the registered signature', () => {
    let err: unknown;
    try {
      compilePdp([{ text: policy(URN, false) }], { functionProvider: registry });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(XacmlError);
    expect((err as XacmlError).message).toContain('takes 3 arguments');
  });

  it('the compiler refuses an unregistered function URN', () => {
    expect(() => compilePdp([{ text: policy('urn:example:udf:unregistered') }], { functionProvider: registry })).toThrow(/urn:example:udf:unregistered/);
  });
});
