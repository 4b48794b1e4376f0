/**
 * Overhead of the SDK per decision over a raw undici request, on loopback. The PDP is a stub
 * node:http server in this process answering a fixed response (so the figures are the
 * client's cost, not the engine's); sequential calls on one keep-alive pool. Not a test.
 *   npm run bench -w @safax/pep
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { action, createPdpClient, resource, subject } from '../src/index';
import type { PdpFormat, PepRequest } from '../src/index';

const N = Number(process.env.BENCH_N ?? 5000);
const WARMUP = 500;
const XACML_JSON = JSON.stringify({ Response: [{ Decision: 'Permit', Status: { StatusCode: { Value: 'urn:oasis:names:tc:xacml:1.0:status:ok' } } }] });
const XACML_XML = '<?xml version="1.0" encoding="UTF-8"?>\n<Response xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17"><Result><Decision>Permit</Decision><Status><StatusCode Value="urn:oasis:names:tc:xacml:1.0:status:ok"/></Status></Result></Response>';
const AUTHZEN = JSON.stringify({ decision: true, context: { xacml_decision: 'Permit', status: 'urn:oasis:names:tc:xacml:1.0:status:ok' } });

const AUTHZEN_TEN = JSON.stringify({ evaluations: Array.from({ length: 10 }, () => JSON.parse(AUTHZEN) as unknown) });

const request: PepRequest = {
  subject: subject('alice', { type: 'user', properties: { role: ['doctor'] } }),
  action: action('read'),
  resource: resource('patients', { type: 'dataset' }),
};

async function measure(label: string, n: number, once: () => Promise<unknown>): Promise<{ mean: number; p50: number }> {
  for (let i = 0; i < WARMUP; i++) await once();
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await once();
    times[i] = Number(process.hrtime.bigint() - t) / 1e6;
  }
  const sorted = [...times].sort((a, b) => a - b);
  const mean = sorted.reduce((s, x) => s + x, 0) / n;
  const q = (p: number) => sorted[Math.min(n - 1, Math.floor(p * n))]!.toFixed(3);
  process.stdout.write(`${label.padEnd(34)} n=${n}  mean=${mean.toFixed(3)} ms  p50=${q(0.5)} ms  p99=${q(0.99)} ms\n`);
  return { mean, p50: sorted[Math.floor(0.5 * n)]! };
}

async function main(): Promise<void> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const type = req.headers['content-type'] ?? '';
      const [body, answerType] = type.includes('xml')
        ? [XACML_XML, 'application/xacml+xml']
        : req.url?.endsWith('/evaluation')
          ? [AUTHZEN, 'application/json']
          : req.url?.endsWith('/evaluations')
            ? [AUTHZEN_TEN, 'application/json']
            : [XACML_JSON, 'application/xacml+json'];
      res.writeHead(200, { 'Content-Type': answerType, 'X-Transaction-Id': '00000000-0000-0000-0000-000000000000' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pdpUrl = `${origin}/pdp/bench`;
  process.stdout.write(`@safax/pep bench — stub PDP on loopback (fixed Permit), sequential, node ${process.version}\n`);

  const pool = new Pool(origin, { connections: 16 });
  const rawBody = JSON.stringify({ Request: { Category: [] } });
  const raw = await measure('raw undici request (xacml-json)', N, async () => {
    const r = await pool.request({ method: 'POST', path: '/pdp/bench', headers: { 'content-type': 'application/xacml+json' }, body: rawBody });
    await r.body.text();
  });
  await pool.close();

  const formats: PdpFormat[] = ['xacml-json', 'authzen', 'xacml-xml'];
  for (const format of formats) {
    const c = createPdpClient({ pdpUrl, format });
    const mean = await measure(`SDK decide, ${format}, no cache`, N, async () => {
      const r = await c.decide(request);
      if (!r.allowed) throw new Error(`bench: ${r.cause?.message ?? r.decision}`);
    });
    process.stdout.write(`${''.padEnd(34)} overhead over raw: p50 +${(mean.p50 - raw.p50).toFixed(3)} ms, mean +${(mean.mean - raw.mean).toFixed(3)} ms\n`);
    await c.close();
  }
  const cached = createPdpClient({ pdpUrl, format: 'xacml-json', cache: { ttlMs: 60_000 } });
  const hit = await measure('SDK decide, xacml-json, cache hit', N, async () => {
    const r = await cached.decide(request);
    if (!r.allowed) throw new Error('bench: denied');
  });
  process.stdout.write(`${''.padEnd(34)} vs raw: p50 ${(hit.p50 - raw.p50).toFixed(3)} ms, mean ${(hit.mean - raw.mean).toFixed(3)} ms\n`);
  await cached.close();
  const batch = createPdpClient({ pdpUrl, format: 'authzen' });
  const many = Array.from({ length: 10 }, (_, i) => ({ ...request, resource: resource(`patients-${i}`, { type: 'dataset' }) }));
  await measure('SDK decideMany x10 (1 round trip)', Math.min(N, 1000), async () => {
    const rs = await batch.decideMany(many);
    if (!rs.every((r) => r.allowed)) throw new Error('bench: batch denied');
  });
  await batch.close();
  server.closeAllConnections();
  server.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
