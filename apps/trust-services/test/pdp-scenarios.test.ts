/**
 * The SAFAX scenarios at engine level with the real trust services on loopback: the engine
 * compiles policies whose UDFs come from the services' own descriptors (via the udf-client
 * registry) and decides requests. AR3: Charlie, a neurologist certified by Mayo Clinic, may
 * view Alice's health records between 09:00 and 18:00 — not at 19:00, not uncertified, and
 * Indeterminate (processing error naming the service) when the credential service is down.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { serviceDescriptorSchema } from '@safax/contracts';
import { createOutboundPolicy, createUdfRegistry, type UdfRegistry } from '@safax/udf-client';
import { compilePdp, parseRequestXml, type Pdp } from '@safax/xacml';
import { startTrustService, type RunningService } from '../src/start';
import type { ServiceName } from '../src/services';

const NS = 'urn:oasis:names:tc:xacml:3.0:core:schema:wd-17';
const XS = 'http://www.w3.org/2001/XMLSchema#';
const SUBJECT = 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject';
const ENV = 'urn:oasis:names:tc:xacml:3.0:attribute-category:environment';
const SUBJECT_ID = 'urn:oasis:names:tc:xacml:1.0:subject:subject-id';
const CURRENT_TIME = 'urn:oasis:names:tc:xacml:1.0:environment:current-time';
const ROLE = 'urn:example:dcii:role';
const F = 'urn:oasis:names:tc:xacml:1.0:function:';

const subjectId = `<AttributeDesignator Category="${SUBJECT}" AttributeId="${SUBJECT_ID}" DataType="${XS}string" MustBePresent="true"/>`;
const one = (designator: string, type = 'string'): string => `<Apply FunctionId="${F}${type}-one-and-only">${designator}</Apply>`;
const lit = (v: string, type = 'string'): string => `<AttributeValue DataType="${XS}${type}">${v}</AttributeValue>`;
const policy = (id: string, condition: string): string =>
  `<Policy xmlns="${NS}" PolicyId="${id}" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides">
  <Target/><Rule RuleId="${id}-rule" Effect="Permit"><Condition>${condition}</Condition></Rule></Policy>`;

const AR3 = policy(
  'AR3',
  `<Apply FunctionId="${F}and">
     <Apply FunctionId="urn:oasis:names:tc:xacml:2.0:function:time-in-range">
       ${one(`<AttributeDesignator Category="${ENV}" AttributeId="${CURRENT_TIME}" DataType="${XS}time" MustBePresent="true"/>`, 'time')}
       ${lit('09:00:00', 'time')}${lit('18:00:00', 'time')}
     </Apply>
     <Apply FunctionId="urn:nl:tue:sec:pdp:1.0:udf:credential:user:has:credential">${one(subjectId)}${lit('neurologist')}${lit('mayo-clinic')}</Apply>
   </Apply>`,
);
const REPUTABLE = policy(
  'reputable-users',
  `<Apply FunctionId="${F}double-greater-than-or-equal">
     <Apply FunctionId="urn:nl:tue:sec:pdp:1.0:udf:reputation:user:reputation">${one(subjectId)}</Apply>${lit('0.7', 'double')}
   </Apply>`,
);
const PHYSICIANS = policy(
  'physicians-in-dci-terms',
  `<Apply FunctionId="${F}string-is-in">${lit('physician')}
     <Apply FunctionId="urn:nl:tue:sec:pdp:1.0:udf:alignment:term:aligned">
       ${one(`<AttributeDesignator Category="${SUBJECT}" AttributeId="${ROLE}" DataType="${XS}string" MustBePresent="true"/>`)}${lit('DCI')}
     </Apply>
   </Apply>`,
);

function request(subject: string, extra: { time?: string; role?: string } = {}) {
  const attr = (id: string, v: string, type = 'string'): string => `<Attribute AttributeId="${id}" IncludeInResult="false">${lit(v, type)}</Attribute>`;
  return parseRequestXml(`<Request xmlns="${NS}" ReturnPolicyIdList="false" CombinedDecision="false">
    <Attributes Category="${SUBJECT}">${attr(SUBJECT_ID, subject)}${extra.role ? attr(ROLE, extra.role) : ''}</Attributes>
    <Attributes Category="${ENV}">${extra.time ? attr(CURRENT_TIME, extra.time, 'time') : ''}</Attributes>
  </Request>`);
}

const seed = (name: string): unknown => JSON.parse(readFileSync(path.join(__dirname, '..', 'data', `${name}.seed.json`), 'utf8'));
const services = new Map<ServiceName, RunningService>();
let registry: UdfRegistry;
const pdps: Record<string, Pdp> = {};

beforeAll(async () => {
  registry = createUdfRegistry({ policy: createOutboundPolicy({ allow: ['127.0.0.1'] }) });
  for (const name of ['credential', 'reputation', 'alignment'] as const) {
    const s = await startTrustService(name, { seed: seed(name) });
    services.set(name, s);
    registry.register(serviceDescriptorSchema.parse(s.descriptor));
  }
  for (const [id, text] of Object.entries({ AR3, REPUTABLE, PHYSICIANS })) pdps[id] = compilePdp([{ text }], { functionProvider: registry });
});
afterAll(async () => {
  registry.close();
  await Promise.all([...services.values()].map((s) => s.close()));
});

const decide = async (pdp: Pdp, req: ReturnType<typeof request>) => (await pdp.evaluate(req, { timeoutMs: 3000 })).response.results[0]!;

describe('AR3: a Mayo Clinic neurologist, in working hours', () => {
  it('Charlie at 10:00 → Permit', async () => {
    expect((await decide(pdps.AR3!, request('charlie', { time: '10:00:00' }))).decision).toBe('Permit');
  });
  it('Charlie at 19:00 → NotApplicable', async () => {
    expect((await decide(pdps.AR3!, request('charlie', { time: '19:00:00' }))).decision).toBe('NotApplicable');
  });
  it('Bob, not certified, at 10:00 → NotApplicable', async () => {
    expect((await decide(pdps.AR3!, request('bob', { time: '10:00:00' }))).decision).toBe('NotApplicable');
  });
  it('Dana, certified by a department Mayo Clinic accepts (delegation) → Permit', async () => {
    expect((await decide(pdps.AR3!, request('dana', { time: '10:00:00' }))).decision).toBe('Permit');
  });
});

describe('reputation ≥ 0.7', () => {
  it('Bob (well rated) → Permit; Mallory (sybil-boosted) → NotApplicable', async () => {
    expect((await decide(pdps.REPUTABLE!, request('bob'))).decision).toBe('Permit');
    expect((await decide(pdps.REPUTABLE!, request('mallory'))).decision).toBe('NotApplicable');
  });
});

describe('one policy across vocabularies', () => {
  it("DCII's neurologist counts as DCI's physician; a nurse does not", async () => {
    expect((await decide(pdps.PHYSICIANS!, request('charlie', { role: 'neurologist' }))).decision).toBe('Permit');
    expect((await decide(pdps.PHYSICIANS!, request('charlie', { role: 'doctor' }))).decision).toBe('Permit');
    expect((await decide(pdps.PHYSICIANS!, request('charlie', { role: 'nurse' }))).decision).toBe('NotApplicable');
  });
});

describe('the credential service stopped', () => {
  it('AR3 is Indeterminate with a status naming the service, within the timeout', async () => {
    await services.get('credential')!.close();
    const started = Date.now();
    const r = await decide(pdps.AR3!, request('eve', { time: '10:00:00' }));
    expect(r.decision).toBe('Indeterminate');
    expect(r.status.code).toBe('urn:oasis:names:tc:xacml:1.0:status:processing-error');
    expect(r.status.message).toMatch(/trust service credential-service: network: /);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
