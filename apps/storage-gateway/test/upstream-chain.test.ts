/**
 * The upstream-S3 backend, with a second gateway as the upstream: client → gateway A (s3
 * backend, @aws-sdk/client-s3) → gateway B (local directory). Both decide through the real
 * platform. The operations and their errors survive the chain, A's policy applies whatever
 * B would allow, and bodies stream: a 160 MiB object up and down, and a 100 MiB multipart
 * upload, generated on the fly, keep this process's memory growth far below their size.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { actions, errorOf, group, policyXml, startSafax, startTestGateway, user } from './support/gateway-harness';
import { generated, MiB, peakGrowth, sha256Of } from './support/streams';
import type { GatewayUnderTest, Safax } from './support/gateway-harness';

const POLICY = policyXml('urn:safax:test:gateway:upstream', [
  { id: 'writers-everything', target: [group('writers')] },
  { id: 'reader-reads', target: [user('reader'), actions('s3:ListAllMyBuckets', 's3:ListBucket', 's3:GetObject')] },
]);

/** Hundreds of MiB through two gateways in one process: 3–5 s alone, several times that beside other suites. */
const BIG_TRANSFER_MS = 90_000;

describe('gateway A with gateway B as its upstream S3', () => {
  let safax: Safax;
  let b: GatewayUnderTest;
  let a: GatewayUnderTest;
  let alice: S3Client;

  beforeAll(async () => {
    safax = await startSafax([POLICY]);
    b = await startTestGateway({ pdpUrl: safax.pdpUrl, apiKey: safax.controllerKey, users: [{ name: 'gateway-a', groups: ['writers'] }] });
    const upstreamKey = b.keys.get('gateway-a')!;
    a = await startTestGateway({
      pdpUrl: safax.pdpUrl,
      apiKey: safax.controllerKey,
      users: [{ name: 'alice', groups: ['writers'] }, { name: 'reader' }, { name: 'mallory' }],
      config: {
        backend: { type: 's3', endpoint: b.endpoint, region: 'us-east-1', accessKeyId: { env: 'UP_ID' }, secretAccessKey: { env: 'UP_SECRET' }, bucketPrefix: 'a-' },
        limits: { shutdownGraceMs: 200, minPartBytes: 5 * MiB },
      },
      env: { UP_ID: upstreamKey.accessKeyId, UP_SECRET: upstreamKey.secretAccessKey },
    });
    alice = a.client('alice');
    await alice.send(new CreateBucketCommand({ Bucket: 'chain' }));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await safax?.close();
  });

  it('runs the S3 operations through the chain, with their errors', async () => {
    expect((await b.client('gateway-a').send(new ListBucketsCommand({}))).Buckets?.map((x) => x.Name)).toEqual(['a-chain']);
    expect((await alice.send(new ListBucketsCommand({}))).Buckets?.map((x) => x.Name)).toEqual(['chain']);
    await alice.send(new PutObjectCommand({ Bucket: 'chain', Key: 'dir/one.txt', Body: 'one through two gateways', ContentType: 'text/plain', Metadata: { m: '1' }, Tagging: 't=1' }));
    const got = await alice.send(new GetObjectCommand({ Bucket: 'chain', Key: 'dir/one.txt' }));
    expect([await got.Body!.transformToString(), got.ContentType, got.Metadata]).toEqual(['one through two gateways', 'text/plain', { m: '1' }]);
    const range = await alice.send(new GetObjectCommand({ Bucket: 'chain', Key: 'dir/one.txt', Range: 'bytes=4-10' }));
    expect([range.$metadata.httpStatusCode, range.ContentRange, await range.Body!.transformToString()]).toEqual([206, 'bytes 4-10/24', 'through']);
    expect((await errorOf(alice.send(new GetObjectCommand({ Bucket: 'chain', Key: 'dir/one.txt', Range: 'bytes=99-' })))).name).toBe('InvalidRange');
    expect((await errorOf(alice.send(new GetObjectCommand({ Bucket: 'chain', Key: 'nothing' })))).name).toBe('NoSuchKey');
    expect((await errorOf(alice.send(new ListObjectsV2Command({ Bucket: 'nobucket' })))).name).toBe('NoSuchBucket');
    expect((await alice.send(new GetObjectTaggingCommand({ Bucket: 'chain', Key: 'dir/one.txt' }))).TagSet).toEqual([{ Key: 't', Value: '1' }]);
    await alice.send(new PutObjectTaggingCommand({ Bucket: 'chain', Key: 'dir/one.txt', Tagging: { TagSet: [{ Key: 't', Value: '2' }] } }));
    await alice.send(new CopyObjectCommand({ Bucket: 'chain', Key: 'dir/two.txt', CopySource: 'chain/dir/one.txt' }));
    expect((await alice.send(new HeadObjectCommand({ Bucket: 'chain', Key: 'dir/two.txt' }))).ContentLength).toBe(24);
    expect((await alice.send(new GetObjectTaggingCommand({ Bucket: 'chain', Key: 'dir/two.txt' }))).TagSet).toEqual([{ Key: 't', Value: '2' }]);
    const listed = await alice.send(new ListObjectsV2Command({ Bucket: 'chain', Delimiter: '/' }));
    expect(listed.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['dir/']);
    expect((await alice.send(new ListObjectsV2Command({ Bucket: 'chain' }))).Contents?.map((c) => c.Key)).toEqual(['dir/one.txt', 'dir/two.txt']);
    // The bucket's bookkeeping key sorts first upstream; a one-key page skips past it.
    expect(await a.server.services.backend.listObjects('chain', { prefix: '', limit: 1 })).toMatchObject({ items: [{ key: 'dir/one.txt' }], truncated: true });
    expect((await errorOf(alice.send(new DeleteBucketCommand({ Bucket: 'chain' })))).name).toBe('BucketNotEmpty');
    const del = await alice.send(new DeleteObjectsCommand({ Bucket: 'chain', Delete: { Objects: [{ Key: 'dir/two.txt' }] } }));
    expect(del.Deleted?.map((d) => d.Key)).toEqual(['dir/two.txt']);
    expect((await errorOf(alice.send(new CreateBucketCommand({ Bucket: 'chain' })))).name).toBe('BucketAlreadyOwnedByYou');
  });

  it("applies gateway A's policy whatever the upstream would allow", async () => {
    const reader = a.client('reader');
    expect(await (await reader.send(new GetObjectCommand({ Bucket: 'chain', Key: 'dir/one.txt' }))).Body!.transformToString()).toBe('one through two gateways');
    expect((await errorOf(reader.send(new PutObjectCommand({ Bucket: 'chain', Key: 'x', Body: 'x' })))).name).toBe('AccessDenied');
    expect((await errorOf(a.client('mallory').send(new DeleteObjectCommand({ Bucket: 'chain', Key: 'dir/one.txt' })))).name).toBe('AccessDenied');
    expect((await alice.send(new HeadObjectCommand({ Bucket: 'chain', Key: 'dir/one.txt' }))).ContentLength).toBe(24);
  });

  it('streams a 160 MiB object up and down with bounded memory', async () => {
    // Larger than the bound below, so a gateway that buffered the body would fail.
    const size = 160 * MiB;
    const src = generated(size);
    const up = await peakGrowth(() => alice.send(new PutObjectCommand({ Bucket: 'chain', Key: 'big.bin', Body: src.stream, ContentLength: size })));
    const down = await peakGrowth(async () => sha256Of((await alice.send(new GetObjectCommand({ Bucket: 'chain', Key: 'big.bin' }))).Body as Readable));
    expect(down.result).toEqual({ hash: src.digest(), bytes: size });
    expect(up.growth).toBeLessThan(96 * MiB);
    expect(down.growth).toBeLessThan(96 * MiB);
    await alice.send(new DeleteObjectCommand({ Bucket: 'chain', Key: 'big.bin' }));
  }, BIG_TRANSFER_MS);

  it('uploads 100 MiB in four streamed parts with bounded memory', async () => {
    const part = 25 * MiB;
    const whole = createHash('sha256');
    const { result, growth } = await peakGrowth(async () => {
      const { UploadId } = await alice.send(new CreateMultipartUploadCommand({ Bucket: 'chain', Key: 'multi.bin' }));
      const parts = [];
      for (let n = 1; n <= 4; n++) {
        const g = generated(part, whole);
        const r = await alice.send(new UploadPartCommand({ Bucket: 'chain', Key: 'multi.bin', UploadId, PartNumber: n, Body: g.stream, ContentLength: part }));
        parts.push({ PartNumber: n, ETag: r.ETag });
      }
      return alice.send(new CompleteMultipartUploadCommand({ Bucket: 'chain', Key: 'multi.bin', UploadId, MultipartUpload: { Parts: parts } }));
    });
    expect(result.ETag).toMatch(/-4"$/);
    expect(growth).toBeLessThan(96 * MiB);
    const back = await sha256Of((await alice.send(new GetObjectCommand({ Bucket: 'chain', Key: 'multi.bin' }))).Body as Readable);
    expect(back).toEqual({ hash: whole.digest('hex'), bytes: 100 * MiB });
    await alice.send(new DeleteObjectCommand({ Bucket: 'chain', Key: 'multi.bin' }));
  }, BIG_TRANSFER_MS);
});
