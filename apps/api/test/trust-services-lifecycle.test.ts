/**
 * A trust service's life in the Service Repository, seen through the PAP and the PDP-URL with
 * the real UDF registry (@safax/udf-client) and the real credential service on 127.0.0.1:
 * a policy calling an unregistered UDF is refused with a 400 naming the URN; once the service
 * registers, the same upload succeeds; disabling, enabling and re-registering the service
 * re-initialise the PDPs that use it (a re-registration also starts a fresh client, so no
 * cached answer of the old endpoint survives).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTrustService } from '../../trust-services/src/start';
import type { RunningService } from '../../trust-services/src/start';
import { PROVIDERS } from './support/test-database';
import { createUser, errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';
import { PERMIT_OVERRIDES, PROCESSING_ERROR, ask, sample } from './scenario/trust-helpers';

const URN = 'urn:nl:tue:sec:pdp:1.0:udf:credential:user:has:credential';
const seed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'trust-services', 'data', 'credential.seed.json'), 'utf8')) as unknown;

describe.each(PROVIDERS)('UDF service lifecycle through the API (%s)', (provider) => {
  let t: TestPlatform;
  let first: RunningService;
  let second: RunningService;
  let alice: { id: string; key: string };
  let tsp: { id: string; key: string };
  let d: { id: string; pdpId: string };
  const ar3 = () => ({ policies: [sample('ar3-mayo-neurologist-views-health-records.xml'), sample('ar4-deny-everything-else.xml')] });
  const charlieAt10 = () => ask(t, alice.key, d.pdpId, { subject: 'charlie', action: 'view', resource: 'record-1', time: '10:00:00' });

  beforeAll(async () => {
    first = await startTrustService('credential', { seed });
    // A second instance that knows no credentials: re-registering onto it must change decisions.
    second = await startTrustService('credential', { seed: { credentials: [], delegations: [] } });
    t = await startTestPlatform(provider);
    alice = await createUser(t, 'alice', ['domain-owner']);
    tsp = await createUser(t, 'tsp', ['trust-service-provider']);
    const p = await t.as(alice.key).post('/api/v1/projects').send({ name: 'p' }).expect(201);
    const created = await t.as(alice.key).post(`/api/v1/projects/${p.body.id}/domains`).send({ name: 'AD2' }).expect(201);
    d = { id: created.body.id, pdpId: created.body.pdpId };
    await t.as(alice.key).put(`/api/v1/domains/${d.id}/pdp`).send({ rootCombiningAlgorithm: PERMIT_OVERRIDES }).expect(200);
    await t.as(alice.key).post(`/api/v1/domains/${d.id}/pip/attributes`).send({ attributes: [{ category: 'resource', entity: 'record-1', attribute: 'urn:safax:sample:resource:type', values: ['health-record'] }] }).expect(200);
  });
  afterAll(async () => {
    await t.close();
    await first.close();
    await second.close();
  });

  it('a policy calling an unregistered function is refused with a 400 naming the URN; nothing is stored', async () => {
    const r = await t.as(alice.key).post(`/api/v1/domains/${d.id}/policies`).send(ar3()).expect(400);
    expect(errorCode(r.body)).toBe('invalid-policy');
    expect(r.body.error.message).toContain(URN);
    const list = await t.as(alice.key).get(`/api/v1/domains/${d.id}/policies`).expect(200);
    expect(list.body.items).toEqual([]);
  });

  it('once the credential service registers, the same upload succeeds and decides', async () => {
    await t.as(tsp.key).post('/api/v1/services').send(first.descriptor).expect(201);
    await t.as(alice.key).post(`/api/v1/domains/${d.id}/policies`).send(ar3()).expect(201);
    expect((await charlieAt10()).decision).toBe('Permit');
  });

  it('disabling the service re-initialises the PDP: Indeterminate naming the URN, never an HTTP error; enabling restores it', async () => {
    await t.as(tsp.key).post(`/api/v1/services/${first.descriptor.id}/disable`).expect(200);
    const a = await charlieAt10();
    expect(a.decision).toBe('Indeterminate');
    expect(a.statusCode).toBe(PROCESSING_ERROR);
    expect(a.statusMessage).toContain(URN);
    // While disabled, new uploads using it are refused again.
    const ar3v11 = { policies: [{ name: 'ar3-v1.1.xml', text: sample('ar3-mayo-neurologist-views-health-records.xml').text.replace('Version="1.0"', 'Version="1.1"') }] };
    const refused = await t.as(alice.key).post(`/api/v1/domains/${d.id}/policies`).send(ar3v11).expect(400);
    expect(refused.body.error.message).toContain(URN);
    await t.as(tsp.key).post(`/api/v1/services/${first.descriptor.id}/enable`).expect(200);
    expect((await charlieAt10()).decision).toBe('Permit');
  });

  it('re-registering the service at another endpoint takes effect at once (fresh client, no stale cache)', async () => {
    const moved = { ...second.descriptor, id: first.descriptor.id };
    await t.as(tsp.key).put(`/api/v1/services/${first.descriptor.id}`).send(moved).expect(200);
    // The second instance does not know Charlie; the first's cached "true" (30 s TTL) is gone.
    const after = await charlieAt10();
    expect([after.decision, after.statusMessage]).toEqual(['Deny', undefined]);
    await t.as(tsp.key).put(`/api/v1/services/${first.descriptor.id}`).send(first.descriptor).expect(200);
    expect((await charlieAt10()).decision).toBe('Permit');
  });

  it('deleting the service makes the domain Indeterminate, still answered over HTTP', async () => {
    await t.as(tsp.key).delete(`/api/v1/services/${first.descriptor.id}`).expect(204);
    const a = await charlieAt10();
    expect(a.decision).toBe('Indeterminate');
    expect(a.statusMessage).toContain(URN);
  });
});
