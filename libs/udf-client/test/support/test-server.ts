/**
 * A scriptable HTTP server on 127.0.0.1 for contract tests: each test sets the handler; the
 * server counts requests and tracks how many are in flight at once.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

export interface TestServer {
  readonly url: string;
  readonly port: number;
  handler: Handler;
  requests: number;
  inFlight: number;
  maxInFlight: number;
  readonly lastRequests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

export async function startTestServer(host = '127.0.0.1'): Promise<TestServer> {
  const state: TestServer = {
    url: '',
    port: 0,
    handler: (_req, _body, res) => res.end('no handler'),
    requests: 0,
    inFlight: 0,
    maxInFlight: 0,
    lastRequests: [],
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    state.requests++;
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    res.on('close', () => state.inFlight--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      state.lastRequests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      state.handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  Object.assign(state, {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return state;
}

export function reset(s: TestServer): void {
  s.requests = 0;
  s.inFlight = 0;
  s.maxInFlight = 0;
  s.lastRequests.length = 0;
}

export function json(res: http.ServerResponse, value: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}
