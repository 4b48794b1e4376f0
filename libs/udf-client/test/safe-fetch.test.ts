/**
 * The outbound exchange against real servers on 127.0.0.1: the policy is applied before
 * connecting, at connection time (resolved address), and on every redirect; deadline and
 * size bounds hold. Every refusal test asserts the server saw no request.
 * Safety of the test itself: a refused non-loopback target is first checked to be refused by
 * checkEndpointAllowed, so no traffic can leave the machine even if the code under test erred.
 */
import { checkEndpointAllowed, createOutboundPolicy, type HostResolver, type OutboundPolicy } from '../src/outbound-policy';
import { createSafeFetcher, OutboundError, safeFetch, type SafeRequest } from '../src/safe-fetch';
import { reset, startTestServer, type TestServer } from './support/test-server';

let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  a = await startTestServer();
  b = await startTestServer();
});
afterAll(async () => {
  await a.close();
  await b.close();
});
beforeEach(() => {
  reset(a);
  reset(b);
  a.handler = (_req, _body, res) => res.end('hello');
  b.handler = (_req, _body, res) => res.end('from b');
});

const loopbackOnly = createOutboundPolicy({ allow: ['127.0.0.1'] });
const req = (url: string, extra: Partial<SafeRequest> = {}): SafeRequest => ({ url, method: 'GET', timeoutMs: 2000, maxResponseBytes: 1024, ...extra });

async function refusal(p: Promise<unknown>): Promise<OutboundError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(OutboundError);
  return e as OutboundError;
}

/** Refuses to run the fetch unless the target is refused by the policy (no stray traffic). */
async function mustBeRefusedFirst(url: string, policy: OutboundPolicy): Promise<void> {
  const check = await checkEndpointAllowed(url, policy);
  if (check.ok) throw new Error(`test guard: ${url} would be allowed; not sending`);
}

describe('safeFetch', () => {
  it('fetches from an allow-listed loopback server', async () => {
    const r = await safeFetch(req(`${a.url}/x?y=1`), loopbackOnly);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('hello');
    expect(a.lastRequests[0]?.url).toBe('/x?y=1');
  });

  it('refuses loopback under the default policy, without connecting', async () => {
    const e = await refusal(safeFetch(req(a.url), createOutboundPolicy()));
    expect(e.code).toBe('refused');
    expect(e.message).toContain('loopback');
    expect(a.requests).toBe(0);
  });

  it('refuses localhost by its resolved address', async () => {
    const e = await refusal(safeFetch(req(`http://localhost:${a.port}/`), createOutboundPolicy()));
    expect(e.code).toBe('refused');
    expect(a.requests).toBe(0);
  });

  it('refuses the metadata address', async () => {
    await mustBeRefusedFirst('http://169.254.169.254/latest/meta-data/', loopbackOnly);
    const e = await refusal(safeFetch(req('http://169.254.169.254/latest/meta-data/'), loopbackOnly));
    expect(e.code).toBe('refused');
    expect(e.message).toContain('linkLocal');
  });

  it('refuses at connection time a host name that resolves to 10.x', async () => {
    const policy = createOutboundPolicy({ allow: ['127.0.0.1'], resolve: async () => [{ address: '10.0.0.5', family: 4 }] });
    await mustBeRefusedFirst('http://internal.test/', policy);
    const e = await refusal(safeFetch(req('http://internal.test/'), policy));
    expect(e.code).toBe('refused');
    expect(e.message).toContain('10.0.0.5');
  });

  it('closes the DNS-rebinding gap: the address used is the address checked', async () => {
    let calls = 0;
    // First answer public (what a registration-time check sees), then loopback.
    const rebinding: HostResolver = async () => (calls++ === 0 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]);
    const policy = createOutboundPolicy({ resolve: rebinding });
    expect(await checkEndpointAllowed(`http://rebind.test:${a.port}/`, policy)).toMatchObject({ ok: true });
    const e = await refusal(safeFetch(req(`http://rebind.test:${a.port}/`), policy));
    expect(e.code).toBe('refused');
    expect(calls).toBe(2);
    expect(a.requests).toBe(0);
  });

  it('connects to an allowed name through the checked address', async () => {
    const policy = createOutboundPolicy({ allow: ['127.0.0.1'], resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    const r = await safeFetch(req(`http://svc.test:${a.port}/hi`), policy);
    expect(r.body.toString()).toBe('hello');
    expect(a.lastRequests[0]?.headers.host).toBe(`svc.test:${a.port}`);
  });

  it('follows redirects on allowed targets, checking each hop', async () => {
    a.handler = (req, _body, res) => {
      if (req.url === '/start') res.writeHead(302, { location: '/next' }).end();
      else res.end(`at ${req.url}`);
    };
    const r = await safeFetch(req(`${a.url}/start`), loopbackOnly);
    expect(r.body.toString()).toBe('at /next');
    expect(r.redirects).toBe(1);
    expect(r.url).toBe(`${a.url}/next`);
  });

  it('refuses a redirect to a loopback address that is not allow-listed', async () => {
    a.handler = (_req, _body, res) => res.writeHead(307, { location: `http://127.0.0.2:${a.port}/` }).end();
    const e = await refusal(safeFetch(req(a.url), loopbackOnly));
    expect(e.code).toBe('refused');
    expect(e.message).toContain('127.0.0.2');
    expect(a.requests).toBe(1);
  });

  it('refuses a redirect to a name that resolves to loopback', async () => {
    const policy = createOutboundPolicy({ allow: ['127.0.0.1/32'], resolve: async (h) => (h === 'evil.test' ? [{ address: '127.0.0.3', family: 4 }] : []) });
    a.handler = (_req, _body, res) => res.writeHead(302, { location: `http://evil.test:${a.port}/` }).end();
    const e = await refusal(safeFetch(req(a.url), policy));
    expect(e.code).toBe('refused');
    expect(a.requests).toBe(1);
  });

  it('refuses a redirect to the metadata address', async () => {
    await mustBeRefusedFirst('http://169.254.169.254/', loopbackOnly);
    a.handler = (_req, _body, res) => res.writeHead(301, { location: 'http://169.254.169.254/' }).end();
    const e = await refusal(safeFetch(req(a.url), loopbackOnly));
    expect(e.code).toBe('refused');
  });

  it('bounds the number of redirects', async () => {
    a.handler = (_req, _body, res) => res.writeHead(302, { location: '/again' }).end();
    const e = await refusal(safeFetch(req(a.url, { maxRedirects: 2 }), loopbackOnly));
    expect(e.code).toBe('too-many-redirects');
    expect(a.requests).toBe(3);
  });

  it('turns a POST into a GET on 303 and drops credentials across origins', async () => {
    a.handler = (_req, _body, res) => res.writeHead(303, { location: `${b.url}/done` }).end();
    b.handler = (req, body, res) => res.end(`${req.method} ${body.length} ${req.headers.authorization ?? 'no-auth'}`);
    const r = await safeFetch(req(a.url, { method: 'POST', body: 'x=1', headers: { authorization: 'Bearer s3cret', 'content-type': 'text/plain' } }), loopbackOnly);
    expect(r.body.toString()).toBe('GET 0 no-auth');
    expect(a.lastRequests[0]?.headers.authorization).toBe('Bearer s3cret');
  });

  it('keeps method and body on 307', async () => {
    a.handler = (req, body, res) => (req.url === '/' ? res.writeHead(307, { location: '/b' }).end() : res.end(`${req.method} ${body}`));
    const r = await safeFetch(req(a.url, { method: 'PUT', body: 'payload' }), loopbackOnly);
    expect(r.body.toString()).toBe('PUT payload');
  });

  it('gives up after the deadline on a service that hangs', async () => {
    a.handler = () => undefined;
    const started = Date.now();
    const e = await refusal(safeFetch(req(a.url, { timeoutMs: 150 }), loopbackOnly));
    expect(e.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('gives up when the body trickles past the deadline', async () => {
    a.handler = (_req, _body, res) => {
      res.writeHead(200);
      res.write('x');
    };
    const e = await refusal(safeFetch(req(a.url, { timeoutMs: 150 }), loopbackOnly));
    expect(e.code).toBe('timeout');
  });

  it('refuses a body declared larger than the bound', async () => {
    a.handler = (_req, _body, res) => res.writeHead(200, { 'content-length': '100000' }).end('x'.repeat(100000));
    const e = await refusal(safeFetch(req(a.url, { maxResponseBytes: 1000 }), loopbackOnly));
    expect(e.code).toBe('too-large');
  });

  it('cuts a streamed body as soon as it exceeds the bound', async () => {
    let written = 0;
    a.handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'y'.repeat(16 * 1024);
      const pump = (): void => {
        // Bounded: stops on its own after 64 MiB or when the client goes away.
        while (!res.destroyed && written < 64 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    };
    const e = await refusal(safeFetch(req(a.url, { maxResponseBytes: 100_000 }), loopbackOnly));
    expect(e.code).toBe('too-large');
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });

  it('reports a connection failure as network', async () => {
    const closed = await startTestServer();
    const url = closed.url;
    await closed.close();
    const e = await refusal(safeFetch(req(url), loopbackOnly));
    expect(e.code).toBe('network');
  });

  it('reuses connections through its own pool and can be closed', async () => {
    const f = createSafeFetcher(loopbackOnly);
    for (let i = 0; i < 3; i++) expect((await f.fetch(req(a.url))).status).toBe(200);
    f.close();
    expect(a.requests).toBe(3);
  });
});
