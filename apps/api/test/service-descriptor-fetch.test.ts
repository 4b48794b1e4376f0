/**
 * Registering a trust service by URL (issue 13): POST /api/v1/service-descriptors/fetch reads the
 * descriptor a provider publishes through the outbound policy (SSRF rules, size bound, deadline,
 * redirects judged hop by hop), validates it with the repository's schema, stores nothing; the
 * descriptor then registers as usual, and a policy calls the UDF it names.
 */
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTrustService } from '../../trust-services/src/start';
import type { RunningService } from '../../trust-services/src/start';
import { fetchDescriptor } from '../src/services/registry/fetch-descriptor';
import { ApiError } from '../src/errors/api-error';
import { ownerWithDomain } from './support/fixtures';
import { PROVIDERS } from './support/test-database';
import { errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

jest.setTimeout(30_000);

const SEED: unknown = JSON.parse(readFileSync(join(__dirname, '..', '..', 'trust-services', 'data', 'credential.seed.json'), 'utf8'));
const URN = 'urn:nl:tue:sec:pdp:1.0:udf:credential:user:has:credential';

/** A small HTTP server answering each path as told. */
async function fakeServer(routes: Record<string, (res: ServerResponse) => void>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (route) route(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A policy that permits when the credential service says charlie is a Mayo Clinic neurologist. */
const credentialPolicy = `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="needs-credential" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-unless-permit">
  <Target/>
  <Rule RuleId="neurologist" Effect="Permit">
    <Condition>
      <Apply FunctionId="${URN}">
        <Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:string-one-and-only"><AttributeDesignator Category="urn:oasis:names:tc:xacml:1.0:subject-category:access-subject" AttributeId="urn:oasis:names:tc:xacml:1.0:subject:subject-id" DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="true"/></Apply>
        <AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">neurologist</AttributeValue>
        <AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">mayo-clinic</AttributeValue>
      </Apply>
    </Condition>
  </Rule>
</Policy>`;

describe.each(PROVIDERS)('service descriptors by URL (%s)', (provider) => {
  let t: TestPlatform;
  let strict: TestPlatform;
  let credential: RunningService;
  let fake: Awaited<ReturnType<typeof fakeServer>>;

  beforeAll(async () => {
    t = await startTestPlatform(provider);
    // The default outbound policy: loopback is refused.
    strict = await startTestPlatform(provider, { outboundAllow: [] });
    credential = await startTrustService('credential', { seed: SEED });
    fake = await fakeServer({
      '/big': (res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ pad: 'x'.repeat(100_000) })),
      '/html': (res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html></html>'),
      '/broken': (res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id": '),
      '/invalid': (res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: 'x/y', provider: { id: 'p' }, endpoint: 'ftp://x', method: 'GET', type: 'udf', requestFormat: 'json', responseFormat: 'json' })),
      '/to-metadata': (res) => res.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data' }).end(),
      '/to-descriptor': (res) => res.writeHead(302, { Location: `${credential.url}/descriptor` }).end(),
      '/slow': () => undefined,
    });
  });
  afterAll(async () => {
    await t.close();
    await strict.close();
    await credential.close();
    await fake.close();
  });

  it('fetches a published descriptor (also after an allowed redirect), stores nothing, and the owner registers it for a policy', async () => {
    const alice = await ownerWithDomain(t, 'alice');
    const fetched = await t.as(alice.owner.key).post('/api/v1/service-descriptors/fetch').send({ url: `${fake.url}/to-descriptor` }).expect(200);
    expect(fetched.body.url).toBe(`${credential.url}/descriptor`);
    expect(fetched.body.descriptor).toMatchObject({ type: 'udf', functionUrn: URN, endpoint: `${credential.url}/has-credential` });
    await t.as(alice.owner.key).get(`/api/v1/services/${fetched.body.descriptor.id as string}`).expect(404);
    const registered = await t.as(alice.owner.key).post('/api/v1/services').send(fetched.body.descriptor).expect(201);
    expect(registered.body).toMatchObject({ registeredBy: alice.owner.id, registeredByName: 'alice' });
    await t.as(alice.owner.key).post(`/api/v1/domains/${alice.domainId}/policies`).set('Content-Type', 'application/xml').send(credentialPolicy).expect(201);
    const decide = async (who: string) =>
      (await t.as(alice.owner.key).post(`/api/v1/domains/${alice.domainId}/test-evaluations`).send({ format: 'authzen', body: JSON.stringify({ subject: { type: 'user', id: who }, action: { name: 'view' }, resource: { type: 'record', id: 'r1' } }) }).expect(200)).body as { decision: string; calls: { target: string }[] };
    const charlie = await decide('charlie');
    expect(charlie.decision).toBe('Permit');
    expect(charlie.calls.map((c) => c.target).join(' ')).toContain(URN);
    expect((await decide('mallory')).decision).toBe('Deny');
  });

  it('refuses what the outbound policy refuses: loopback by default, a redirect to the metadata address', async () => {
    const alice = await ownerWithDomain(strict, 'alice');
    const refused = await strict.as(alice.owner.key).post('/api/v1/service-descriptors/fetch').send({ url: `${credential.url}/descriptor` }).expect(400);
    expect(refused.body.error).toMatchObject({ code: 'endpoint-refused', details: { reason: 'address-refused' } });
    const hop = await t.as(t.adminKey).post('/api/v1/service-descriptors/fetch').send({ url: `${fake.url}/to-metadata` }).expect(400);
    expect(hop.body.error.code).toBe('endpoint-refused');
    expect(hop.body.error.message).toContain('169.254.169.254');
    const scheme = await t.as(t.adminKey).post('/api/v1/service-descriptors/fetch').send({ url: 'file:///etc/passwd' }).expect(400);
    expect(scheme.body.error.details).toEqual([expect.objectContaining({ path: 'url' })]);
  });

  it('names what is wrong with what the URL answered', async () => {
    const fetch = async (path: string) => (await t.as(t.adminKey).post('/api/v1/service-descriptors/fetch').send({ url: `${fake.url}${path}` }).expect(400)).body.error as { code: string; message: string; details: unknown };
    expect(await fetch('/big')).toMatchObject({ code: 'bad-request', details: { reason: 'too-large' } });
    expect(await fetch('/html')).toMatchObject({ details: { reason: 'not-json' } });
    expect(await fetch('/broken')).toMatchObject({ details: { reason: 'not-json' } });
    expect(await fetch('/missing')).toMatchObject({ details: { reason: 'http-status', status: 404 } });
    const invalid = await fetch('/invalid');
    expect(invalid.message).toMatch(/not a valid service descriptor: id:/);
    expect((invalid.details as { path: string }[]).map((d) => d.path)).toEqual(expect.arrayContaining(['id', 'endpoint']));
  });

  it('gives up on a descriptor URL that does not answer in time', async () => {
    const deps = t.platform.deps;
    const started = Date.now();
    const err = await fetchDescriptor(deps, `${fake.url}/slow`, { timeoutMs: 300 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).details).toMatchObject({ reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('is for who may register services: not guests, not anonymous callers', async () => {
    const guest = (await t.http().post('/api/v1/guest').send({}).expect(201)).body as { apiKey: string };
    expect(errorCode((await t.as(guest.apiKey).post('/api/v1/service-descriptors/fetch').send({ url: `${credential.url}/descriptor` }).expect(403)).body)).toBe('forbidden');
    await t.http().post('/api/v1/service-descriptors/fetch').send({ url: `${credential.url}/descriptor` }).expect(401);
  });
});
