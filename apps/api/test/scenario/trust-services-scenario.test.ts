/**
 * The SAFAX scenario's trust-service requirements, end to end over HTTP: the three trust
 * services (apps/trust-services) run on 127.0.0.1, register themselves in the Service
 * Repository through the API, and Alice's policies (policies/samples/) call them as UDFs.
 * AR3: Charlie, a neurologist certified by the Mayo Clinic, may view her health records in AD2
 * between 09:00 and 18:00 — not at 19:00, not uncertified, and with the credential service
 * stopped the answer is Indeterminate within the timeout, saying why. Also: reputation ≥ 0.7,
 * and one policy across two vocabularies (alignment).
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { registerService } from '../../../trust-services/src/common/register-service';
import { startTrustService } from '../../../trust-services/src/start';
import type { RunningService } from '../../../trust-services/src/start';
import { PROVIDERS } from '../support/test-database';
import { createUser, startTestPlatform } from '../support/test-platform';
import type { TestPlatform } from '../support/test-platform';
import { PERMIT_OVERRIDES, PROCESSING_ERROR, ask, sample } from './trust-helpers';

const seed = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'trust-services', 'data', `${name}.seed.json`), 'utf8'));
const EVALUATION_TIMEOUT_MS = 3000;

describe.each(PROVIDERS)('trust services in the SAFAX scenario (%s)', (provider) => {
  let t: TestPlatform;
  let alice: { id: string; key: string };
  let dcII: { id: string; key: string };
  let provider_: { id: string; key: string };
  const running = new Map<string, RunningService>();
  let ad2: { id: string; pdpId: string };
  let projectId: string;

  beforeAll(async () => {
    t = await startTestPlatform(provider);
    alice = await createUser(t, 'alice', ['domain-owner']);
    dcII = await createUser(t, 'dc-two', ['domains-controller']);
    provider_ = await createUser(t, 'safax-trust-services', ['trust-service-provider']);
    for (const name of ['credential', 'reputation', 'alignment'] as const) running.set(name, await startTrustService(name, { seed: seed(name) }));
  });
  afterAll(async () => {
    await Promise.all([...running.values()].map((s) => s.close()));
    await t.close();
  });

  async function newDomain(name: string): Promise<{ id: string; pdpId: string }> {
    const d = await t.as(alice.key).post(`/api/v1/projects/${projectId}/domains`).send({ name }).expect(201);
    await t.as(alice.key).put(`/api/v1/domains/${d.body.id}/controllers/dc-two`).expect(200);
    await t.as(alice.key).put(`/api/v1/domains/${d.body.id}/pdp`).send({ rootCombiningAlgorithm: PERMIT_OVERRIDES, evaluationTimeoutMs: EVALUATION_TIMEOUT_MS }).expect(200);
    return { id: d.body.id, pdpId: d.body.pdpId };
  }

  it('the trust services register themselves in the Service Repository, through the API over HTTP', async () => {
    const server = createServer(t.platform.app).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const s of running.values()) {
        expect(await registerService({ apiUrl, apiKey: provider_.key }, s.descriptor)).toEqual({ ok: true, status: 201, action: 'created' });
      }
      // Starting again registers again: the entry is updated, not duplicated.
      const again = running.get('credential');
      if (again) expect(await registerService({ apiUrl, apiKey: provider_.key }, again.descriptor)).toEqual({ ok: true, status: 200, action: 'updated' });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    const credential = await t.as(alice.key).get('/api/v1/services/credential-service').expect(200);
    expect(credential.body).toMatchObject({ descriptor: { type: 'udf', functionUrn: 'urn:nl:tue:sec:pdp:1.0:udf:credential:user:has:credential' }, enabled: true, registeredBy: provider_.id });
    const listed = await t.as(alice.key).get('/api/v1/services?type=udf').expect(200);
    expect(listed.body.items.map((s: { descriptor: { id: string } }) => s.descriptor.id).sort()).toEqual(['alignment-service', 'credential-service', 'reputation-service']);
  });

  it('Alice deploys AR3 (and AR4) in AD2; the PIP says which resources are health records', async () => {
    const project = await t.as(alice.key).post('/api/v1/projects').send({ name: 'alice-health' }).expect(201);
    projectId = project.body.id;
    ad2 = await newDomain('AD2');
    await t
      .as(alice.key)
      .post(`/api/v1/domains/${ad2.id}/pip/attributes`)
      .send({ attributes: [{ category: 'resource', entity: 'alice-health-record', attribute: 'urn:safax:sample:resource:type', values: ['health-record'] }] })
      .expect(200);
    await t
      .as(alice.key)
      .post(`/api/v1/domains/${ad2.id}/policies`)
      .send({ policies: [sample('ar3-mayo-neurologist-views-health-records.xml'), sample('ar4-deny-everything-else.xml')] })
      .expect(201);
  });

  it('AR3: Charlie, a Mayo Clinic neurologist, may view her health records at 10:00, not at 19:00', async () => {
    expect((await ask(t, dcII.key, ad2.pdpId, { subject: 'charlie', action: 'view', resource: 'alice-health-record', time: '10:00:00' })).decision).toBe('Permit');
    expect((await ask(t, dcII.key, ad2.pdpId, { subject: 'charlie', action: 'view', resource: 'alice-health-record', time: '19:00:00' })).decision).toBe('Deny');
    expect((await ask(t, dcII.key, ad2.pdpId, { subject: 'charlie', action: 'modify', resource: 'alice-health-record', time: '10:00:00' })).decision).toBe('Deny');
  });

  it('AR3: not if uncertified (Bob), nor certified only as something else (Erik, a physician of AMC)', async () => {
    expect((await ask(t, dcII.key, ad2.pdpId, { subject: 'bob', action: 'view', resource: 'alice-health-record', time: '10:00:00' })).decision).toBe('Deny');
    expect((await ask(t, dcII.key, ad2.pdpId, { subject: 'erik', action: 'view', resource: 'alice-health-record', time: '10:00:00' })).decision).toBe('Deny');
  });

  it('reputation ≥ 0.7: Bob (well rated) may read her reviews; Mallory (rated by her own sybils) may not', async () => {
    const d = await newDomain('reviews');
    await t.as(alice.key).post(`/api/v1/domains/${d.id}/policies`).send({ policies: [sample('reputable-users-read-reviews.xml')] }).expect(201);
    expect((await ask(t, dcII.key, d.pdpId, { subject: 'bob', action: 'read' })).decision).toBe('Permit');
    expect((await ask(t, dcII.key, d.pdpId, { subject: 'mallory', action: 'read' })).decision).toBe('Deny');
  });

  it('alignment: one policy in DCI terms ("physician") decides for DCII roles (neurologist, doctor), not a nurse', async () => {
    const d = await newDomain('records-any-vocabulary');
    await t.as(alice.key).post(`/api/v1/domains/${d.id}/policies`).send({ policies: [sample('physicians-view-health-records-any-vocabulary.xml')] }).expect(201);
    expect((await ask(t, dcII.key, d.pdpId, { subject: 'charlie', action: 'view', role: 'neurologist' })).decision).toBe('Permit');
    expect((await ask(t, dcII.key, d.pdpId, { subject: 'frank', action: 'view', role: 'doctor' })).decision).toBe('Permit');
    expect((await ask(t, dcII.key, d.pdpId, { subject: 'nina', action: 'view', role: 'nurse' })).decision).toBe('Deny');
  });

  it('AR3 with the credential service stopped: Indeterminate within the timeout, the status names the service and the cause', async () => {
    await running.get('credential')?.close();
    running.delete('credential');
    // Dana was never asked about, so no cached answer hides the outage.
    const a = await ask(t, dcII.key, ad2.pdpId, { subject: 'dana', action: 'view', resource: 'alice-health-record', time: '10:00:00' });
    expect(a.decision).toBe('Indeterminate');
    expect(a.statusCode).toBe(PROCESSING_ERROR);
    expect(a.statusMessage).toMatch(/trust service credential-service: network: /);
    expect(a.ms).toBeLessThan(EVALUATION_TIMEOUT_MS);
    // Outside working hours the service is not needed: AR4's Deny stands.
    expect((await ask(t, dcII.key, ad2.pdpId, { subject: 'dana', action: 'view', resource: 'alice-health-record', time: '19:00:00' })).decision).toBe('Deny');
    await t.http().get('/healthz').expect(200);
  });
});
