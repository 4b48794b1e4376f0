/**
 * Every way of not getting a usable answer denies, with its cause: timeouts, network errors,
 * 5xx, 429, malformed answers, resets, aborts, invalid requests, a closed client. Retries
 * happen only where no decision can have been made; the circuit breaker opens and recovers.
 * The PDP here is a scripted local server (support/stub-pdp.ts) or a closed port.
 */
import { action, createPdpClient, resource, subject } from '../src/index';
import type { PdpClient, PdpClientOptions, PepEvent, PepRequest } from '../src/index';
import { PERMIT_JSON, closedPortUrl, permit, startStubPdp, status } from './support/stub-pdp';
import type { StubPdp } from './support/stub-pdp';

// Starting the platform and its databases is slow on a loaded machine; timing is never asserted here.
jest.setTimeout(60_000);

const request: PepRequest = { subject: subject('alice', { type: 'user' }), action: action('read'), resource: resource('doc', { type: 'file' }) };

describe('fail closed', () => {
  let stub: StubPdp;
  const clients: PdpClient[] = [];
  const client = (more: Partial<PdpClientOptions> = {}): PdpClient => {
    const c = createPdpClient({ pdpUrl: stub.url, format: 'xacml-json', timeoutMs: 1000, retryDelayMs: 1, ...more });
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    stub = await startStubPdp();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await stub.close();
  });

  it('a Permit from the stub is granted (the baseline the other cases break)', async () => {
    const r = await client().decide(request);
    expect(r).toMatchObject({ decision: 'Permit', allowed: true, transactionId: 'tx-stub' });
    expect(JSON.parse(stub.bodies[0]!).Request.Category).toHaveLength(3);
  });

  it('timeout: no answer within timeoutMs denies, and is not retried', async () => {
    stub.script({ kind: 'hang' });
    const r = await client({ timeoutMs: 150, retries: 3 }).decide(request);
    expect(r).toMatchObject({ decision: 'Indeterminate', allowed: false, enforced: 'Deny', cause: { code: 'timeout' } });
    expect(stub.requests).toBe(1);
  });

  it('network: a closed port denies after the bounded retries (nothing was sent, so retrying is safe)', async () => {
    const events: PepEvent[] = [];
    const c = createPdpClient({ pdpUrl: await closedPortUrl(), retries: 2, retryDelayMs: 1, onEvent: (e) => events.push(e) });
    clients.push(c);
    const r = await c.decide(request);
    expect(r).toMatchObject({ allowed: false, cause: { code: 'network' } });
    expect(r.cause!.message).toContain('ECONNREFUSED');
    expect(c.stats()).toMatchObject({ attempts: 3, retries: 2 });
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'denied', cause: { code: 'network' } });
  });

  it('a connection reset after the request was sent is not retried (the PDP may have decided)', async () => {
    stub.script({ kind: 'reset' }, permit());
    const c = client({ retries: 3 });
    const r = await c.decide(request);
    expect(r).toMatchObject({ allowed: false, cause: { code: 'network' } });
    expect(stub.requests).toBe(1);
    expect(c.stats().retries).toBe(0);
  });

  it('500 denies and is not retried', async () => {
    stub.script(status(500), permit());
    const r = await client({ retries: 3 }).decide(request);
    expect(r).toMatchObject({ allowed: false, cause: { code: 'server-error', httpStatus: 500 } });
    expect(stub.requests).toBe(1);
  });

  it('502, 503 and 504 are retried (bounded), then the answer counts', async () => {
    stub.script(status(502), status(503, { 'Retry-After': '0' }), status(504), permit());
    const c = client({ retries: 3 });
    const r = await c.decide(request);
    expect(r).toMatchObject({ decision: 'Permit', allowed: true });
    expect(stub.requests).toBe(4);
    expect(c.stats().retries).toBe(3);
  });

  it('a 503 that keeps coming denies after retries + 1 requests; a Retry-After beyond maxRetryDelayMs is not waited for', async () => {
    stub.script(status(503));
    const r = await client({ retries: 2 }).decide(request);
    expect(r).toMatchObject({ allowed: false, cause: { code: 'server-error', httpStatus: 503 } });
    expect(stub.requests).toBe(3);
    stub.script(status(503, { 'Retry-After': '120' }), permit());
    const later = await client({ retries: 2 }).decide(request);
    expect(later).toMatchObject({ allowed: false, cause: { code: 'server-error' } });
    expect(stub.requests).toBe(1);
  });

  it('429 is retried, then denies as rate-limited', async () => {
    stub.script(status(429, { 'Retry-After': '0' }));
    const r = await client({ retries: 1 }).decide(request);
    expect(r).toMatchObject({ allowed: false, cause: { code: 'rate-limited', httpStatus: 429 } });
    expect(stub.requests).toBe(2);
  });

  it('malformed answers deny: garbage, wrong media type, an unknown decision, two results for one request, too large, a 204', async () => {
    const cases = [
      { kind: 'answer', status: 200, body: 'this is not json', type: 'application/xacml+json' },
      { kind: 'answer', status: 200, body: PERMIT_JSON, type: 'text/html' },
      { kind: 'answer', status: 200, body: '{"Response":[{"Decision":"Maybe"}]}', type: 'application/xacml+json' },
      { kind: 'answer', status: 200, body: JSON.stringify({ Response: [JSON.parse(PERMIT_JSON).Response[0], JSON.parse(PERMIT_JSON).Response[0]] }), type: 'application/xacml+json' },
      { kind: 'answer', status: 200, body: PERMIT_JSON.replace('"Permit"', `"Permit","Obligations":[{"Id":"${'x'.repeat(5000)}"}]`), type: 'application/xacml+json' },
      { kind: 'answer', status: 204, body: '', type: 'application/xacml+json' },
    ] as const;
    for (const b of cases) {
      stub.script(b);
      const r = await client({ maxResponseBytes: 4096, retries: 0 }).decide(request);
      expect(r).toMatchObject({ decision: 'Indeterminate', allowed: false, cause: { code: 'malformed-response' } });
    }
    // The XML and AuthZEN readers refuse garbage too (an XML answer with a DOCTYPE, a boolean that is not one).
    stub.script({ kind: 'answer', status: 200, body: '<!DOCTYPE x [<!ENTITY a "b">]><Response xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17"><Result><Decision>Permit</Decision></Result></Response>', type: 'application/xacml+xml' });
    expect((await client({ format: 'xacml-xml' }).decide(request)).cause?.code).toBe('malformed-response');
    stub.script({ kind: 'answer', status: 200, body: '{"decision":"yes"}', type: 'application/json' });
    expect((await client({ format: 'authzen' }).decide(request)).cause?.code).toBe('malformed-response');
    stub.script({ kind: 'answer', status: 200, body: '{"decision":true,"context":{"xacml_decision":"Deny","status":"ok"}}', type: 'application/json' });
    expect((await client({ format: 'authzen' }).decide(request)).cause?.code).toBe('malformed-response');
  });

  it("the caller's abort denies as aborted", async () => {
    stub.script({ kind: 'hang' });
    const ctrl = new AbortController();
    const pending = client({ timeoutMs: 5000 }).decide(request, { signal: ctrl.signal });
    ctrl.abort();
    expect(await pending).toMatchObject({ allowed: false, cause: { code: 'aborted' } });
  });

  it('an invalid request is refused locally, and a closed client denies', async () => {
    const c = client();
    const bad = await c.decide({ ...request, subject: { id: '' } });
    expect(bad).toMatchObject({ allowed: false, cause: { code: 'invalid-request' } });
    expect(bad.cause!.message).toContain('subject.id');
    const mixed = await c.decide({ ...request, environment: { flags: [true, 'x'] } });
    expect(mixed.cause?.code).toBe('invalid-request');
    expect(stub.requests).toBe(0);
    await c.close();
    expect((await c.decide(request)).cause?.code).toBe('closed');
    expect((await c.decideMany([request, request])).map((r) => r.cause?.code)).toEqual(['closed', 'closed']);
  });

  it('decideMany: a transport failure denies every item of that round trip; an invalid item denies alone', async () => {
    stub.script(status(500));
    const results = await client({ retries: 0 }).decideMany([request, { ...request, action: { name: '' } }, request]);
    expect(results.map((r) => r.cause?.code)).toEqual(['server-error', 'invalid-request', 'server-error']);
    expect(stub.requests).toBe(1);
  });

  it('the circuit breaker opens after consecutive failures, sends nothing while open, and recovers', async () => {
    const states: string[] = [];
    stub.script(status(500));
    const c = client({ retries: 0, breaker: { failureThreshold: 2, halfOpenAfterMs: 100 }, onEvent: (e) => e.type === 'breaker' && states.push(e.state) });
    expect((await c.decide(request)).cause?.code).toBe('server-error');
    expect((await c.decide(request)).cause?.code).toBe('server-error');
    expect(c.stats().breaker).toBe('open');
    const open = await c.decide(request);
    expect(open).toMatchObject({ allowed: false, cause: { code: 'circuit-open' } });
    expect(stub.requests).toBe(2);
    // Refusals of the request (4xx) and the caller's aborts do not count against the PDP.
    stub.script(permit());
    await new Promise((r) => setTimeout(r, 120));
    const trial = await c.decide(request);
    expect(trial).toMatchObject({ decision: 'Permit', allowed: true });
    expect(c.stats().breaker).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('a 4xx does not open the breaker', async () => {
    stub.script(status(404));
    const c = client({ retries: 0, breaker: { failureThreshold: 1, halfOpenAfterMs: 60_000 } });
    for (let i = 0; i < 3; i++) expect((await c.decide(request)).cause?.code).toBe('rejected');
    expect(c.stats().breaker).toBe('closed');
    expect(stub.requests).toBe(3);
  });

  it('keeps connections alive: many decisions, few sockets', async () => {
    stub.script(permit());
    const c = client({ connections: 2 });
    const results = await Promise.all(Array.from({ length: 20 }, () => c.decide(request)));
    expect(results.every((r) => r.allowed)).toBe(true);
    expect(stub.requests).toBe(20);
  });
});

describe('options are checked when the client is created', () => {
  it.each([
    [{ pdpUrl: 'ftp://x/pdp/1' }, 'pdpUrl'],
    [{ pdpUrl: 'not a url' }, 'pdpUrl'],
    [{ pdpUrl: 'http://x/pdp/1', format: 'soap' }, 'format'],
    [{ pdpUrl: 'http://x/pdp/1', timeoutMs: 0 }, 'timeoutMs'],
    [{ pdpUrl: 'http://x/pdp/1', retries: -1 }, 'retries'],
    [{ pdpUrl: 'http://x/pdp/1', cache: { ttlMs: 0 } }, 'cache.ttlMs'],
    [{ pdpUrl: 'http://x/pdp/1', maxBatchSize: 5000 }, 'maxBatchSize'],
    [{ pdpUrl: 'http://x/pdp/1', obligations: { 'urn:x': 'not a function' } }, 'obligations'],
    [{ pdpUrl: 'http://x/pdp/1', apiKey: 'a\r\nInjected: 1' }, 'apiKey'],
  ])('%j → PepConfigError naming %s', (options, name) => {
    expect(() => createPdpClient(options as unknown as PdpClientOptions)).toThrow(expect.objectContaining({ name: 'PepConfigError', message: expect.stringContaining(name) }));
  });
});
