/**
 * Contract tests of the self-configuring client against a real HTTP server on 127.0.0.1:
 * every message format, every failure mode, and the guards (breaker, cache, concurrency,
 * outbound policy).
 */
import { parseValue, type AttributeValue, type Bag } from '@safax/xacml';
import { createOutboundPolicy } from '../src/outbound-policy';
import { createUdfClient, udfDescriptorProblems, type UdfClient, type UdfClientOptions } from '../src/udf-client';
import { UdfCallError, UdfDescriptorError } from '../src/errors';
import { descriptor, XS } from './support/descriptors';
import { json, reset, startTestServer, type TestServer } from './support/test-server';

let s: TestServer;
const clients: UdfClient[] = [];
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  for (const c of clients) c.close();
  await s.close();
});
beforeEach(() => reset(s));

const policy = createOutboundPolicy({ allow: ['127.0.0.1'] });
function client(d: Parameters<typeof createUdfClient>[0], options: UdfClientOptions = {}): UdfClient {
  const c = createUdfClient(d, { policy, ...options });
  clients.push(c);
  return c;
}
const str = (v: string): AttributeValue => parseValue(`${XS}string`, v);

async function failure(p: Promise<unknown>): Promise<UdfCallError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UdfCallError);
  return e as UdfCallError;
}

describe('message formats', () => {
  it('json: a JSON object body, the result at a JSON pointer', async () => {
    s.handler = (_req, body, res) => json(res, { data: { ok: JSON.parse(body).user === 'alice' } });
    const c = client(
      descriptor({
        endpoint: `${s.url}/has`,
        responseParameters: [{ name: 'ok', datatype: `${XS}boolean`, location: { kind: 'json-pointer', pointer: '/data/ok' } }],
      }),
    );
    const v = (await c.call([str('alice')])) as AttributeValue;
    expect(v.datatype.id).toBe(`${XS}boolean`);
    expect(v.value).toBe(true);
    expect(s.lastRequests[0]).toMatchObject({ method: 'POST', url: '/has', body: '{"user":"alice"}' });
    expect(s.lastRequests[0]?.headers['content-type']).toBe('application/json');
  });

  it('json: bags travel as arrays and come back as a typed bag', async () => {
    s.handler = (_req, body, res) => json(res, { terms: (JSON.parse(body).words as string[]).map((w) => w.toUpperCase()) });
    const c = client(
      descriptor({
        endpoint: s.url,
        requestParameters: [{ name: 'words', datatype: `${XS}string`, bag: true }],
        responseParameters: [{ name: 'terms', datatype: `${XS}string`, bag: true, location: { kind: 'json-pointer', pointer: '/terms' } }],
      }),
    );
    const bag = (await c.call([{ kind: 'bag', datatype: `${XS}string`, values: [str('a'), str('b')] }])) as Bag;
    expect(bag.kind).toBe('bag');
    expect(bag.values.map((v) => v.value)).toEqual(['A', 'B']);
  });

  it('xml: an XML body, the result found by XPath', async () => {
    s.handler = (_req, body, res) => {
      const user = /<user>(.*)<\/user>/.exec(body)?.[1];
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(`<answer><score>${user === 'a&amp;b' ? '0.75' : '0'}</score></answer>`);
    };
    const c = client(
      descriptor({
        endpoint: s.url,
        requestFormat: 'xml',
        responseFormat: 'xml',
        responseParameters: [{ name: 'score', datatype: `${XS}double`, location: { kind: 'xpath', expression: '/answer/score' } }],
      }),
    );
    const v = (await c.call([str('a&b')])) as AttributeValue;
    expect(v.value).toBe(0.75);
    expect(s.lastRequests[0]?.body).toContain('<request><user>a&amp;b</user></request>');
  });

  it('xml: several nodes make a bag', async () => {
    s.handler = (_req, _body, res) => res.end('<r><t>x</t><t> y </t></r>');
    const c = client(
      descriptor({
        endpoint: s.url,
        requestFormat: 'xml',
        responseFormat: 'xml',
        responseParameters: [{ name: 't', datatype: `${XS}string`, bag: true, location: { kind: 'xpath', expression: '//t' } }],
      }),
    );
    expect(((await c.call([str('u')])) as Bag).values.map((v) => v.value)).toEqual(['x', 'y']);
  });

  it('query: GET with the arguments in the query string, a form-encoded answer field', async () => {
    s.handler = (req, _body, res) => {
      const q = new URL(req.url ?? '', 'http://x').searchParams;
      res.end(new URLSearchParams({ n: String(q.getAll('user').length), echo: q.get('user') ?? '' }).toString());
    };
    const c = client(
      descriptor({
        endpoint: `${s.url}/q?fixed=1`,
        method: 'GET',
        requestFormat: 'query',
        responseFormat: 'query',
        responseParameters: [{ name: 'echo', datatype: `${XS}string`, location: { kind: 'field', name: 'echo' } }],
      }),
    );
    expect(((await c.call([str('bob & co')])) as AttributeValue).value).toBe('bob & co');
    expect(s.lastRequests[0]?.url).toBe('/q?fixed=1&user=bob+%26+co');
  });

  it('form: a form-encoded body, the whole answer body as the value', async () => {
    s.handler = (_req, body, res) => res.end(`${new URLSearchParams(body).get('n')}\n`);
    const c = client(
      descriptor({
        endpoint: s.url,
        requestFormat: 'form',
        responseFormat: 'form',
        requestParameters: [{ name: 'n', datatype: `${XS}integer` }],
        responseParameters: [{ name: 'n', datatype: `${XS}integer`, location: { kind: 'body' } }],
      }),
    );
    const v = (await c.call([parseValue(`${XS}integer`, '12345678901234567890')])) as AttributeValue;
    expect(v.value).toBe(12345678901234567890n);
    expect(s.lastRequests[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });
});

describe('failures become a typed error naming the service and the cause', () => {
  const boolService = (): UdfClient => client(descriptor({ id: 'cred-svc', endpoint: s.url, timeoutMs: 200 }));

  it('a service that hangs: timeout within the declared deadline', async () => {
    s.handler = () => undefined;
    const started = Date.now();
    const e = await failure(boolService().call([str('a')]));
    expect(e.reason).toBe('timeout');
    expect(e.message).toMatch(/^trust service cred-svc: timeout: /);
    expect(e.status.code).toBe('urn:oasis:names:tc:xacml:1.0:status:processing-error');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('HTTP 500', async () => {
    s.handler = (_req, _body, res) => json(res, { error: 'boom' }, 500);
    const e = await failure(boolService().call([str('a')]));
    expect(e.reason).toBe('http-status');
    expect(e.message).toBe('trust service cred-svc: http-status: HTTP 500');
  });

  it('garbage instead of JSON', async () => {
    s.handler = (_req, _body, res) => res.end('<html>oops</html>');
    const e = await failure(boolService().call([str('a')]));
    expect(e.reason).toBe('bad-response');
    expect(e.message).toContain('not JSON');
  });

  it('the declared location is missing', async () => {
    s.handler = (_req, _body, res) => json(res, { other: true });
    expect((await failure(boolService().call([str('a')]))).reason).toBe('bad-response');
  });

  it('a huge body is cut at the bound', async () => {
    s.handler = (_req, _body, res) => res.end(`{"result":true,"pad":"${'x'.repeat(200_000)}"}`);
    const e = await failure(client(descriptor({ endpoint: s.url }), { maxResponseBytes: 10_000 }).call([str('a')]));
    expect(e.reason).toBe('too-large');
  });

  it('the wrong type: a string where a boolean is declared', async () => {
    s.handler = (_req, _body, res) => json(res, { result: 'maybe' });
    const e = await failure(boolService().call([str('a')]));
    expect(e.reason).toBe('wrong-type');
    expect(e.message).toContain('"maybe" is not a valid boolean');
  });

  it('the wrong shape: an object, or several values where one is declared', async () => {
    s.handler = (_req, _body, res) => json(res, { result: { nested: true } });
    expect((await failure(boolService().call([str('a')]))).reason).toBe('wrong-type');
    s.handler = (_req, _body, res) => json(res, { result: [true, false] });
    const e = await failure(boolService().call([str('a')]));
    expect(e.reason).toBe('wrong-type');
    expect(e.message).toContain('exactly one');
  });

  it('XML with a DOCTYPE is refused unread', async () => {
    s.handler = (_req, _body, res) => res.end('<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>');
    const c = client(
      descriptor({ endpoint: s.url, requestFormat: 'xml', responseFormat: 'xml', responseParameters: [{ name: 'r', datatype: `${XS}string`, location: { kind: 'xpath', expression: '/r' } }] }),
    );
    expect((await failure(c.call([str('a')]))).message).toContain('DOCTYPE');
  });

  it('arguments that do not fit the declared parameters', async () => {
    const e = await failure(boolService().call([parseValue(`${XS}integer`, '1')]));
    expect(e.reason).toBe('invalid-arguments');
    expect(s.requests).toBe(0);
  });
});

describe('guards', () => {
  it('the circuit breaker opens after N failures, then lets one trial through after the cool-down', async () => {
    let t = 0;
    s.handler = (_req, _body, res) => res.writeHead(503).end();
    const c = client(descriptor({ endpoint: s.url }), { failureThreshold: 3, cooldownMs: 10_000, now: () => t });
    for (let i = 0; i < 3; i++) expect((await failure(c.call([str(`u${i}`)]))).reason).toBe('http-status');
    expect(c.stats().breaker).toBe('open');
    const e = await failure(c.call([str('u9')]));
    expect(e.reason).toBe('circuit-open');
    expect(e.message).toContain('test-service');
    expect(s.requests).toBe(3);

    t = 10_000;
    expect(c.stats().breaker).toBe('half-open');
    expect((await failure(c.call([str('u10')]))).reason).toBe('http-status');
    expect(c.stats().breaker).toBe('open');
    expect(s.requests).toBe(4);

    t = 20_000;
    s.handler = (_req, _body, res) => json(res, { result: true });
    expect(((await c.call([str('u11')])) as AttributeValue).value).toBe(true);
    expect(c.stats().breaker).toBe('closed');
    expect(c.stats().consecutiveFailures).toBe(0);
  });

  it('caches results for the declared TTL, keyed by the arguments', async () => {
    let t = 0;
    let answer = true;
    s.handler = (_req, _body, res) => json(res, { result: answer });
    const c = client(descriptor({ endpoint: s.url, cacheTtlSeconds: 60 }), { now: () => t });
    expect(((await c.call([str('a')])) as AttributeValue).value).toBe(true);
    answer = false;
    t = 59_000;
    expect(((await c.call([str('a')])) as AttributeValue).value).toBe(true);
    expect(s.requests).toBe(1);
    expect(((await c.call([str('b')])) as AttributeValue).value).toBe(false);
    expect(s.requests).toBe(2);
    t = 60_000;
    expect(((await c.call([str('a')])) as AttributeValue).value).toBe(false);
    expect(s.requests).toBe(3);
  });

  it('does not cache when the TTL is 0, nor cache failures', async () => {
    let fail = true;
    s.handler = (_req, _body, res) => (fail ? res.writeHead(500).end() : json(res, { result: true }));
    const c = client(descriptor({ endpoint: s.url, cacheTtlSeconds: 0 }));
    await failure(c.call([str('a')]));
    fail = false;
    await c.call([str('a')]);
    await c.call([str('a')]);
    expect(s.requests).toBe(3);
  });

  it('merges identical calls in flight into one request', async () => {
    s.handler = (_req, _body, res) => setTimeout(() => json(res, { result: true }), 50);
    const c = client(descriptor({ endpoint: s.url }));
    const results = await Promise.all([c.call([str('same')]), c.call([str('same')]), c.call([str('same')])]);
    expect(results.map((r) => (r as AttributeValue).value)).toEqual([true, true, true]);
    expect(s.requests).toBe(1);
  });

  it('bounds concurrency per service and refuses beyond the queue', async () => {
    s.handler = (_req, _body, res) => setTimeout(() => json(res, { result: true }), 80);
    const c = client(descriptor({ endpoint: s.url, timeoutMs: 5000 }), { maxConcurrent: 2, maxQueued: 3 });
    const calls = Array.from({ length: 6 }, (_, i) => c.call([str(`user${i}`)]).then(
      () => 'ok',
      (e: UdfCallError) => e.reason,
    ));
    const outcomes = await Promise.all(calls);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'overloaded')).toHaveLength(1);
    expect(s.maxInFlight).toBe(2);
    expect(s.requests).toBe(5);
  });

  it('reports every call, cached or not, to onCall', async () => {
    let t = 0;
    const events: unknown[] = [];
    s.handler = (_req, _body, res) => json(res, { result: true });
    const c = client(descriptor({ endpoint: s.url, cacheTtlSeconds: 10 }), { now: () => t, onCall: (e) => events.push(e) });
    await c.call([str('a')]);
    t = 5;
    await c.call([str('a')]);
    expect(events).toEqual([
      { serviceId: 'test-service', functionUrn: 'urn:test:udf:fn', args: [['a']], result: ['true'], cached: false, durationMs: 0 },
      { serviceId: 'test-service', functionUrn: 'urn:test:udf:fn', args: [['a']], result: ['true'], cached: true, durationMs: 0 },
    ]);
  });
});

describe('outbound policy', () => {
  it('refuses a loopback endpoint that is not allow-listed, without a request', async () => {
    const c = client(descriptor({ endpoint: s.url }), { policy: createOutboundPolicy() });
    const e = await failure(c.call([str('a')]));
    expect(e.reason).toBe('refused');
    expect(e.message).toContain('loopback');
    expect(s.requests).toBe(0);
  });

  it('refuses a redirect to a refused address', async () => {
    s.handler = (_req, _body, res) => res.writeHead(302, { location: `http://[::1]:${s.port}/` }).end();
    const e = await failure(client(descriptor({ endpoint: s.url })).call([str('a')]));
    expect(e.reason).toBe('refused');
  });

  it('a refusal does not count against the breaker', async () => {
    const c = client(descriptor({ endpoint: s.url }), { policy: createOutboundPolicy(), failureThreshold: 1 });
    await failure(c.call([str('a')]));
    expect(c.stats().breaker).toBe('closed');
  });
});

describe('descriptor checks', () => {
  it('refuses a descriptor that cannot back a UDF', () => {
    const d = descriptor({ endpoint: s.url, type: 'other', functionUrn: undefined });
    expect(udfDescriptorProblems(d)).toEqual(['its type is other, not udf', 'it names no function URN']);
    expect(() => createUdfClient(d)).toThrow(UdfDescriptorError);
    const bad = descriptor({ endpoint: s.url, responseFormat: 'xml', responseParameters: [{ name: 'r', datatype: `${XS}string`, location: { kind: 'xpath', expression: '///[' } }] });
    expect(udfDescriptorProblems(bad)[0]).toContain('does not compile');
  });
});
