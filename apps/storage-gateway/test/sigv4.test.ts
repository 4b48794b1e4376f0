/**
 * Signature V4: AWS's published examples (header, presigned, aws-chunked) verified by the
 * gateway's verifier, then the real SDK and hand-built requests against a running gateway:
 * wrong secret, unknown key, skewed clock, tampered and expired presigned URLs, bodies that
 * break their hash, checksum or chunk signatures — refused as S3 does, nothing stored, and
 * no decision asked for. (These tests need no PDP: the gateway gets an authorizer that
 * permits and counts, so what is tested is the authentication in front of it.)
 */
import { createHash, createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { SignatureV4 } from '@smithy/signature-v4';
import { canonicalPath, NodeSha256, verifyRequest } from '../src/auth/sigv4';
import type { AccessKey } from '../src/auth/access-keys';
import type { Authorizer } from '../src/policy/authorizer';
import { keyFileName } from '../src/storage/local-backend';
import { errorOf, REGION, startTestGateway } from './support/gateway-harness';
import type { GatewayUnderTest } from './support/gateway-harness';

const EXAMPLE_KEY: AccessKey = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', user: 'example', groups: [] };
const EXAMPLE_TIME = new Date('2013-05-24T00:00:00Z');
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function view(method: string, url: string, headers: Record<string, string>) {
  const q = url.indexOf('?');
  const query = q < 0 ? [] : url.slice(q + 1).split('&').map((p) => p.split('=').map(decodeURIComponent) as [string, string]);
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method, rawPath: q < 0 ? url : url.slice(0, q), query, headers: lower, headersDistinct: Object.fromEntries(Object.entries(lower).map(([k, v]) => [k, [v]])) };
}

const exampleOptions = { region: 'us-east-1', clockSkewMs: 15 * 60 * 1000, now: EXAMPLE_TIME, findKey: (id: string) => (id === EXAMPLE_KEY.accessKeyId ? EXAMPLE_KEY : undefined) };

describe('SigV4 against the AWS documentation examples', () => {
  it('verifies the GET Object example (header signature) and refuses any change to it', async () => {
    const headers = {
      Host: 'examplebucket.s3.amazonaws.com',
      Range: 'bytes=0-9',
      'x-amz-content-sha256': EMPTY,
      'x-amz-date': '20130524T000000Z',
      Authorization: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    };
    const ok = await verifyRequest(view('GET', '/test.txt', headers), exampleOptions);
    expect(ok).toMatchObject({ key: { user: 'example' }, payload: { kind: 'sha256', sha256: EMPTY }, presigned: false });
    await expect(verifyRequest(view('GET', '/test.txt', { ...headers, Range: 'bytes=0-10' }), exampleOptions)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
    await expect(verifyRequest(view('GET', '/test2.txt', headers), exampleOptions)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    await expect(verifyRequest(view('GET', '/test.txt', headers), { ...exampleOptions, region: 'eu-west-1' })).rejects.toMatchObject({ code: 'AuthorizationHeaderMalformed' });
    await expect(verifyRequest(view('GET', '/test.txt', headers), { ...exampleOptions, now: new Date('2013-05-24T00:16:00Z') })).rejects.toMatchObject({ code: 'RequestTimeTooSkewed' });
    await expect(verifyRequest(view('GET', '/test.txt', headers), { ...exampleOptions, findKey: () => undefined })).rejects.toMatchObject({ code: 'InvalidAccessKeyId', status: 403 });
    await expect(verifyRequest(view('GET', '/test.txt', { ...headers, Authorization: 'AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=' }), exampleOptions)).rejects.toMatchObject({ code: 'InvalidRequest' });
    await expect(verifyRequest(view('GET', '/test.txt', { ...headers, Authorization: 'AWS4-HMAC-SHA256 Credential=x' }), exampleOptions)).rejects.toMatchObject({ code: 'AuthorizationHeaderMalformed' });
  });

  it('verifies the presigned URL example until it expires', async () => {
    const url =
      '/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
    const headers = { Host: 'examplebucket.s3.amazonaws.com' };
    expect(await verifyRequest(view('GET', url, headers), exampleOptions)).toMatchObject({ presigned: true, payload: { kind: 'unsigned' } });
    await expect(verifyRequest(view('GET', url, headers), { ...exampleOptions, now: new Date('2013-05-25T00:00:01Z') })).rejects.toMatchObject({ code: 'AccessDenied', message: 'Request has expired' });
    await expect(verifyRequest(view('GET', url.replace('86400', '86401'), headers), exampleOptions)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    await expect(verifyRequest(view('GET', url.replace('X-Amz-Expires=86400', 'X-Amz-Expires=999999'), headers), exampleOptions)).rejects.toMatchObject({ code: 'AuthorizationQueryParametersError' });
  });

  it('computes the chunk signatures of the aws-chunked example', async () => {
    const headers = {
      Host: 's3.amazonaws.com',
      'x-amz-date': '20130524T000000Z',
      'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'Content-Encoding': 'aws-chunked',
      'x-amz-decoded-content-length': '66560',
      'Content-Length': '66824',
      Authorization:
        'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
    };
    const auth = await verifyRequest(view('PUT', '/examplebucket/chunkObject.txt', headers), exampleOptions);
    if (auth.payload.kind !== 'chunked' || !auth.payload.chunkSigner) throw new Error('expected a signed chunked payload');
    const s = auth.payload.chunkSigner;
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const c1 = await s.chunk(s.seedSignature, sha(Buffer.alloc(65536, 'a')));
    expect(c1).toBe('ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648');
    const c2 = await s.chunk(c1, sha(Buffer.alloc(1024, 'a')));
    expect(c2).toBe('0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497');
    expect(await s.chunk(c2, EMPTY)).toBe('b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9');
  });

  it('builds the canonical URI from the decoded path, whatever encoding the client chose', () => {
    expect(canonicalPath('/b/a%20b/c(1).txt')).toBe('/b/a%20b/c%281%29.txt');
    expect(canonicalPath('/b/%E2%82%AC/x~y')).toBe('/b/%E2%82%AC/x~y');
  });
});

/** Permits everything and counts: shows which requests reach the decision step at all. */
function countingAuthorizer(): Authorizer & { calls: number } {
  const a = {
    calls: 0,
    decide: async () => {
      a.calls++;
      return { allowed: true as const, headers: {} };
    },
    decideMany: async (_c: unknown, rs: readonly unknown[]) => {
      a.calls += rs.length;
      return rs.map(() => ({ allowed: true as const, headers: {} }));
    },
    clearCache: () => undefined,
    close: async () => undefined,
  };
  return a;
}

describe('SigV4 at the gateway (real SDK and hand-built requests)', () => {
  let gw: GatewayUnderTest;
  const authz = countingAuthorizer();
  beforeAll(async () => {
    gw = await startTestGateway({ pdpUrl: 'http://127.0.0.1:9/pdp/none', apiKey: 'unused', users: [{ name: 'alice' }], start: { authorizer: authz } });
    await gw.server.services.backend.createBucket('box', 'alice');
  });
  afterAll(async () => {
    await gw.close();
  });

  const stored = (key: string) => existsSync(join(gw.dir, 'store', 'box', 'keys', `${keyFileName(key)}.json`));

  it('accepts what the SDK sends: signed payloads, and streams with an unsigned CRC32 trailer', async () => {
    const s3 = gw.client('alice');
    await s3.send(new PutObjectCommand({ Bucket: 'box', Key: 'buf.txt', Body: 'hello' }));
    await s3.send(new PutObjectCommand({ Bucket: 'box', Key: 'stream.txt', Body: Readable.from([Buffer.from('hello '), Buffer.from('stream')]), ContentLength: 12 }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'box', Key: 'stream.txt' }));
    expect(await got.Body!.transformToString()).toBe('hello stream');
  });

  it('refuses a wrong secret, an unknown key and a skewed clock before any decision', async () => {
    const before = authz.calls;
    const alice = gw.keys.get('alice')!;
    const wrong = gw.client('alice', { credentials: { accessKeyId: alice.accessKeyId, secretAccessKey: 'not-the-secret-at-all' } });
    const e1 = await errorOf(wrong.send(new PutObjectCommand({ Bucket: 'box', Key: 'forged', Body: 'x' })));
    expect([e1.name, e1.$metadata?.httpStatusCode]).toEqual(['SignatureDoesNotMatch', 403]);
    const e2 = await errorOf(gw.client('nobody').send(new GetObjectCommand({ Bucket: 'box', Key: 'buf.txt' })));
    expect([e2.name, e2.$metadata?.httpStatusCode]).toEqual(['InvalidAccessKeyId', 403]);
    const e3 = await errorOf(gw.client('alice', { systemClockOffset: -3_600_000 }).send(new GetObjectCommand({ Bucket: 'box', Key: 'buf.txt' })));
    expect(e3.name).toBe('RequestTimeTooSkewed');
    const e4 = await errorOf(fetch(`${gw.endpoint}/box/buf.txt`).then(async (r) => (r.status === 403 ? Promise.reject(new Error(await r.text())) : r)));
    expect(e4.message).toMatch(/<Code>AccessDenied<\/Code><Message>Anonymous access is not allowed/);
    expect(stored('forged')).toBe(false);
    expect(authz.calls).toBe(before);
  });

  it('serves presigned GET and PUT URLs, and refuses them tampered or expired', async () => {
    const s3 = gw.client('alice');
    const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'box', Key: 'buf.txt' }), { expiresIn: 60 });
    const r = await fetch(getUrl);
    expect([r.status, await r.text()]).toEqual([200, 'hello']);
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: 'box', Key: 'via-url.txt' }), { expiresIn: 60 });
    expect((await fetch(putUrl, { method: 'PUT', body: 'uploaded' })).status).toBe(200);
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'box', Key: 'via-url.txt' }))).Body!.transformToString()).toBe('uploaded');

    const tampered = await fetch(getUrl.replace('buf.txt', 'via-url.txt'));
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toMatch(/<Code>SignatureDoesNotMatch<\/Code>/);
    const old = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'box', Key: 'buf.txt' }), { expiresIn: 60, signingDate: new Date(Date.now() - 3_600_000) });
    const expired = await fetch(old);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
  });

  /** Signs like the SDK (Smithy signer) and sends over node:http; `body` is sent as is. */
  async function signedRaw(method: string, path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string }> {
    const k = gw.keys.get('alice')!;
    const signer = new SignatureV4({ credentials: { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey }, region: REGION, service: 's3', sha256: NodeSha256, uriEscapePath: false, applyChecksum: false });
    const host = new URL(gw.endpoint).host;
    const signed = await signer.sign({ method, protocol: 'http:', hostname: '127.0.0.1', port: Number(new URL(gw.endpoint).port), path, query: {}, headers: { host, ...headers } });
    return new Promise((resolve, reject) => {
      const req = http.request(`${gw.endpoint}${path}`, { method, headers: signed.headers as Record<string, string> }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('refuses a body that does not match its x-amz-content-sha256, Content-MD5 or checksum, storing nothing', async () => {
    const body = Buffer.from('the real body');
    const sha = createHash('sha256').update('another body').digest('hex');
    const r1 = await signedRaw('PUT', '/box/bad-sha', { 'x-amz-content-sha256': sha, 'content-length': String(body.length) }, body);
    expect(r1.status).toBe(400);
    expect(r1.text).toMatch(/<Code>XAmzContentSHA256Mismatch<\/Code>/);
    const goodSha = createHash('sha256').update(body).digest('hex');
    const r2 = await signedRaw('PUT', '/box/bad-md5', { 'x-amz-content-sha256': goodSha, 'content-length': String(body.length), 'content-md5': createHash('md5').update('x').digest('base64') }, body);
    expect(r2.text).toMatch(/<Code>BadDigest<\/Code>/);
    const r3 = await signedRaw('PUT', '/box/bad-crc', { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': String(body.length), 'x-amz-checksum-crc32': 'AAAAAA==' }, body);
    expect(r3.text).toMatch(/<Code>BadDigest<\/Code>/);
    const r4 = await signedRaw('PUT', '/box/short', { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '20', 'x-amz-trailer': 'x-amz-checksum-crc32' }, Buffer.from('5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n'));
    expect(r4.text).toMatch(/<Code>InvalidRequest<\/Code>/);
    const r5 = await signedRaw('PUT', '/box/short', { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '20', 'x-amz-trailer': 'x-amz-checksum-crc32' }, Buffer.from('5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n'));
    expect(r5.text).toMatch(/<Code>IncompleteBody<\/Code>/);
    const r6 = await signedRaw('PUT', '/box/bad-trailer', { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '5', 'x-amz-trailer': 'x-amz-checksum-crc32' }, Buffer.from('5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n'));
    expect(r6.text).toMatch(/<Code>BadDigest<\/Code>/);
    const r7 = await signedRaw('PUT', '/box/good-trailer', { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '5', 'x-amz-trailer': 'x-amz-checksum-crc32' }, Buffer.from('5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n'));
    expect(r7.status).toBe(200);
    for (const k of ['bad-sha', 'bad-md5', 'bad-crc', 'short', 'bad-trailer']) expect(stored(k)).toBe(false);
    expect(stored('good-trailer')).toBe(true);
  });

  it('verifies signed aws-chunked uploads chunk by chunk', async () => {
    const k = gw.keys.get('alice')!;
    const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const headers = { 'x-amz-date': amzDate, 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '70000' };
    const data = Buffer.alloc(70000, 'z');
    // The chunk chain computed here from the specification alone (HMAC over the chunk's string to sign).
    const chunkedBody = async (seed: string, tamper: boolean): Promise<Buffer> => {
      const day = amzDate.slice(0, 8);
      const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s).digest();
      const signingKey = hmac(hmac(hmac(hmac(`AWS4${k.secretAccessKey}`, day), REGION), 's3'), 'aws4_request');
      const scope = `${day}/${REGION}/s3/aws4_request`;
      const parts: Buffer[] = [];
      let prev = seed;
      for (const chunk of [data.subarray(0, 65536), data.subarray(65536), Buffer.alloc(0)]) {
        const sts = ['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scope, prev, EMPTY, createHash('sha256').update(chunk).digest('hex')].join('\n');
        prev = createHmac('sha256', signingKey).update(sts).digest('hex');
        const sent = tamper && chunk.length === 65536 ? Buffer.concat([chunk.subarray(0, -1), Buffer.from('!')]) : chunk;
        parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${prev}\r\n`), sent, Buffer.from('\r\n'));
      }
      return Buffer.concat(parts);
    };
    for (const tamper of [true, false]) {
      const keyName = tamper ? 'chunked-tampered' : 'chunked';
      const signer = new SignatureV4({ credentials: { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey }, region: REGION, service: 's3', sha256: NodeSha256, uriEscapePath: false, applyChecksum: false });
      const host = new URL(gw.endpoint).host;
      const body0 = await chunkedBody('0'.repeat(64), false);
      const signed = await signer.sign({ method: 'PUT', protocol: 'http:', hostname: '127.0.0.1', path: `/box/${keyName}`, query: {}, headers: { host, ...headers, 'content-length': String(body0.length) } }, { signingDate: new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`) });
      const seed = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))![1]!;
      const body = await chunkedBody(seed, tamper);
      const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = http.request(`${gw.endpoint}/box/${keyName}`, { method: 'PUT', headers: signed.headers as Record<string, string> }, (r) => {
          const out: Buffer[] = [];
          r.on('data', (c: Buffer) => out.push(c));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, text: Buffer.concat(out).toString() }));
        });
        req.on('error', reject);
        req.end(body);
      });
      if (tamper) {
        expect(res.status).toBe(403);
        expect(res.text).toMatch(/<Code>SignatureDoesNotMatch<\/Code>/);
        expect(stored(keyName)).toBe(false);
      } else {
        expect(res.status).toBe(200);
        const head = await gw.client('alice').send(new HeadObjectCommand({ Bucket: 'box', Key: keyName }));
        expect(head.ContentLength).toBe(70000);
      }
    }
  });
});

