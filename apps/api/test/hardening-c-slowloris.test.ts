/**
 * Issue 14, item 9: a client that trickles its request (slowloris) is answered 408 and cut off
 * within the configured timeouts, while everyone else is served meanwhile. The timeouts are set
 * short here; the defaults and their environment variables are checked too.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configFromEnv } from '../src/config/app-config';
import { createHttpServer, listen } from '../src/server/http-server';
import { startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

const HEADERS_MS = 400;
const REQUEST_MS = 800;

interface Trickle {
  readonly closedAfterMs: number;
  readonly received: string;
}

/** Opens a raw connection, writes `head`, then one byte of `drip` every 50 ms until the server closes it. */
function trickle(port: number, head: string, drip: string): Promise<Trickle> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let received = '';
    let timer: NodeJS.Timeout | undefined;
    const socket: Socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      let i = 0;
      timer = setInterval(() => {
        if (!socket.destroyed && socket.writable) socket.write(drip[i++ % drip.length] ?? ' ');
      }, 50);
    });
    // A cut that outruns a write shows as a reset: still a close by the server.
    socket.on('error', () => undefined);
    socket.on('data', (d) => (received += d.toString('latin1')));
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ closedAfterMs: Date.now() - started, received });
    });
    // Never hang the suite: a connection still open after 5 s fails the expectations below.
    setTimeout(() => {
      if (!socket.destroyed) {
        socket.destroy();
        reject(new Error('the server kept the slow connection open for 5 s'));
      }
    }, 5000).unref();
  });
}

describe('slow clients (slowloris)', () => {
  let t: TestPlatform;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    t = await startTestPlatform('sqlite');
    server = await listen(createHttpServer(t.platform.app, { headersTimeoutMs: HEADERS_MS, requestTimeoutMs: REQUEST_MS, keepAliveTimeoutMs: 300 }), 0, '127.0.0.1');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  const healthz = async (): Promise<number> => (await fetch(`http://127.0.0.1:${port}/healthz`)).status;

  it('cuts off a body trickled byte by byte within the request timeout, serving others meanwhile', async () => {
    const head = 'POST /api/v1/guest HTTP/1.1\r\nHost: safax.test\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{';
    const slow = trickle(port, head, ' ');
    const answered: number[] = [];
    const started = Date.now();
    while (Date.now() - started < REQUEST_MS / 2) answered.push(await healthz());
    const r = await slow;
    expect(answered.length).toBeGreaterThan(0);
    expect(new Set(answered)).toEqual(new Set([200]));
    expect(r.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(r.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_MS - 50);
    // The sweep runs every quarter of the shortest timeout: a little late at most.
    expect(r.closedAfterMs).toBeLessThan(REQUEST_MS + HEADERS_MS);
    // ...and nothing was created by the half-sent request.
    const principals = await t.as(t.adminKey).get('/api/v1/principals').expect(200);
    expect(principals.body.items.map((p: { name: string }) => p.name)).toEqual(['admin']);
  });

  it('cuts off headers trickled byte by byte within the headers timeout', async () => {
    const r = await trickle(port, 'GET /healthz HTTP/1.1\r\n', 'X-Slow: aaaaaaaaaaaaaaaa\r\n');
    expect(r.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(r.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_MS - 50);
    expect(r.closedAfterMs).toBeLessThan(HEADERS_MS * 2);
    expect(await healthz()).toBe(200);
  });

  it('reads the timeouts from the environment, with defaults that bound a slow client in 20 s', () => {
    expect(configFromEnv({})).toMatchObject({ headersTimeoutMs: 10_000, requestTimeoutMs: 20_000, keepAliveTimeoutMs: 5_000 });
    expect(configFromEnv({ SAFAX_HEADERS_TIMEOUT_MS: '2000', SAFAX_REQUEST_TIMEOUT_MS: '3000', SAFAX_KEEP_ALIVE_TIMEOUT_MS: '1000' })).toMatchObject({ headersTimeoutMs: 2000, requestTimeoutMs: 3000, keepAliveTimeoutMs: 1000 });
    expect(() => configFromEnv({ SAFAX_HEADERS_TIMEOUT_MS: '5000', SAFAX_REQUEST_TIMEOUT_MS: '3000' })).toThrow(/SAFAX_HEADERS_TIMEOUT_MS must not exceed SAFAX_REQUEST_TIMEOUT_MS/);
    expect(() => configFromEnv({ SAFAX_REQUEST_TIMEOUT_MS: 'soon' })).toThrow(/SAFAX_REQUEST_TIMEOUT_MS/);
  });
});
