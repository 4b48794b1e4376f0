/**
 * The S3 subset with the real @aws-sdk/client-s3 against the gateway (local-directory backend)
 * and the real SAFAX-TS platform deciding: every operation permitted (group `writers`),
 * read-only ones for `reader`, and every operation denied for `mallory` — AccessDenied with
 * the SAFAX transaction id, which the domain's decision log knows. Plus the S3 errors real
 * clients rely on, bad XML, and keys that try to leave the store.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';
import { actions, errorOf, group, policyXml, signedRequest, startSafax, startTestGateway, user } from './support/gateway-harness';
import type { GatewayUnderTest, Safax } from './support/gateway-harness';

const POLICY = policyXml('urn:safax:test:gateway:operations', [
  { id: 'writers-everything', target: [group('writers')] },
  { id: 'reader-reads', target: [user('reader'), actions('s3:ListAllMyBuckets', 's3:ListBucket', 's3:GetObject', 's3:GetObjectTagging')] },
]);

describe('S3 operations through the gateway, decided by SAFAX-TS', () => {
  let safax: Safax;
  let gw: GatewayUnderTest;
  let alice: S3Client;
  let reader: S3Client;
  let mallory: S3Client;

  beforeAll(async () => {
    safax = await startSafax([POLICY]);
    gw = await startTestGateway({ pdpUrl: safax.pdpUrl, apiKey: safax.controllerKey, users: [{ name: 'alice', groups: ['writers'] }, { name: 'reader' }, { name: 'mallory' }] });
    alice = gw.client('alice');
    reader = gw.client('reader');
    mallory = gw.client('mallory');
    await alice.send(new CreateBucketCommand({ Bucket: 'docs' }));
  });
  afterAll(async () => {
    await gw?.close();
    await safax?.close();
  });

  /** The refusal of a Deny: 403 AccessDenied naming the transaction, which the decision log has as Deny. */
  async function expectDenied(p: Promise<unknown>): Promise<void> {
    const e = await errorOf(p);
    expect([e.name, e.$metadata?.httpStatusCode]).toEqual(['AccessDenied', 403]);
    const tx = /SAFAX transaction ([^)\s]+)\)/.exec(e.message)?.[1];
    expect(tx).toBeDefined();
    expect(e.$response?.headers?.['x-safax-transaction-id']).toBe(tx);
    const logged = await safax.t.as(safax.domain.owner.key).get(`/api/v1/domains/${safax.domain.domainId}/decisions/${encodeURIComponent(tx!.replace(/\.\d+$/, ''))}`);
    expect(logged.status).toBe(200);
  }

  it('creates, heads, lists and deletes buckets with the S3 errors clients expect', async () => {
    await alice.send(new CreateBucketCommand({ Bucket: 'scratch' }));
    expect((await errorOf(alice.send(new CreateBucketCommand({ Bucket: 'scratch' })))).name).toBe('BucketAlreadyOwnedByYou');
    expect((await alice.send(new HeadBucketCommand({ Bucket: 'scratch' }))).$metadata.httpStatusCode).toBe(200);
    expect((await alice.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual(['docs', 'scratch']);
    await alice.send(new PutObjectCommand({ Bucket: 'scratch', Key: 'x', Body: 'x' }));
    expect((await errorOf(alice.send(new DeleteBucketCommand({ Bucket: 'scratch' })))).name).toBe('BucketNotEmpty');
    await alice.send(new DeleteObjectCommand({ Bucket: 'scratch', Key: 'x' }));
    await alice.send(new DeleteBucketCommand({ Bucket: 'scratch' }));
    expect((await errorOf(alice.send(new HeadBucketCommand({ Bucket: 'scratch' })))).$metadata?.httpStatusCode).toBe(404);
    expect((await errorOf(alice.send(new ListObjectsV2Command({ Bucket: 'scratch' })))).name).toBe('NoSuchBucket');
    expect((await errorOf(alice.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })))).name).toBe('InvalidBucketName');
  });

  it('puts, gets (whole, ranges), heads and deletes objects', async () => {
    const put = await alice.send(new PutObjectCommand({ Bucket: 'docs', Key: 'notes/a b+c.txt', Body: 'hello gateway', ContentType: 'text/plain', Metadata: { project: 'safax' } }));
    expect(put.ETag).toBe(`"${createHash('md5').update('hello gateway').digest('hex')}"`);
    const got = await alice.send(new GetObjectCommand({ Bucket: 'docs', Key: 'notes/a b+c.txt' }));
    expect([await got.Body!.transformToString(), got.ContentType, got.Metadata, got.ETag]).toEqual(['hello gateway', 'text/plain', { project: 'safax' }, put.ETag]);
    const part = await alice.send(new GetObjectCommand({ Bucket: 'docs', Key: 'notes/a b+c.txt', Range: 'bytes=6-12' }));
    expect([part.$metadata.httpStatusCode, part.ContentRange, await part.Body!.transformToString()]).toEqual([206, 'bytes 6-12/13', 'gateway']);
    const tail = await alice.send(new GetObjectCommand({ Bucket: 'docs', Key: 'notes/a b+c.txt', Range: 'bytes=-7' }));
    expect(await tail.Body!.transformToString()).toBe('gateway');
    const bad = await errorOf(alice.send(new GetObjectCommand({ Bucket: 'docs', Key: 'notes/a b+c.txt', Range: 'bytes=100-' })));
    expect([bad.name, bad.$metadata?.httpStatusCode]).toEqual(['InvalidRange', 416]);
    const head = await alice.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'notes/a b+c.txt' }));
    expect([head.ContentLength, head.ContentType]).toEqual([13, 'text/plain']);
    expect((await errorOf(alice.send(new GetObjectCommand({ Bucket: 'docs', Key: 'missing' })))).name).toBe('NoSuchKey');
    expect((await errorOf(alice.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'missing' })))).$metadata?.httpStatusCode).toBe(404);
    await alice.send(new PutObjectCommand({ Bucket: 'docs', Key: 'gone', Body: new Uint8Array(0) }));
    await alice.send(new DeleteObjectCommand({ Bucket: 'docs', Key: 'gone' }));
    await alice.send(new DeleteObjectCommand({ Bucket: 'docs', Key: 'gone' }));
    expect((await errorOf(alice.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'gone' })))).$metadata?.httpStatusCode).toBe(404);
  });

  it('lists with prefix, delimiter, max-keys and continuation tokens', async () => {
    await alice.send(new CreateBucketCommand({ Bucket: 'listing' }));
    const keys = ['a/1', 'a/2', 'a/sub/3', 'b/1', 'c', 'd', 'e'];
    for (const k of keys) await alice.send(new PutObjectCommand({ Bucket: 'listing', Key: k, Body: k }));
    const top = await alice.send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/' }));
    expect([top.Contents?.map((c) => c.Key), top.CommonPrefixes?.map((p) => p.Prefix), top.KeyCount]).toEqual([['c', 'd', 'e'], ['a/', 'b/'], 5]);
    const inA = await alice.send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'a/', Delimiter: '/' }));
    expect([inA.Contents?.map((c) => c.Key), inA.CommonPrefixes?.map((p) => p.Prefix)]).toEqual([['a/1', 'a/2'], ['a/sub/']]);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page: ListObjectsV2CommandOutput = await alice.send(new ListObjectsV2Command({ Bucket: 'listing', MaxKeys: 2, ContinuationToken: token }));
      seen.push(...(page.Contents ?? []).map((c) => c.Key!));
      token = page.NextContinuationToken;
      pages++;
      expect(page.IsTruncated).toBe(token !== undefined);
    } while (token);
    expect([seen, pages]).toEqual([keys, 4]);
    const grouped: string[] = [];
    token = undefined;
    do {
      const page: ListObjectsV2CommandOutput = await alice.send(new ListObjectsV2Command({ Bucket: 'listing', MaxKeys: 1, Delimiter: '/', ContinuationToken: token }));
      grouped.push(...(page.Contents ?? []).map((c) => c.Key!), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
      token = page.NextContinuationToken;
    } while (token);
    expect(grouped).toEqual(['a/', 'b/', 'c', 'd', 'e']);
    expect((await alice.send(new ListObjectsV2Command({ Bucket: 'listing', StartAfter: 'c' }))).Contents?.map((c) => c.Key)).toEqual(['d', 'e']);
    expect((await errorOf(alice.send(new ListObjectsV2Command({ Bucket: 'listing', ContinuationToken: 'garbage!' })))).name).toBe('InvalidArgument');
    const v1 = await alice.send(new ListObjectsCommand({ Bucket: 'listing', Delimiter: '/', MaxKeys: 2 }));
    expect([v1.CommonPrefixes?.map((p) => p.Prefix), v1.IsTruncated, v1.NextMarker !== undefined]).toEqual([['a/', 'b/'], true, true]);
    const v1next = await alice.send(new ListObjectsCommand({ Bucket: 'listing', Delimiter: '/', Marker: v1.NextMarker }));
    expect([v1next.Contents?.map((c) => c.Key), v1next.CommonPrefixes ?? [], v1next.Contents?.[0]?.Owner?.ID]).toEqual([['c', 'd', 'e'], [], 'alice']);
    expect((await alice.send(new GetBucketLocationCommand({ Bucket: 'listing' }))).LocationConstraint ?? '').toBe('');
  });

  it('deletes many objects at once, reporting each', async () => {
    for (const k of ['m1', 'm2', 'm3']) await alice.send(new PutObjectCommand({ Bucket: 'docs', Key: k, Body: k }));
    const denied = await reader.send(new DeleteObjectsCommand({ Bucket: 'docs', Delete: { Objects: [{ Key: 'm1' }, { Key: 'm2' }] } }));
    expect(denied.Errors?.map((e) => [e.Key, e.Code])).toEqual([['m1', 'AccessDenied'], ['m2', 'AccessDenied']]);
    expect(denied.Errors?.[0]?.Message).toMatch(/SAFAX transaction/);
    const r = await alice.send(new DeleteObjectsCommand({ Bucket: 'docs', Delete: { Objects: [{ Key: 'm1' }, { Key: 'm2' }, { Key: 'never-was' }, { Key: '../up' }] } }));
    expect(r.Deleted?.map((d) => d.Key)).toEqual(['m1', 'm2', 'never-was']);
    expect(r.Errors?.map((e) => [e.Key, e.Code])).toEqual([['../up', 'InvalidArgument']]);
    const quiet = await alice.send(new DeleteObjectsCommand({ Bucket: 'docs', Delete: { Quiet: true, Objects: [{ Key: 'm3' }] } }));
    expect(quiet.Deleted ?? []).toEqual([]);
    expect((await errorOf(alice.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'm3' })))).$metadata?.httpStatusCode).toBe(404);
  });

  it('copies objects, keeping or replacing metadata and tags', async () => {
    await alice.send(new PutObjectCommand({ Bucket: 'docs', Key: 'src', Body: 'copy me', ContentType: 'text/x-src', Metadata: { k: 'v' }, Tagging: 'level=1' }));
    await alice.send(new CopyObjectCommand({ Bucket: 'docs', Key: 'dst', CopySource: 'docs/src' }));
    const d = await alice.send(new GetObjectCommand({ Bucket: 'docs', Key: 'dst' }));
    expect([await d.Body!.transformToString(), d.ContentType, d.Metadata]).toEqual(['copy me', 'text/x-src', { k: 'v' }]);
    expect((await alice.send(new GetObjectTaggingCommand({ Bucket: 'docs', Key: 'dst' }))).TagSet).toEqual([{ Key: 'level', Value: '1' }]);
    await alice.send(new CopyObjectCommand({ Bucket: 'docs', Key: 'dst', CopySource: 'docs/src', MetadataDirective: 'REPLACE', ContentType: 'text/plain', Metadata: { n: 'w' }, TaggingDirective: 'REPLACE', Tagging: 'level=2' }));
    const h = await alice.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'dst' }));
    expect([h.ContentType, h.Metadata]).toEqual(['text/plain', { n: 'w' }]);
    expect((await alice.send(new GetObjectTaggingCommand({ Bucket: 'docs', Key: 'dst' }))).TagSet).toEqual([{ Key: 'level', Value: '2' }]);
    expect((await errorOf(alice.send(new CopyObjectCommand({ Bucket: 'docs', Key: 'src', CopySource: 'docs/src' })))).name).toBe('InvalidRequest');
    expect((await errorOf(alice.send(new CopyObjectCommand({ Bucket: 'docs', Key: 'dst2', CopySource: 'docs/nothing' })))).name).toBe('NoSuchKey');
    await expectDenied(reader.send(new CopyObjectCommand({ Bucket: 'docs', Key: 'stolen', CopySource: 'docs/src' })));
  });

  it('puts, gets and deletes object tags', async () => {
    await alice.send(new PutObjectCommand({ Bucket: 'docs', Key: 'tagged', Body: 't' }));
    await alice.send(new PutObjectTaggingCommand({ Bucket: 'docs', Key: 'tagged', Tagging: { TagSet: [{ Key: 'class', Value: 'secret' }, { Key: 'team', Value: 'a b' }] } }));
    expect((await reader.send(new GetObjectTaggingCommand({ Bucket: 'docs', Key: 'tagged' }))).TagSet).toEqual([{ Key: 'class', Value: 'secret' }, { Key: 'team', Value: 'a b' }]);
    await expectDenied(reader.send(new PutObjectTaggingCommand({ Bucket: 'docs', Key: 'tagged', Tagging: { TagSet: [] } })));
    await alice.send(new DeleteObjectTaggingCommand({ Bucket: 'docs', Key: 'tagged' }));
    expect((await alice.send(new GetObjectTaggingCommand({ Bucket: 'docs', Key: 'tagged' }))).TagSet).toEqual([]);
    const tooMany = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect((await errorOf(alice.send(new PutObjectTaggingCommand({ Bucket: 'docs', Key: 'tagged', Tagging: { TagSet: tooMany } })))).name).toBe('InvalidTag');
    expect((await errorOf(alice.send(new GetObjectTaggingCommand({ Bucket: 'docs', Key: 'nothing' })))).name).toBe('NoSuchKey');
  });

  it('runs multipart uploads: create, parts, list, complete, abort — and their errors', async () => {
    const part1 = Buffer.alloc(2048, 'a');
    const part2 = Buffer.from('tail');
    const { UploadId } = await alice.send(new CreateMultipartUploadCommand({ Bucket: 'docs', Key: 'mp', ContentType: 'application/x-mp' }));
    const e1 = await alice.send(new UploadPartCommand({ Bucket: 'docs', Key: 'mp', UploadId, PartNumber: 1, Body: part1 }));
    const e2 = await alice.send(new UploadPartCommand({ Bucket: 'docs', Key: 'mp', UploadId, PartNumber: 2, Body: part2 }));
    const listed = await alice.send(new ListPartsCommand({ Bucket: 'docs', Key: 'mp', UploadId }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([[1, 2048, e1.ETag], [2, 4, e2.ETag]]);
    expect((await errorOf(alice.send(new CompleteMultipartUploadCommand({ Bucket: 'docs', Key: 'mp', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }] } })))).name).toBe('InvalidPart');
    await expectDenied(reader.send(new CompleteMultipartUploadCommand({ Bucket: 'docs', Key: 'mp', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: e1.ETag }] } })));
    const done = await alice.send(new CompleteMultipartUploadCommand({ Bucket: 'docs', Key: 'mp', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: e1.ETag }, { PartNumber: 2, ETag: e2.ETag }] } }));
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-2"$/);
    const got = await alice.send(new GetObjectCommand({ Bucket: 'docs', Key: 'mp' }));
    expect([got.ContentLength, got.ContentType, Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat([part1, part2]))]).toEqual([2052, 'application/x-mp', true]);
    expect((await errorOf(alice.send(new ListPartsCommand({ Bucket: 'docs', Key: 'mp', UploadId })))).name).toBe('NoSuchUpload');
    const other = await alice.send(new CreateMultipartUploadCommand({ Bucket: 'docs', Key: 'mp2' }));
    await alice.send(new AbortMultipartUploadCommand({ Bucket: 'docs', Key: 'mp2', UploadId: other.UploadId }));
    expect((await errorOf(alice.send(new UploadPartCommand({ Bucket: 'docs', Key: 'mp2', UploadId: other.UploadId, PartNumber: 1, Body: 'x' })))).name).toBe('NoSuchUpload');
  });

  it('denies every operation to a caller no policy permits, naming the SAFAX transaction', async () => {
    await alice.send(new PutObjectCommand({ Bucket: 'docs', Key: 'private', Body: 'mine' }));
    const { UploadId } = await alice.send(new CreateMultipartUploadCommand({ Bucket: 'docs', Key: 'up' }));
    const ops: Promise<unknown>[] = [
      mallory.send(new CreateBucketCommand({ Bucket: 'mallorys' })),
      mallory.send(new DeleteBucketCommand({ Bucket: 'docs' })),
      mallory.send(new ListObjectsV2Command({ Bucket: 'docs' })),
      mallory.send(new PutObjectCommand({ Bucket: 'docs', Key: 'planted', Body: 'x' })),
      mallory.send(new GetObjectCommand({ Bucket: 'docs', Key: 'private' })),
      mallory.send(new GetObjectCommand({ Bucket: 'docs', Key: 'does-not-exist' })),
      mallory.send(new DeleteObjectCommand({ Bucket: 'docs', Key: 'private' })),
      mallory.send(new CopyObjectCommand({ Bucket: 'docs', Key: 'copy', CopySource: 'docs/private' })),
      mallory.send(new GetObjectTaggingCommand({ Bucket: 'docs', Key: 'private' })),
      mallory.send(new PutObjectTaggingCommand({ Bucket: 'docs', Key: 'private', Tagging: { TagSet: [] } })),
      mallory.send(new DeleteObjectTaggingCommand({ Bucket: 'docs', Key: 'private' })),
      mallory.send(new CreateMultipartUploadCommand({ Bucket: 'docs', Key: 'mp-m' })),
      mallory.send(new UploadPartCommand({ Bucket: 'docs', Key: 'up', UploadId, PartNumber: 1, Body: 'x' })),
      mallory.send(new ListPartsCommand({ Bucket: 'docs', Key: 'up', UploadId })),
      mallory.send(new AbortMultipartUploadCommand({ Bucket: 'docs', Key: 'up', UploadId })),
      mallory.send(new CompleteMultipartUploadCommand({ Bucket: 'docs', Key: 'up', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"x"' }] } })),
    ];
    for (const p of ops) await expectDenied(p);
    for (const cmd of [new HeadObjectCommand({ Bucket: 'docs', Key: 'private' }), new HeadBucketCommand({ Bucket: 'docs' })]) {
      const e = await errorOf(mallory.send(cmd as HeadObjectCommand));
      expect(e.$metadata?.httpStatusCode).toBe(403);
    }
    expect((await mallory.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    const d = await mallory.send(new DeleteObjectsCommand({ Bucket: 'docs', Delete: { Objects: [{ Key: 'private' }] } }));
    expect(d.Errors?.map((e) => e.Code)).toEqual(['AccessDenied']);
    expect(await (await alice.send(new GetObjectCommand({ Bucket: 'docs', Key: 'private' }))).Body!.transformToString()).toBe('mine');
    expect((await errorOf(alice.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'planted' })))).$metadata?.httpStatusCode).toBe(404);
  });

  it('refuses malformed XML and changes nothing', async () => {
    const k = gw.keys.get('alice')!;
    await alice.send(new PutObjectCommand({ Bucket: 'docs', Key: 'keep-me', Body: 'k' }));
    for (const body of ['<Delete><Object><Key>keep-me</Key></Objec></Delete>', 'not xml at all', '<!DOCTYPE x [<!ENTITY e "keep-me">]><Delete><Object><Key>&e;</Key></Object></Delete>', '<Other/>']) {
      const r = await signedRequest(gw.endpoint, k, 'POST', '/docs?delete', { 'content-type': 'application/xml' }, Buffer.from(body));
      expect([r.status, /<Code>(\w+)<\/Code>/.exec(r.text)?.[1]]).toEqual([400, 'MalformedXML']);
    }
    const bad = await signedRequest(gw.endpoint, k, 'PUT', '/docs/keep-me?tagging', {}, Buffer.from('<Tagging><TagSet><Tag><Key>x</Key></Tag></TagSet></Tagging>'));
    expect(/<Code>(\w+)<\/Code>/.exec(bad.text)?.[1]).toBe('MalformedXML');
    const big = await signedRequest(gw.endpoint, k, 'POST', '/docs?delete', {}, Buffer.alloc(2 * 1024 * 1024, ' '));
    expect(big.status).toBe(400);
    expect((await alice.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'keep-me' }))).ContentLength).toBe(1);
  });

  it('refuses keys that try to leave the store, plain or encoded; nothing lands outside it', async () => {
    const k = gw.keys.get('alice')!;
    expect((await errorOf(alice.send(new PutObjectCommand({ Bucket: 'docs', Key: '../escape', Body: 'x' })))).name).toBe('InvalidArgument');
    for (const path of ['/docs/..%2Fescape', '/docs/%2e%2e/escape', '/docs/%2E%2E%2F%2E%2E%2Fescape', '/docs/a/..%5C..%5Cescape', '/docs/./x', '/docs/a/%2e/x']) {
      const r = await signedRequest(gw.endpoint, k, 'PUT', path, {}, Buffer.from('x'));
      expect([path, r.status, /<Code>(\w+)<\/Code>/.exec(r.text)?.[1]]).toEqual([path, 400, 'InvalidArgument']);
    }
    // A double-encoded name is just a name: stored under its literal key, inside the store.
    const r = await signedRequest(gw.endpoint, k, 'PUT', '/docs/%252e%252e%252fescape', {}, Buffer.from('x'));
    expect(r.status).toBe(200);
    expect((await alice.send(new HeadObjectCommand({ Bucket: 'docs', Key: '%2e%2e%2fescape' }))).ContentLength).toBe(1);
    expect(readdirSync(gw.dir).sort()).toEqual(['keys.json', 'store']);
    expect(existsSync(join(gw.dir, '..', 'escape'))).toBe(false);
    expect(readdirSync(join(gw.dir, 'store')).sort()).toEqual(['.tmp', 'docs', 'listing']);
  });
});
