/**
 * Self-registration against a stand-in for the SAFAX-TS API (same routes and status codes as
 * apps/api's Service Repository): POST creates, 409 falls back to PUT, errors are reported.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serviceDescriptorSchema } from '@safax/contracts';
import { registerService } from '../src/common/register-service';
import { credentialDescriptor } from '../src/credential/credential-descriptor';

interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  body: unknown;
}

let server: http.Server;
let apiUrl: string;
const seen: Seen[] = [];
const registered = new Map<string, unknown>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const parsed: unknown = body ? JSON.parse(body) : undefined;
      seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body: parsed });
      const reply = (status: number, value: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.headers.authorization !== 'Bearer good-key') return reply(401, { error: { code: 'unauthenticated', message: 'bad API key' } });
      const d = serviceDescriptorSchema.safeParse(parsed);
      if (!d.success) return reply(400, { error: { code: 'bad-request', message: 'invalid descriptor' } });
      if (req.method === 'POST' && req.url === '/api/v1/services') {
        if (registered.has(d.data.id)) return reply(409, { error: { code: 'conflict', message: 'exists' } });
        registered.set(d.data.id, d.data);
        return reply(201, { descriptor: d.data });
      }
      if (req.method === 'PUT' && req.url === `/api/v1/services/${encodeURIComponent(d.data.id)}`) {
        registered.set(d.data.id, d.data);
        return reply(200, { descriptor: d.data });
      }
      reply(404, { error: { code: 'not-found', message: 'no route' } });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('registerService', () => {
  const descriptor = credentialDescriptor('http://127.0.0.1:8091');

  it('POSTs the descriptor with the API key, then updates with PUT when it exists', async () => {
    expect(await registerService({ apiUrl, apiKey: 'good-key' }, descriptor)).toEqual({ ok: true, status: 201, action: 'created' });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/v1/services', auth: 'Bearer good-key', body: descriptor });
    expect(await registerService({ apiUrl: `${apiUrl}/`, apiKey: 'good-key' }, descriptor)).toEqual({ ok: true, status: 200, action: 'updated' });
    expect(seen.slice(-2).map((s) => `${s.method} ${s.url}`)).toEqual(['POST /api/v1/services', 'PUT /api/v1/services/credential-service']);
  });

  it('reports the API error message', async () => {
    expect(await registerService({ apiUrl, apiKey: 'bad' }, descriptor)).toEqual({ ok: false, status: 401, message: 'bad API key' });
  });

  it('reports an unreachable API without throwing', async () => {
    const r = await registerService({ apiUrl: 'http://127.0.0.1:1', apiKey: 'k', timeoutMs: 1000 }, descriptor);
    expect(r.ok).toBe(false);
    expect(r.ok ? 0 : r.status).toBe(0);
  });
});
