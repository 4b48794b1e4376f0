/**
 * Trust-service identity (issue 14, findings 1 and 7), through HTTP with the real UDF registry
 * and trust services on 127.0.0.1: a function URN belongs to one provider — the principal that
 * registered it — so another principal's registration of the same URN (any result type) is a
 * 409 naming the URN and the victim's decisions do not change, now or after a restart; a
 * domain resolves a URN by a documented rule and may pin the service it trusts; a change to
 * one service leaves the clients (cache) and compiled PDPs of the others alone.
 */
import type { UdfCallEvent } from '@safax/udf-client';
import { PROVIDERS, createTestDatabase } from './support/test-database';
import type { TestDatabase } from './support/test-database';
import { createUser, errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';
import { PROCESSING_ERROR, XS, ask, startStub, userCheckUdf } from './scenario/trust-helpers';
import type { Stub } from './scenario/trust-helpers';

const URN = 'urn:test:hardening:user:is:trusted';
const OTHER_URN = 'urn:test:hardening:unrelated';

/** Permit when URN(subject-id) is true, Deny otherwise. */
const policy = (urn: string) => `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="trusts" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-unless-permit">
  <Target/>
  <Rule RuleId="trusted" Effect="Permit">
    <Condition><Apply FunctionId="${urn}"><Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:string-one-and-only">
      <AttributeDesignator Category="urn:oasis:names:tc:xacml:1.0:subject-category:access-subject" AttributeId="urn:oasis:names:tc:xacml:1.0:subject:subject-id" DataType="${XS}string" MustBePresent="true"/>
    </Apply></Apply></Condition>
  </Rule>
</Policy>`;

/** A trust service answering `{ result: <user is in the list> }`. */
const answering = (trusted: readonly string[]) =>
  startStub((_req, res, body) => {
    const user = (JSON.parse(body || '{}') as { user?: string }).user ?? '';
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ result: trusted.includes(user) }));
  });

describe.each(PROVIDERS)('trust-service identity (%s)', (provider) => {
  let db: TestDatabase;
  let t: TestPlatform;
  let honest: Stub;
  let honestTwo: Stub;
  let evil: Stub;
  const calls: UdfCallEvent[] = [];
  let tsp: { id: string; key: string };
  let mallory: { id: string; key: string };
  let owner: { id: string; key: string };
  let domain: { id: string; pdpId: string };
  let pinned: { id: string; pdpId: string };

  const decide = (pdpId: string, subject: string) => ask(t, owner.key, pdpId, { subject, action: 'read' });

  beforeAll(async () => {
    honest = await answering(['alice']);
    honestTwo = await answering(['alice', 'carol']);
    evil = await answering(['alice', 'bob', 'carol']);
    db = await createTestDatabase(provider);
    t = await startTestPlatform(provider, {}, { onUdfCall: (e) => calls.push(e) }, db);
    tsp = await createUser(t, 'tsp', ['trust-service-provider']);
    mallory = await createUser(t, 'mallory', ['trust-service-provider']);
    owner = await createUser(t, 'owner', ['domain-owner']);
    const p = await t.as(owner.key).post('/api/v1/projects').send({ name: 'p' }).expect(201);
    const made = async (name: string) => {
      const d = await t.as(owner.key).post(`/api/v1/projects/${p.body.id}/domains`).send({ name }).expect(201);
      return { id: d.body.id as string, pdpId: d.body.pdpId as string };
    };
    domain = await made('victim');
    pinned = await made('pinned');
    // The honest provider claims an organisation id in its descriptor; the platform records the principal.
    const reg = await t.as(tsp.key).post('/api/v1/services').send({ ...userCheckUdf('honest', URN, `${honest.url}/check`, { cacheTtlSeconds: 300 }), provider: { id: 'tue', name: 'TU/e' } }).expect(201);
    expect(reg.body.descriptor.provider).toEqual({ id: tsp.id, name: 'TU/e' });
    for (const d of [domain, pinned]) await t.as(owner.key).post(`/api/v1/domains/${d.id}/policies`).set('Content-Type', 'application/xml').send(policy(URN)).expect(201);
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
    await Promise.all([honest.close(), honestTwo.close(), evil.close()]);
  });

  it('hijack probe: another principal registering the same URN gets 409 naming it, and the victim decides as before', async () => {
    expect((await decide(domain.pdpId, 'bob')).decision).toBe('Deny');
    // The attacker reads the victim's service (discovery is public to principals) and copies its URN,
    // even claiming the victim's organisation as provider.
    const seen = await t.as(mallory.key).get('/api/v1/services/honest').expect(200);
    const refused = await t.as(mallory.key).post('/api/v1/services').send({ ...userCheckUdf('evil', seen.body.descriptor.functionUrn as string, `${evil.url}/check`), provider: { id: 'tue' } }).expect(409);
    expect(errorCode(refused.body)).toBe('conflict');
    expect(refused.body.error.message).toContain(URN);
    // The same URN with another result type: refused too (it used to make the victim Indeterminate).
    const otherType = { ...userCheckUdf('evil-string', URN, `${evil.url}/check`), responseParameters: [{ name: 'result', datatype: `${XS}string`, location: { kind: 'json-pointer', pointer: '/result' } }] };
    expect(errorCode((await t.as(mallory.key).post('/api/v1/services').send(otherType).expect(409)).body)).toBe('conflict');
    // Moving one of his own services onto the URN is refused as well; nothing was stored.
    await t.as(mallory.key).post('/api/v1/services').send(userCheckUdf('evil-elsewhere', 'urn:test:hardening:mallory', `${evil.url}/check`)).expect(201);
    await t.as(mallory.key).put('/api/v1/services/evil-elsewhere').send(userCheckUdf('evil-elsewhere', URN, `${evil.url}/check`)).expect(409);
    await t.as(mallory.key).get('/api/v1/services/evil').expect(404);
    const listed = await t.as(mallory.key).get(`/api/v1/services?functionUrn=${encodeURIComponent(URN)}`).expect(200);
    expect(listed.body.items.map((s: { descriptor: { id: string } }) => s.descriptor.id)).toEqual(['honest']);

    expect((await decide(domain.pdpId, 'bob')).decision).toBe('Deny');
    expect((await decide(domain.pdpId, 'alice')).decision).toBe('Permit');
    expect(evil.requests).toHaveLength(0);
    await t.as(mallory.key).delete('/api/v1/services/evil-elsewhere').expect(204);
  });

  it('the same after a restart: a fresh platform on the database resolves the URN to the same service', async () => {
    const again = await startTestPlatform(provider, {}, {}, db);
    try {
      const a = await ask(again, owner.key, domain.pdpId, { subject: 'bob', action: 'read' });
      expect(a.decision).toBe('Deny');
      expect(evil.requests).toHaveLength(0);
    } finally {
      await again.close();
    }
  });

  it('an unrelated registration (and its change-feed echo) keeps the cached answer and the compiled PDP', async () => {
    calls.length = 0;
    const before = honest.requests.length;
    await decide(domain.pdpId, 'dave');
    expect(honest.requests.length).toBe(before + 1);
    const compiled = t.platform.deps.pdps.compileCount;
    await t.as(mallory.key).post('/api/v1/services').send(userCheckUdf('unrelated', OTHER_URN, `${evil.url}/other`)).expect(201);
    // Past the change poll (100 ms): the echo of this registration has been applied.
    await new Promise((r) => setTimeout(r, 300));
    expect((await decide(domain.pdpId, 'dave')).decision).toBe('Deny');
    expect(honest.requests.length).toBe(before + 1);
    expect(calls.filter((c) => c.serviceId === 'honest').map((c) => c.cached)).toEqual([false, true]);
    expect(t.platform.deps.pdps.compileCount).toBe(compiled);
    await t.as(mallory.key).delete('/api/v1/services/unrelated').expect(204);
  });

  it('resolution: the first registered service of the URN answers; a domain may pin another of the provider’s; a pin never falls back', async () => {
    await t.as(tsp.key).post('/api/v1/services').send(userCheckUdf('honest-two', URN, `${honestTwo.url}/check`)).expect(201);
    // carol is trusted only by honest-two: the default (first registered) answers Deny.
    expect((await decide(domain.pdpId, 'carol')).decision).toBe('Deny');

    const badPin = await t.as(owner.key).put(`/api/v1/domains/${pinned.id}/pdp`).send({ trustedServices: { [URN]: 'unrelated-or-missing' } }).expect(400);
    expect(badPin.body.error.message).toContain('unrelated-or-missing');
    const cfg = await t.as(owner.key).put(`/api/v1/domains/${pinned.id}/pdp`).send({ trustedServices: { [URN]: 'honest-two' } }).expect(200);
    expect(cfg.body.trustedServices).toEqual({ [URN]: 'honest-two' });
    expect((await decide(pinned.pdpId, 'carol')).decision).toBe('Permit');
    expect((await decide(domain.pdpId, 'carol')).decision).toBe('Deny');

    // The provider retires its services; the URN is free, and another provider takes it.
    await t.as(tsp.key).post('/api/v1/services/honest/disable').expect(200);
    await t.as(tsp.key).post('/api/v1/services/honest-two/disable').expect(200);
    await t.as(mallory.key).post('/api/v1/services').send(userCheckUdf('successor', URN, `${evil.url}/check`)).expect(201);
    // Re-enabling the old one now is refused: the URN is the successor's.
    const reenable = await t.as(tsp.key).post('/api/v1/services/honest/enable').expect(409);
    expect(reenable.body.error.message).toContain(URN);
    // The pinned domain does not follow the URN to the new provider: Indeterminate, and no call.
    const evilBefore = evil.requests.length;
    const p = await decide(pinned.pdpId, 'bob');
    expect(p.decision).toBe('Indeterminate');
    expect(p.statusCode).toBe(PROCESSING_ERROR);
    expect(evil.requests.length).toBe(evilBefore);
    // The unpinned domain follows the documented rule (the enabled service of the URN).
    expect((await decide(domain.pdpId, 'bob')).decision).toBe('Permit');
  });
});
