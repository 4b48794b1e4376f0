/**
 * Outbound safety through the API: registering or updating a trust service or a Context
 * Handler whose endpoint the outbound policy refuses is a 400 `endpoint-refused` naming the
 * reason, and nothing is stored; the allow-list (SAFAX_OUTBOUND_ALLOW → config.outboundAllow)
 * opens what an installation needs; a redirect to loopback at call time is refused too.
 */
import type { HostResolver } from '@safax/udf-client';
import { configFromEnv } from '../src/config/app-config';
import { ownerWithDomain } from './support/fixtures';
import { PROVIDERS } from './support/test-database';
import { createUser, errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';
import { PROCESSING_ERROR, ask, policyCallingUdf, startStub, userCheckUdf } from './scenario/trust-helpers';
import type { Stub } from './scenario/trust-helpers';

const URN = 'urn:test:udf:is-trusted';

/** Fake DNS: names the tests use, without the network. */
const resolveHost: HostResolver = async (host) => {
  const table: Record<string, string> = { 'internal.example': '10.1.2.3', 'public.example': '93.184.216.34', localhost: '127.0.0.1' };
  const address = table[host];
  if (address === undefined) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return [{ address, family: 4 }];
};

const udf = (id: string, endpoint: string) => userCheckUdf(id, URN, endpoint, { timeoutMs: 1000 });

function contextHandler(id: string, endpoint: string) {
  return { id, provider: { id: 'dc' }, endpoint, method: 'POST', type: 'context-handler', requestFormat: 'json', responseFormat: 'json' };
}

const policy = policyCallingUdf(URN, 'trusted-users');

describe('SAFAX_OUTBOUND_ALLOW', () => {
  it('is read as a comma/space separated list; absent means nothing beyond public addresses', () => {
    expect(configFromEnv({ SAFAX_OUTBOUND_ALLOW: '127.0.0.1, 10.0.0.0/8 *.svc.cluster.local' }).outboundAllow).toEqual(['127.0.0.1', '10.0.0.0/8', '*.svc.cluster.local']);
    expect(configFromEnv({}).outboundAllow).toEqual([]);
  });

  it('an entry that is neither an address, a CIDR nor a host name stops the start', () => {
    expect(() => configFromEnv({ SAFAX_OUTBOUND_ALLOW: '127.0.0.1, 10.0.0.0/99' })).toThrow(/10\.0\.0\.0\/99\\" is not a valid CIDR[\s\S]*SAFAX_OUTBOUND_ALLOW/);
    expect(() => configFromEnv({ SAFAX_OUTBOUND_ALLOW: 'pdp.example.org, http://example.org/' })).toThrow(/http:\/\/example.org\/[\s\S]*SAFAX_OUTBOUND_ALLOW/);
  });
});

describe.each(PROVIDERS)('outbound policy through the API (%s)', (provider) => {
  let strict: TestPlatform;
  let tsp: { id: string; key: string };
  let dc: { id: string; key: string };

  beforeAll(async () => {
    strict = await startTestPlatform(provider, { outboundAllow: [] }, { resolveHost });
    tsp = await createUser(strict, 'tsp', ['trust-service-provider']);
    dc = await createUser(strict, 'dc', ['domains-controller']);
  });
  afterAll(async () => {
    await strict.close();
  });

  it.each([
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data', 'address-refused', /169\.254\.169\.254.*linkLocal/],
    ['a database port on localhost', 'http://localhost:5432', 'address-refused', /localhost resolves to a refused address.*127\.0\.0\.1/],
    ['a host name resolving to 10.x', 'http://internal.example/udf', 'address-refused', /internal\.example resolves to a refused address.*10\.1\.2\.3.*private/],
    ['loopback by IPv6', 'http://[::1]:8080/', 'address-refused', /::1/],
    ['private space written as an IPv4-mapped IPv6 address', 'http://[::ffff:192.168.1.1]/', 'address-refused', /private/],
  ])('registering a UDF at %s is refused (400 endpoint-refused) and nothing is stored', async (_what, endpoint, reason, message) => {
    const r = await strict.as(tsp.key).post('/api/v1/services').send(udf('bad-udf', endpoint)).expect(400);
    expect(errorCode(r.body)).toBe('endpoint-refused');
    expect(r.body.error.details).toMatchObject({ reason, endpoint });
    expect(r.body.error.message).toMatch(message);
    expect(r.body.error.message).toContain('bad-udf');
    await strict.as(tsp.key).get('/api/v1/services/bad-udf').expect(404);
  });

  it('a Context Handler at the metadata address or on loopback is refused the same way', async () => {
    for (const endpoint of ['http://169.254.169.254/', 'http://localhost:5432/attrs']) {
      const r = await strict.as(dc.key).post('/api/v1/services').send(contextHandler('bad-ch', endpoint)).expect(400);
      expect(errorCode(r.body)).toBe('endpoint-refused');
    }
    await strict.as(dc.key).get('/api/v1/services/bad-ch').expect(404);
  });

  it('a public endpoint is accepted; updating it to a refused one is a 400 that changes nothing', async () => {
    await strict.as(tsp.key).post('/api/v1/services').send(udf('public-udf', 'http://public.example/udf')).expect(201);
    const r = await strict.as(tsp.key).put('/api/v1/services/public-udf').send(udf('public-udf', 'http://internal.example/udf')).expect(400);
    expect(errorCode(r.body)).toBe('endpoint-refused');
    const kept = await strict.as(tsp.key).get('/api/v1/services/public-udf').expect(200);
    expect(kept.body.descriptor.endpoint).toBe('http://public.example/udf');
  });

  it('a descriptor that cannot serve as a UDF or a Context Handler is refused before it is stored', async () => {
    const ch = { ...contextHandler('get-ch', 'http://public.example/ch'), method: 'GET' };
    const r = await strict.as(dc.key).post('/api/v1/services').send(ch).expect(400);
    expect(errorCode(r.body)).toBe('bad-request');
    expect(r.body.error.message).toContain('POST');
    await strict.as(dc.key).get('/api/v1/services/get-ch').expect(404);
  });

  it('what the allow-list names is accepted: a host name, and a CIDR for a resolved address', async () => {
    const open = await startTestPlatform(provider, { outboundAllow: ['localhost', '10.0.0.0/8'] }, { resolveHost });
    try {
      const p = await createUser(open, 'tsp', ['trust-service-provider']);
      await open.as(p.key).post('/api/v1/services').send(udf('db-udf', 'http://localhost:5432')).expect(201);
      await open.as(p.key).post('/api/v1/services').send(udf('internal-udf', 'http://internal.example/udf')).expect(201);
      const refused = await open.as(p.key).post('/api/v1/services').send(udf('meta-udf', 'http://169.254.169.254/')).expect(400);
      expect(errorCode(refused.body)).toBe('endpoint-refused');
    } finally {
      await open.close();
    }
  });
});

describe.each(PROVIDERS)('a redirect to loopback at call time (%s)', (provider) => {
  let t: TestPlatform;
  let target: Stub;
  let redirector: Stub;

  beforeAll(async () => {
    // 127.0.0.2 is loopback too, but not on the tests' allow-list (127.0.0.1).
    target = await startStub((_req, res) => res.end('{"result": true}'), '127.0.0.2');
    redirector = await startStub((_req, res) => {
      res.writeHead(307, { Location: `${target.url}/steal` });
      res.end();
    });
    t = await startTestPlatform(provider, {}, { resolveHost });
  });
  afterAll(async () => {
    await t.close();
    await redirector.close();
    await target.close();
  });

  it('is not followed: the decision is Indeterminate naming the service and the refusal', async () => {
    const tsp = await createUser(t, 'tsp', ['trust-service-provider']);
    await t.as(tsp.key).post('/api/v1/services').send(udf('redirecting-udf', `${redirector.url}/udf`)).expect(201);
    const o = await ownerWithDomain(t, 'alice');
    await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).set('Content-Type', 'application/xml').send(policy).expect(201);
    const a = await ask(t, o.owner.key, o.pdpId, { subject: 'mallory', action: 'read' });
    expect(a.decision).toBe('Indeterminate');
    expect(a.statusCode).toBe(PROCESSING_ERROR);
    expect(a.statusMessage).toMatch(/trust service redirecting-udf: refused: .*127\.0\.0\.2/);
    expect(redirector.requests).toHaveLength(1);
    expect(target.requests).toHaveLength(0);
    await t.http().get('/healthz').expect(200);
  });
});
