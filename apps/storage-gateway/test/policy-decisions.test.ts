/**
 * What the policy decides and how the gateway enforces it, with the real platform: listings
 * and bucket lists filtered per object in one round trip, DeleteObjects per key, the two
 * obligations (audit line, watermark header) and an unknown one (denied), the gateway as the
 * domain's Context Handler (registered through the public API; a policy on a tag and on the
 * uploader — attributes the gateway never sends — decides right), and fail-closed when
 * SAFAX-TS cannot be reached.
 */
import { request } from 'node:http';
import { createServer } from 'node:net';
import { CreateBucketCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, PutObjectTaggingCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { actions, errorOf, group, policyXml, startSafax, startTestGateway, user } from './support/gateway-harness';
import type { GatewayUnderTest, Match, Safax } from './support/gateway-harness';

const key = (value: string, fn = 'urn:oasis:names:tc:xacml:3.0:function:string-starts-with'): Match[][] => [[{ cat: 'resource', attr: 'urn:safax:1.0:s3:key', value, fn }]];
const resourceType = (t: string): Match[][] => [[{ cat: 'resource', attr: 'urn:safax:1.0:resource:type', value: t }]];

const POLICY = policyXml('urn:safax:test:gateway:decisions', [
  { id: 'alice-everything', target: [user('alice')] },
  { id: 'bob-sees-shared-bucket', target: [user('bob'), actions('s3:ListAllMyBuckets', 's3:ListBucket'), resourceType('bucket'), [[{ cat: 'resource', attr: 'urn:safax:1.0:s3:bucket', value: 'shared' }]]] },
  { id: 'bob-reads-public', target: [user('bob'), actions('s3:ListBucket', 's3:GetObject', 's3:DeleteObject'), key('public/')] },
  // Tags and uploader are never in the gateway's requests: the PDP asks the gateway's Context Handler.
  { id: 'bob-reads-tagged-public', target: [user('bob'), actions('s3:ListBucket', 's3:GetObject'), [[{ cat: 'resource', attr: 'urn:safax:1.0:s3:tag:visibility', value: 'public' }]]] },
  { id: 'frank-reads-what-alice-uploaded', target: [user('frank'), actions('s3:GetObject'), [[{ cat: 'resource', attr: 'urn:safax:1.0:s3:uploader', value: 'alice' }]]] },
  {
    id: 'auditors-read-watermarked',
    target: [group('auditors'), actions('s3:GetObject')],
    obligations: [
      { id: 'urn:safax:1.0:obligation:log-access', assignments: { 'urn:safax:1.0:obligation:reason': 'audit' } },
      { id: 'urn:safax:1.0:obligation:watermark-header', assignments: { 'urn:safax:1.0:obligation:watermark': 'copy for the auditors' } },
    ],
  },
  { id: 'dave-with-unknown-obligation', target: [user('dave'), actions('s3:GetObject')], obligations: [{ id: 'urn:example:obligation:unheard-of' }] },
]);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

describe('policy decisions at the gateway', () => {
  let safax: Safax;
  let gw: GatewayUnderTest;
  let alice: S3Client;
  let bob: S3Client;

  beforeAll(async () => {
    safax = await startSafax([POLICY]);
    const chPort = await freePort();
    gw = await startTestGateway({
      pdpUrl: safax.pdpUrl,
      apiKey: safax.controllerKey,
      users: [{ name: 'alice' }, { name: 'bob' }, { name: 'carol', groups: ['auditors'] }, { name: 'dave' }, { name: 'frank' }],
      config: {
        pdp: { url: safax.pdpUrl, apiKey: { env: 'PDP_KEY' }, timeoutMs: 1000, breaker: false },
        contextHandler: {
          listen: { host: '127.0.0.1', port: chPort },
          publicUrl: `http://127.0.0.1:${chPort}/context-handler`,
          allowFrom: ['127.0.0.1'],
          register: { apiUrl: safax.baseUrl, domainId: safax.domain.domainId, serviceId: 'storage-gateway-test' },
        },
      },
    });
    alice = gw.client('alice');
    bob = gw.client('bob');
    await alice.send(new CreateBucketCommand({ Bucket: 'shared' }));
    await alice.send(new CreateBucketCommand({ Bucket: 'alice-only' }));
    for (const k of ['public/a.jpg', 'public/b.jpg', 'private/1.jpg', 'private/2.jpg', 'secret.txt', 'tagged/x.jpg']) await alice.send(new PutObjectCommand({ Bucket: 'shared', Key: k, Body: k }));
    await alice.send(new PutObjectTaggingCommand({ Bucket: 'shared', Key: 'private/2.jpg', Tagging: { TagSet: [{ Key: 'visibility', Value: 'public' }] } }));
    await alice.send(new PutObjectTaggingCommand({ Bucket: 'shared', Key: 'secret.txt', Tagging: { TagSet: [{ Key: 'visibility', Value: 'private' }] } }));
  });
  afterAll(async () => {
    await gw?.close();
    await safax?.close();
  });

  it('registered itself as the domain\'s Context Handler through the public API', async () => {
    const r = await safax.t.as(safax.domain.owner.key).get(`/api/v1/domains/${safax.domain.domainId}/context-handlers`).expect(200);
    expect(r.body.items).toEqual([expect.objectContaining({ controllerId: safax.controllerId, serviceId: 'storage-gateway-test' })]);
  });

  it('shows in listings only what the caller may see, deciding each page in one round trip', async () => {
    const flat = await bob.send(new ListObjectsV2Command({ Bucket: 'shared' }));
    expect(flat.Contents?.map((c) => c.Key)).toEqual(['private/2.jpg', 'public/a.jpg', 'public/b.jpg']);
    const grouped = await bob.send(new ListObjectsV2Command({ Bucket: 'shared', Delimiter: '/' }));
    expect([grouped.Contents ?? [], grouped.CommonPrefixes?.map((p) => p.Prefix)]).toEqual([[], ['private/', 'public/']]);
    const line = gw.log.lines.filter((l) => l.fields.event === 'request' && l.fields.operation === 'ListObjectsV2').at(-1)!;
    expect(new Set(line.fields.transactionIds as string[]).size).toBe(1);
    expect((await alice.send(new ListObjectsV2Command({ Bucket: 'shared' }))).KeyCount).toBe(6);
    expect((await bob.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual(['shared']);
    expect((await errorOf(bob.send(new ListObjectsV2Command({ Bucket: 'alice-only' })))).name).toBe('AccessDenied');
  });

  it('decides a tag and an uploader it never sent by asking the gateway as Context Handler', async () => {
    expect(await (await bob.send(new GetObjectCommand({ Bucket: 'shared', Key: 'private/2.jpg' }))).Body!.transformToString()).toBe('private/2.jpg');
    const e = await errorOf(bob.send(new GetObjectCommand({ Bucket: 'shared', Key: 'secret.txt' })));
    expect(e.name).toBe('AccessDenied');
    const tx = /SAFAX transaction ([^)\s]+)\)/.exec(e.message)![1]!;
    const logged = await safax.t.as(safax.domain.owner.key).get(`/api/v1/domains/${safax.domain.domainId}/decisions/${tx}`).expect(200);
    expect(logged.body.calls).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'attribute', target: 'urn:safax:1.0:s3:tag:visibility', values: 1 })]));
    expect(logged.body.request).not.toMatch(/s3:tag:visibility|s3:uploader/);
    const frank = gw.client('frank');
    expect((await frank.send(new HeadObjectCommand({ Bucket: 'shared', Key: 'secret.txt' }))).ContentLength).toBe(10);
    expect((await errorOf(frank.send(new GetObjectCommand({ Bucket: 'shared', Key: 'missing' })))).name).toBe('AccessDenied');
  });

  it('deletes per key what the policy allows in one DeleteObjects', async () => {
    await alice.send(new PutObjectCommand({ Bucket: 'shared', Key: 'public/gone.jpg', Body: 'g' }));
    const r = await bob.send(new DeleteObjectsCommand({ Bucket: 'shared', Delete: { Objects: [{ Key: 'public/gone.jpg' }, { Key: 'private/1.jpg' }] } }));
    expect(r.Deleted?.map((d) => d.Key)).toEqual(['public/gone.jpg']);
    expect(r.Errors?.map((x) => [x.Key, x.Code])).toEqual([['private/1.jpg', 'AccessDenied']]);
    expect((await alice.send(new HeadObjectCommand({ Bucket: 'shared', Key: 'private/1.jpg' }))).ContentLength).toBe(13);
  });

  it('fulfils log-access and watermark-header; an unknown obligation denies', async () => {
    const got = await gw.client('carol').send(new GetObjectCommand({ Bucket: 'shared', Key: 'secret.txt' }));
    expect(got.Metadata).toEqual({ 'safax-watermark': 'copy for the auditors' });
    expect(await got.Body!.transformToString()).toBe('secret.txt');
    const audit = gw.log.lines.filter((l) => l.fields.event === 'audit');
    expect(audit.at(-1)!.fields).toMatchObject({ user: 'carol', action: 's3:GetObject', resource: 'shared/secret.txt', decision: 'Permit', assignments: { 'urn:safax:1.0:obligation:reason': 'audit' } });
    expect(audit.at(-1)!.fields.transactionId).toEqual(expect.any(String));
    const e = await errorOf(gw.client('dave').send(new GetObjectCommand({ Bucket: 'shared', Key: 'secret.txt' })));
    expect(e.name).toBe('AccessDenied');
    expect(e.message).toMatch(/obligation urn:example:obligation:unheard-of cannot be fulfilled/);
  });

  it('fails closed: SAFAX-TS unreachable is AccessDenied, and service resumes when it is back', async () => {
    await safax.stopHttp();
    try {
      const e = await errorOf(alice.send(new GetObjectCommand({ Bucket: 'shared', Key: 'public/a.jpg' })));
      expect([e.name, e.$metadata?.httpStatusCode]).toEqual(['AccessDenied', 403]);
      expect(e.message).toMatch(/no decision from SAFAX-TS \(network\)/);
      const put = await errorOf(alice.send(new PutObjectCommand({ Bucket: 'shared', Key: 'while-down', Body: 'x' })));
      expect(put.name).toBe('AccessDenied');
    } finally {
      await safax.startHttp();
    }
    expect(await (await alice.send(new GetObjectCommand({ Bucket: 'shared', Key: 'public/a.jpg' }))).Body!.transformToString()).toBe('public/a.jpg');
    expect((await errorOf(alice.send(new HeadObjectCommand({ Bucket: 'shared', Key: 'while-down' })))).$metadata?.httpStatusCode).toBe(404);
  });

  it('answers the PDP only from allowed addresses, and never with object data', async () => {
    const url = `http://127.0.0.1:${gw.server.contextHandlerPort}/context-handler`;
    const ask = (attributeId: string, datatype = 'http://www.w3.org/2001/XMLSchema#string', resourceId = ['shared/private/2.jpg']) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ category: 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource', attributeId, datatype, subjectId: [], resourceId, actionId: [] }) }).then(async (r) => [r.status, await r.json()]);
    expect(await ask('urn:safax:1.0:s3:tag:visibility')).toEqual([200, { values: ['public'] }]);
    expect(await ask('urn:safax:1.0:s3:size', 'http://www.w3.org/2001/XMLSchema#integer')).toEqual([200, { values: ['13'] }]);
    expect(await ask('urn:safax:1.0:s3:created', 'http://www.w3.org/2001/XMLSchema#dateTime')).toEqual([200, { values: [expect.stringMatching(/^\d{4}-\d\d-\d\dT/)] }]);
    expect(await ask('urn:safax:1.0:s3:owner', 'http://www.w3.org/2001/XMLSchema#string', ['shared'])).toEqual([200, { values: ['alice'] }]);
    expect(await ask('urn:safax:1.0:s3:size', 'http://www.w3.org/2001/XMLSchema#boolean')).toEqual([200, { values: [] }]);
    expect(await ask('urn:safax:1.0:s3:tag:visibility', undefined, ['shared/nothing-here'])).toEqual([200, { values: [] }]);
    expect((await fetch(url, { method: 'POST', body: '{"nope":1}' })).status).toBe(400);
    expect((await fetch(url.replace('/context-handler', '/other'), { method: 'POST', body: '{}' })).status).toBe(404);
    const fromElsewhere = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', localAddress: '127.0.0.2', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ category: 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource', attributeId: 'urn:safax:1.0:s3:owner', datatype: 'http://www.w3.org/2001/XMLSchema#string', resourceId: ['shared'] }));
    });
    expect(fromElsewhere).toBe(403);
  });
});
