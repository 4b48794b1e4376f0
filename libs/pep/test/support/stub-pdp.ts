/**
 * A scripted PDP on 127.0.0.1 for the failure paths the real platform does not produce on
 * demand (timeouts, 5xx, garbage, resets). Each request is answered by the next scripted
 * behaviour (the last one repeats); every request is counted.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour =
  | { readonly kind: 'answer'; readonly status: number; readonly body: string; readonly type?: string; readonly headers?: Record<string, string> }
  /** Reads the request, then never answers. */
  | { readonly kind: 'hang' }
  /** Reads the request, then resets the connection. */
  | { readonly kind: 'reset' };

export const PERMIT_JSON = JSON.stringify({ Response: [{ Decision: 'Permit', Status: { StatusCode: { Value: 'urn:oasis:names:tc:xacml:1.0:status:ok' } } }] });

export const permit = (): Behaviour => ({ kind: 'answer', status: 200, body: PERMIT_JSON, type: 'application/xacml+json', headers: { 'X-Transaction-Id': 'tx-stub' } });
export const status = (code: number, headers: Record<string, string> = {}): Behaviour => ({ kind: 'answer', status: code, body: '{"error":{"code":"x","message":"x"}}', type: 'application/json', headers });

export interface StubPdp {
  readonly url: string;
  readonly requests: number;
  readonly bodies: string[];
  /** Replaces the script and resets the request count. */
  script(...behaviours: Behaviour[]): void;
  close(): Promise<void>;
}

export async function startStubPdp(...initial: Behaviour[]): Promise<StubPdp> {
  let script: Behaviour[] = initial.length > 0 ? initial : [permit()];
  let next = 0;
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      const b = script[Math.min(next, script.length - 1)]!;
      next++;
      if (b.kind === 'hang') return;
      if (b.kind === 'reset') {
        req.socket.resetAndDestroy();
        return;
      }
      res.writeHead(b.status, { 'Content-Type': b.type ?? 'application/json', ...(b.headers ?? {}) });
      res.end(b.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pdp/stub`;
  return {
    url,
    get requests() {
      return bodies.length;
    },
    bodies,
    script(...behaviours) {
      script = behaviours;
      next = 0;
      bodies.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback URL nobody listens on (connection refused). */
export async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/pdp/none`;
}
