/**
 * `npm run bench -w @safax/storage-gateway`: PutObject and GetObject of 4 KiB and 16 MiB
 * objects, sequential, p50/p99 latency and operations (and MiB) per second:
 *   - backend:  the local-directory backend called directly (no HTTP, no signature, no decision)
 *   - no PDP:   through the gateway with an authorizer that permits everything (HTTP, SigV4, S3)
 *   - PDP:      through the gateway deciding with the real SAFAX-TS platform in this process,
 *               decision cache off, then on (ttl 60 s)
 * Same process for client, gateway and platform (a shared 2-core machine: compare the rows,
 * do not read them as absolute figures). fsync off by default (BENCH_FSYNC=1 turns it on, as
 * the default configuration has it): on a shared disk its latency swamps what is measured
 * here. Bounded: BENCH_SMALL (default 200) and BENCH_LARGE (default 6) operations per case.
 * Not a test.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Authorizer } from '../src/policy/authorizer';
import type { StorageBackend } from '../src/storage/backend';
import { group, policyXml, startSafax, startTestGateway } from '../test/support/gateway-harness';
import type { GatewayUnderTest } from '../test/support/gateway-harness';

const SMALL = Number(process.env.BENCH_SMALL ?? 200);
const LARGE = Number(process.env.BENCH_LARGE ?? 6);
const FSYNC = process.env.BENCH_FSYNC === '1';
const KiB = 1024;
const MiB = 1024 * KiB;

interface Row {
  readonly name: string;
  readonly op: string;
  readonly size: number;
  readonly p50: number;
  readonly p99: number;
  readonly perSecond: number;
}

const rows: Row[] = [];

async function measure(name: string, op: string, size: number, count: number, run: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(10, count); i++) await run(i); // warm-up: sockets, caches, JIT
  const times: number[] = [];
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const t = process.hrtime.bigint();
    await run(i);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const total = Number(process.hrtime.bigint() - t0) / 1e9;
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
  rows.push({ name, op, size, p50: pct(50), p99: pct(99), perSecond: count / total });
}

async function drain(body: Readable): Promise<void> {
  for await (const _ of body) void _;
}

const permitAll: Authorizer = {
  decide: async () => ({ allowed: true, headers: {} }),
  decideMany: async (_c, rs) => rs.map(() => ({ allowed: true as const, headers: {} })),
  clearCache: () => undefined,
  close: async () => undefined,
};

async function viaBackend(backend: StorageBackend, small: Buffer, large: Buffer): Promise<void> {
  await backend.createBucket('direct', 'bench');
  const w = { contentType: 'application/octet-stream', owner: 'bench', uploader: 'bench', userMetadata: {}, tags: {} };
  await measure('backend', 'put', small.length, SMALL, (i) => backend.putObject('direct', `s${i % 50}`, Readable.from([small]), small.length, w));
  await measure('backend', 'get', small.length, SMALL, async (i) => drain((await backend.getObject('direct', `s${i % 50}`)).body));
  await measure('backend', 'put', large.length, LARGE, (i) => backend.putObject('direct', `l${i % 4}`, Readable.from([large]), large.length, w));
  await measure('backend', 'get', large.length, LARGE, async (i) => drain((await backend.getObject('direct', `l${i % 4}`)).body));
}

async function viaGateway(name: string, s3: S3Client, bucket: string, small: Buffer, large: Buffer): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await measure(name, 'put', small.length, SMALL, (i) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: `s${i % 50}`, Body: small })));
  await measure(name, 'get', small.length, SMALL, async (i) => drain((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `s${i % 50}` }))).Body as Readable));
  await measure(name, 'put', large.length, LARGE, (i) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: `l${i % 4}`, Body: large })));
  await measure(name, 'get', large.length, LARGE, async (i) => drain((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `l${i % 4}` }))).Body as Readable));
}

async function main(): Promise<void> {
  const started = Date.now();
  const small = randomBytes(4 * KiB);
  const large = randomBytes(16 * MiB);
  const safax = await startSafax([policyXml('urn:safax:bench:gateway', [{ id: 'writers', target: [group('writers')] }])]);
  const gateways: GatewayUnderTest[] = [];
  try {
    const users = [{ name: 'bench', groups: ['writers'] }];
    const plain = await startTestGateway({ pdpUrl: safax.pdpUrl, apiKey: safax.controllerKey, users, config: { backend: { type: 'local', root: 'store', fsync: FSYNC } }, start: { authorizer: permitAll } });
    gateways.push(plain);
    await viaBackend(plain.server.services.backend, small, large);
    await viaGateway('gateway, no PDP', plain.client('bench'), 'plain', small, large);
    const uncached = await startTestGateway({ pdpUrl: safax.pdpUrl, apiKey: safax.controllerKey, users, config: { backend: { type: 'local', root: 'store', fsync: FSYNC } } });
    gateways.push(uncached);
    await viaGateway('gateway, PDP, no cache', uncached.client('bench'), 'uncached', small, large);
    const cached = await startTestGateway({
      pdpUrl: safax.pdpUrl,
      apiKey: safax.controllerKey,
      users,
      config: { backend: { type: 'local', root: 'store', fsync: FSYNC }, pdp: { url: safax.pdpUrl, apiKey: { env: 'PDP_KEY' }, cache: { ttlMs: 60_000 } } },
    });
    gateways.push(cached);
    await viaGateway('gateway, PDP, cache', cached.client('bench'), 'cached', small, large);
  } finally {
    for (const g of gateways) await g.close();
    await safax.close();
  }
  const size = (n: number) => (n >= MiB ? `${n / MiB} MiB` : `${n / KiB} KiB`);
  process.stdout.write(`storage gateway bench (${SMALL} × 4 KiB, ${LARGE} × 16 MiB per case; fsync ${FSYNC ? 'on' : 'off'}; node ${process.version})\n\n`);
  process.stdout.write('| path | op | size | p50 ms | p99 ms | ops/s | MiB/s |\n|---|---|---|---|---|---|---|\n');
  for (const r of rows) {
    process.stdout.write(`| ${r.name} | ${r.op} | ${size(r.size)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.perSecond.toFixed(0)} | ${((r.perSecond * r.size) / MiB).toFixed(1)} |\n`);
  }
  process.stdout.write(`\n(${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
