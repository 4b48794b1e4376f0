/**
 * `npm run bench:memory -w @safax/storage-gateway`: a 1 GiB object (BENCH_GIB to change)
 * generated on the fly, uploaded and downloaded through the gateway (local directory) and
 * through a chain gateway A → gateway B (A on the upstream-S3 backend), reporting MiB/s and
 * the peak growth of this process's resident memory, which holds the client, the gateways
 * and the platform. Streaming keeps that growth a small constant whatever the size.
 * Decisions come from the real platform. Not a test (about 30-60 s).
 */
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { group, policyXml, startSafax, startTestGateway } from '../test/support/gateway-harness';
import type { GatewayUnderTest } from '../test/support/gateway-harness';
import { generated, MiB, peakGrowth, sha256Of } from '../test/support/streams';

const SIZE = Math.round(Number(process.env.BENCH_GIB ?? 1) * 1024) * MiB;

async function roundTrip(name: string, s3: S3Client): Promise<string> {
  await s3.send(new CreateBucketCommand({ Bucket: 'mem' }));
  const src = generated(SIZE);
  const t0 = Date.now();
  const up = await peakGrowth(() => s3.send(new PutObjectCommand({ Bucket: 'mem', Key: 'big', Body: src.stream, ContentLength: SIZE })));
  const t1 = Date.now();
  const down = await peakGrowth(async () => sha256Of((await s3.send(new GetObjectCommand({ Bucket: 'mem', Key: 'big' }))).Body as Readable));
  const t2 = Date.now();
  if (down.result.hash !== src.digest() || down.result.bytes !== SIZE) throw new Error(`${name}: the object came back different`);
  await s3.send(new DeleteObjectCommand({ Bucket: 'mem', Key: 'big' }));
  const mibs = (ms: number) => ((SIZE / MiB) / (ms / 1000)).toFixed(0);
  return `| ${name} | ${SIZE / MiB} MiB | ${mibs(t1 - t0)} | ${(up.growth / MiB).toFixed(1)} | ${mibs(t2 - t1)} | ${(down.growth / MiB).toFixed(1)} |`;
}

async function main(): Promise<void> {
  const safax = await startSafax([policyXml('urn:safax:bench:memory', [{ id: 'writers', target: [group('writers')] }])]);
  const gws: GatewayUnderTest[] = [];
  const lines: string[] = [];
  try {
    const b = await startTestGateway({ pdpUrl: safax.pdpUrl, apiKey: safax.controllerKey, users: [{ name: 'bench', groups: ['writers'] }, { name: 'gateway-a', groups: ['writers'] }] });
    gws.push(b);
    lines.push(await roundTrip('gateway (local directory)', b.client('bench')));
    const k = b.keys.get('gateway-a')!;
    const a = await startTestGateway({
      pdpUrl: safax.pdpUrl,
      apiKey: safax.controllerKey,
      users: [{ name: 'bench', groups: ['writers'] }],
      config: { backend: { type: 's3', endpoint: b.endpoint, accessKeyId: { env: 'UP_ID' }, secretAccessKey: { env: 'UP_SECRET' }, bucketPrefix: 'a-' } },
      env: { UP_ID: k.accessKeyId, UP_SECRET: k.secretAccessKey },
    });
    gws.push(a);
    lines.push(await roundTrip('gateway A → gateway B', a.client('bench')));
  } finally {
    for (const g of gws.reverse()) await g.close();
    await safax.close();
  }
  process.stdout.write(`streaming memory (node ${process.version}; RSS of the one process holding client, gateways and platform)\n\n`);
  process.stdout.write('| path | size | upload MiB/s | upload peak RSS growth MiB | download MiB/s | download peak RSS growth MiB |\n|---|---|---|---|---|---|\n');
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
