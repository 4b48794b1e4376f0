/** The local-directory backend on its own: layout, atomic writes, ranges, multipart, key names. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { S3Error } from '../src/s3/errors';
import { keyFileName, openLocalBackend } from '../src/storage/local-backend';
import type { LocalBackend } from '../src/storage/local-backend';
import { checkObjectKey } from '../src/storage/names';

const W = { contentType: 'text/plain', owner: 'alice', uploader: 'alice', userMetadata: {}, tags: {} };

async function text(r: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

function failing(prefix: string, error: Error): Readable {
  return new Readable({
    read() {
      this.push(Buffer.from(prefix));
      this.destroy(error);
    },
  });
}

/** Every file under a directory, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

describe('local backend', () => {
  let root: string;
  let b: LocalBackend;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'sgw-local-'));
    b = await openLocalBackend({ root, fsync: false, minPartSize: 4 });
    await b.createBucket('photos', 'alice');
  });
  afterAll(async () => {
    await b.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('stores an object with its metadata beside it and reads it back, whole and in ranges', async () => {
    const info = await b.putObject('photos', 'a/b.txt', Readable.from([Buffer.from('hello '), Buffer.from('world')]), 11, { ...W, userMetadata: { camera: 'x' }, tags: { t: '1' } });
    expect(info.etag).toBe('5eb63bbbe01eeed093cb22bb8f5acdc3');
    const head = await b.headObject('photos', 'a/b.txt');
    expect(head).toMatchObject({ size: 11, contentType: 'text/plain', owner: 'alice', userMetadata: { camera: 'x' } });
    expect(await b.getTags('photos', 'a/b.txt')).toEqual({ t: '1' });
    expect(await text((await b.getObject('photos', 'a/b.txt')).body)).toBe('hello world');
    const r = await b.getObject('photos', 'a/b.txt', { start: 6 });
    expect(r.range).toEqual({ start: 6, end: 10 });
    expect(await text(r.body)).toBe('world');
    expect(await text((await b.getObject('photos', 'a/b.txt', { suffix: 3 })).body)).toBe('rld');
    await expect(b.getObject('photos', 'a/b.txt', { start: 11 })).rejects.toMatchObject({ code: 'InvalidRange' });
    // The key is one encoded file name in keys/, never a path.
    expect(readdirSync(join(root, 'photos', 'keys'))).toContain(`${keyFileName('a/b.txt')}.json`);
  });

  it('keeps the old object when a write fails midway, and leaves no temporary file', async () => {
    await b.putObject('photos', 'keep', Readable.from([Buffer.from('old')]), 3, W);
    await expect(b.putObject('photos', 'keep', failing('ne', new S3Error('BadDigest', 'no')), 3, W)).rejects.toMatchObject({ code: 'BadDigest' });
    await expect(b.putObject('photos', 'keep', Readable.from([Buffer.from('toolong')]), 3, W)).rejects.toMatchObject({ code: 'IncompleteBody' });
    expect(await text((await b.getObject('photos', 'keep')).body)).toBe('old');
    expect(readdirSync(join(root, '.tmp'))).toEqual([]);
    const dataFiles = readdirSync(join(root, 'photos', 'data'));
    const keys = readdirSync(join(root, 'photos', 'keys'));
    expect(dataFiles.length).toBe(keys.length);
  });

  it('readers see the old or the new version while writers replace an object concurrently', async () => {
    await b.putObject('photos', 'race', Readable.from([Buffer.from('v0')]), 2, W);
    const writes = Array.from({ length: 8 }, (_, i) => b.putObject('photos', 'race', Readable.from([Buffer.from(`v${i + 1}`)]), 2, W));
    const reads = Array.from({ length: 8 }, async () => text((await b.getObject('photos', 'race')).body));
    const seen = await Promise.all(reads);
    await Promise.all(writes);
    for (const s of seen) expect(s).toMatch(/^v\d$/);
    expect(await text((await b.getObject('photos', 'race')).body)).toMatch(/^v[1-8]$/);
    expect(readdirSync(join(root, 'photos', 'data')).length).toBe(readdirSync(join(root, 'photos', 'keys')).length);
  });

  it('lists keys in UTF-8 byte order with prefix, start-after and limit; long keys too', async () => {
    await b.createBucket('list', 'alice');
    const long = 'l/' + 'x'.repeat(600);
    for (const k of ['b', 'a', 'é', 'a/1', 'a/2', long]) await b.putObject('list', k, Readable.from([Buffer.from('.')]), 1, W);
    const all = await b.listObjects('list', { prefix: '', limit: 100 });
    expect(all.items.map((i) => i.key)).toEqual(['a', 'a/1', 'a/2', 'b', long, 'é']);
    const page = await b.listObjects('list', { prefix: 'a', startAfter: 'a', limit: 1 });
    expect(page).toMatchObject({ truncated: true, items: [{ key: 'a/1' }] });
    expect((await b.headObject('list', long)).size).toBe(1);
  });

  it('refuses bucket deletion while objects remain, and reports missing buckets and keys', async () => {
    await expect(b.deleteBucket('photos')).rejects.toMatchObject({ code: 'BucketNotEmpty' });
    await expect(b.headObject('nope', 'k')).rejects.toMatchObject({ code: 'NoSuchBucket' });
    await expect(b.headObject('photos', 'nope')).rejects.toMatchObject({ code: 'NoSuchKey' });
    await expect(b.createBucket('photos', 'alice')).rejects.toMatchObject({ code: 'BucketAlreadyOwnedByYou' });
    await expect(b.createBucket('photos', 'bob')).rejects.toMatchObject({ code: 'BucketAlreadyExists' });
    await b.createBucket('empty', 'bob');
    await b.deleteBucket('empty');
    await expect(b.getBucket('empty')).rejects.toMatchObject({ code: 'NoSuchBucket' });
  });

  it('assembles a multipart upload and checks parts, order and sizes', async () => {
    const u = await b.createUpload('photos', 'big', W);
    const p1 = await b.uploadPart('photos', 'big', u.uploadId, 1, Readable.from([Buffer.from('abcd')]), 4);
    const p2 = await b.uploadPart('photos', 'big', u.uploadId, 2, Readable.from([Buffer.from('ef')]), 2);
    expect((await b.listParts('photos', 'big', u.uploadId)).map((p) => p.partNumber)).toEqual([1, 2]);
    await expect(b.completeUpload('photos', 'big', u.uploadId, [p2, p1].map((p) => ({ partNumber: p.partNumber, etag: p.etag })))).rejects.toMatchObject({ code: 'InvalidPartOrder' });
    await expect(b.completeUpload('photos', 'big', u.uploadId, [{ partNumber: 1, etag: 'nope' }])).rejects.toMatchObject({ code: 'InvalidPart' });
    const small = await b.createUpload('photos', 'small', W);
    const s1 = await b.uploadPart('photos', 'small', small.uploadId, 1, Readable.from([Buffer.from('ab')]), 2);
    await b.uploadPart('photos', 'small', small.uploadId, 2, Readable.from([Buffer.from('c')]), 1);
    await expect(b.completeUpload('photos', 'small', small.uploadId, [{ partNumber: 1, etag: s1.etag }, { partNumber: 2, etag: (await b.listParts('photos', 'small', small.uploadId))[1]!.etag }])).rejects.toMatchObject({ code: 'EntityTooSmall' });
    const info = await b.completeUpload('photos', 'big', u.uploadId, [p1, p2].map((p) => ({ partNumber: p.partNumber, etag: `"${p.etag}"` })));
    expect(info.etag).toMatch(/^[0-9a-f]{32}-2$/);
    expect(await text((await b.getObject('photos', 'big')).body)).toBe('abcdef');
    await expect(b.listParts('photos', 'big', u.uploadId)).rejects.toMatchObject({ code: 'NoSuchUpload' });
    await expect(b.getUpload('photos', 'big', '../../etc')).rejects.toMatchObject({ code: 'NoSuchUpload' });
    await b.abortUpload('photos', 'small', small.uploadId);
    await expect(b.abortUpload('photos', 'small', small.uploadId)).rejects.toMatchObject({ code: 'NoSuchUpload' });
  });

  it('keeps every file inside the store, whatever the key', async () => {
    const hostile = ['../escape', '..%2Fescape', 'a/../../x', '%2e%2e/x', '..\\x', '/abs', 'nul\u0000x'];
    for (const k of hostile) {
      let refused = false;
      try {
        checkObjectKey(k);
      } catch {
        refused = true;
      }
      if (!refused) await b.putObject('photos', k, Readable.from([Buffer.from('x')]), 1, W);
    }
    for (const f of filesUnder(root)) expect(f.startsWith(root + '/')).toBe(true);
    expect(readdirSync(join(root, '..')).filter((n) => n === 'escape' || n === 'x')).toEqual([]);
    expect(() => checkObjectKey('../escape')).toThrow(S3Error);
    expect(() => checkObjectKey('a/./b')).toThrow(/"\." or "\.\."/);
    expect(() => checkObjectKey('.safax/bucket.json', '.safax/')).toThrow(/reserved/);
    expect(() => checkObjectKey('.safax/bucket.json')).not.toThrow();
  });
});
