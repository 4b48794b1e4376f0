/**
 * The runnable example (policies/samples/photos) played end to end: the sample's policies
 * deployed as its README says (root permit-overrides), the sample configuration loaded, and
 * the SAFAX scenario at the S3 gateway — Alice shares her photos bucket with Bob: AR1 (view)
 * then AR1¯ (view and modify, version 2.0 of the same policy); AR4 denies everything else.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { loadConfig } from '../src/config/gateway-config';
import { errorOf, startSafax, startTestGateway } from './support/gateway-harness';
import type { GatewayUnderTest, Safax } from './support/gateway-harness';

const SAMPLE = join(__dirname, '..', '..', '..', 'policies', 'samples', 'photos');
const read = (f: string) => readFileSync(join(SAMPLE, f), 'utf8');
const PERMIT_OVERRIDES = 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:permit-overrides';

describe('the photos sample: AR1 and AR1¯ at the storage gateway', () => {
  let safax: Safax;
  let gw: GatewayUnderTest;
  let alice: S3Client;
  let bob: S3Client;
  let charlie: S3Client;

  beforeAll(async () => {
    safax = await startSafax([read('owner-manages-own-storage.xml'), read('ar1-bob-views-photos.xml'), read('ar4-deny-everything-else.xml')], PERMIT_OVERRIDES);
    // The sample configuration, with what a test must change: ports, paths, the PDP-URL, no cache.
    const sample = loadConfig(join(SAMPLE, 'gateway.yaml'));
    expect(sample.pdp.apiKey).toEqual({ env: 'SAFAX_GATEWAY_PDP_KEY' });
    gw = await startTestGateway({
      pdpUrl: safax.pdpUrl,
      apiKey: safax.controllerKey,
      users: [{ name: 'alice' }, { name: 'bob' }, { name: 'charlie' }],
      config: { region: sample.region, pdp: { ...sample.pdp, url: safax.pdpUrl, apiKey: { env: 'PDP_KEY' }, cache: false } },
    });
    alice = gw.client('alice');
    bob = gw.client('bob');
    charlie = gw.client('charlie');
  });
  afterAll(async () => {
    await gw?.close();
    await safax?.close();
  });

  it('lets Alice keep her photos and diary, and Bob only view the photos (AR1)', async () => {
    await alice.send(new CreateBucketCommand({ Bucket: 'photos' }));
    await alice.send(new CreateBucketCommand({ Bucket: 'diary' }));
    await alice.send(new PutObjectCommand({ Bucket: 'photos', Key: '2026/beach.jpg', Body: 'beach', ContentType: 'image/jpeg' }));
    await alice.send(new PutObjectCommand({ Bucket: 'photos', Key: '2026/hike.jpg', Body: 'hike', ContentType: 'image/jpeg' }));
    await alice.send(new PutObjectCommand({ Bucket: 'diary', Key: 'today.txt', Body: 'dear diary' }));

    expect((await bob.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual(['photos']);
    expect((await bob.send(new ListObjectsV2Command({ Bucket: 'photos' }))).Contents?.map((c) => c.Key)).toEqual(['2026/beach.jpg', '2026/hike.jpg']);
    expect(await (await bob.send(new GetObjectCommand({ Bucket: 'photos', Key: '2026/beach.jpg' }))).Body!.transformToString()).toBe('beach');
    for (const p of [
      bob.send(new PutObjectCommand({ Bucket: 'photos', Key: '2026/bob.jpg', Body: 'b' })),
      bob.send(new DeleteObjectCommand({ Bucket: 'photos', Key: '2026/hike.jpg' })),
      bob.send(new GetObjectCommand({ Bucket: 'diary', Key: 'today.txt' })),
      bob.send(new ListObjectsV2Command({ Bucket: 'diary' })),
      charlie.send(new GetObjectCommand({ Bucket: 'photos', Key: '2026/beach.jpg' })),
      charlie.send(new ListObjectsV2Command({ Bucket: 'photos' })),
    ]) {
      expect((await errorOf(p)).name).toBe('AccessDenied');
    }
    // The decision log names the requirement that decided.
    const e = await errorOf(bob.send(new PutObjectCommand({ Bucket: 'photos', Key: '2026/bob.jpg', Body: 'b' })));
    const tx = /SAFAX transaction ([^)\s]+)\)/.exec(e.message)![1]!;
    const entry = await safax.t.as(safax.domain.owner.key).get(`/api/v1/domains/${safax.domain.domainId}/decisions/${tx}`).expect(200);
    expect([entry.body.decision, entry.body.policies]).toEqual(['Deny', ['urn:safax:sample:photos:AR4 v1.0']]);
  });

  it('lets Bob modify the photos once Alice deploys AR1¯, still nothing else', async () => {
    await safax.deploy(read('ar1-bar-bob-views-and-modifies-photos.xml'));
    await bob.send(new PutObjectCommand({ Bucket: 'photos', Key: '2026/bob.jpg', Body: 'from bob', ContentType: 'image/jpeg' }));
    await bob.send(new DeleteObjectCommand({ Bucket: 'photos', Key: '2026/hike.jpg' }));
    expect((await alice.send(new ListObjectsV2Command({ Bucket: 'photos' }))).Contents?.map((c) => c.Key)).toEqual(['2026/beach.jpg', '2026/bob.jpg']);
    expect((await errorOf(bob.send(new GetObjectCommand({ Bucket: 'diary', Key: 'today.txt' })))).name).toBe('AccessDenied');
    expect((await errorOf(bob.send(new CreateBucketCommand({ Bucket: 'photos' })))).name).toBe('BucketAlreadyExists');
    expect((await errorOf(charlie.send(new PutObjectCommand({ Bucket: 'photos', Key: 'x.jpg', Body: 'x' })))).name).toBe('AccessDenied');
  });
});
