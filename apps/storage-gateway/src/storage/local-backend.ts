/**
 * The default backend: one directory. Layout (the key never becomes a path: it is encoded
 * into one file name, so no key can reach outside its bucket):
 *
 *   <root>/.tmp/                          everything is written here first, then renamed
 *   <root>/<bucket>/.bucket.json          owner, creation time
 *   <root>/<bucket>/keys/<name>.json      the object's metadata; its presence IS the object
 *   <root>/<bucket>/data/<id>             the object's bytes (a fresh id per version)
 *   <root>/<bucket>/uploads/<uploadId>/   multipart: upload.json, <n>.part, <n>.json
 *
 * A write streams the body into .tmp (hashing it as it goes), renames it into data/, then
 * renames the new metadata over the old: readers see the old object or the new one, never a
 * mix. Writers to one key are serialised in-process; one gateway process owns a directory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { S3Error } from '../s3/errors';
import { compareKeys, MIN_PART_SIZE, resolveRange } from './backend';
import type { BucketInfo, ByteRange, ObjectInfo, ObjectRef, ObjectSummary, ObjectWrite, PartInfo, StorageBackend, Tags, UploadInfo } from './backend';

interface ObjectMeta {
  readonly key: string;
  readonly data: string;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: string;
  readonly contentType: string;
  readonly owner: string;
  readonly uploader: string;
  readonly userMetadata: Record<string, string>;
  readonly tags: Record<string, string>;
}

interface UploadMeta extends Omit<ObjectWrite, 'tags' | 'userMetadata'> {
  readonly key: string;
  readonly initiated: string;
  readonly userMetadata: Record<string, string>;
  readonly tags: Record<string, string>;
}

export interface LocalBackendOptions {
  readonly root: string;
  /** fsync object data before it becomes visible (default true). */
  readonly fsync?: boolean;
  readonly minPartSize?: number;
}

const UPLOAD_ID = /^[0-9a-f]{32}$/;
const MAX_PLAIN_NAME = 200;

/** Key → file name: bytes outside [A-Za-z0-9_-] percent-encoded ("k" prefix); too long → its SHA-256 ("h"). */
export function keyFileName(key: string): string {
  const plain = 'k' + Array.from(Buffer.from(key, 'utf8'), (b) => (/[A-Za-z0-9_-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('');
  return plain.length <= MAX_PLAIN_NAME ? plain : 'h' + createHash('sha256').update(key, 'utf8').digest('hex');
}

function keyOfPlainName(name: string): string {
  return Buffer.from(name.slice(1).replace(/%([0-9a-f]{2})|([^%])/g, (_m, hex: string | undefined, ch: string | undefined) => (hex !== undefined ? String.fromCharCode(parseInt(hex, 16)) : ch!)), 'latin1').toString('utf8');
}

const isMissing = (e: unknown): boolean => (e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR';

/** Counts and hashes what flows through. */
class Measure extends Transform {
  size = 0;
  private readonly md5 = createHash('md5');
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null, d?: Buffer) => void): void {
    this.size += chunk.length;
    this.md5.update(chunk);
    done(null, chunk);
  }
  digest(): Buffer {
    return this.md5.digest();
  }
}

export class LocalBackend implements StorageBackend {
  readonly kind = 'local' as const;
  private readonly root: string;
  private readonly tmp: string;
  private readonly fsync: boolean;
  private readonly minPartSize: number;
  private readonly locks = new Map<string, Promise<void>>();

  constructor(options: LocalBackendOptions) {
    this.root = options.root;
    this.tmp = join(options.root, '.tmp');
    this.fsync = options.fsync ?? true;
    this.minPartSize = options.minPartSize ?? MIN_PART_SIZE;
  }

  async init(): Promise<void> {
    await mkdir(this.tmp, { recursive: true });
    // Leftovers of writes interrupted by a crash.
    for (const f of await readdir(this.tmp)) await rm(join(this.tmp, f), { force: true, recursive: true });
  }

  private bucketDir(bucket: string): string {
    return join(this.root, bucket);
  }

  private metaPath(bucket: string, key: string): string {
    return join(this.root, bucket, 'keys', `${keyFileName(key)}.json`);
  }

  private tmpPath(): string {
    return join(this.tmp, randomBytes(12).toString('hex'));
  }

  /** Runs `fn` after every earlier writer of the same key. */
  private async locked<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const chained = previous.then(() => mine);
    this.locks.set(id, chained);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.locks.get(id) === chained) this.locks.delete(id);
    }
  }

  private async writeJson(path: string, value: unknown): Promise<void> {
    const t = this.tmpPath();
    await writeFile(t, JSON.stringify(value));
    await rename(t, path);
  }

  /** Streams `body` into a new file under data/, returning its id, size and MD5. */
  private async writeData(bucket: string, body: Readable): Promise<{ id: string; size: number; md5: Buffer }> {
    const t = this.tmpPath();
    const m = new Measure();
    try {
      await pipeline(body, m, createWriteStream(t, { flags: 'wx' }));
      if (this.fsync) {
        const fh = await open(t, 'r');
        try {
          await fh.sync();
        } finally {
          await fh.close();
        }
      }
      const id = randomBytes(16).toString('hex');
      await rename(t, join(this.bucketDir(bucket), 'data', id));
      return { id, size: m.size, md5: m.digest() };
    } catch (e) {
      await rm(t, { force: true });
      throw e;
    }
  }

  async listBuckets(): Promise<BucketInfo[]> {
    const out: BucketInfo[] = [];
    for (const d of await readdir(this.root, { withFileTypes: true })) {
      if (!d.isDirectory() || d.name.startsWith('.')) continue;
      try {
        out.push(await this.getBucket(d.name));
      } catch {
        // A directory being created or removed right now.
      }
    }
    return out.sort((a, b) => compareKeys(a.name, b.name));
  }

  async getBucket(name: string): Promise<BucketInfo> {
    let raw: string;
    try {
      raw = await readFile(join(this.bucketDir(name), '.bucket.json'), 'utf8');
    } catch (e) {
      if (isMissing(e)) throw new S3Error('NoSuchBucket', 'The specified bucket does not exist');
      throw e;
    }
    const b = JSON.parse(raw) as { owner: string; created: string };
    return { name, owner: b.owner, created: new Date(b.created) };
  }

  async createBucket(name: string, owner: string): Promise<BucketInfo> {
    return this.locked(`bucket:${name}`, async () => {
      try {
        const existing = await this.getBucket(name);
        throw existing.owner === owner
          ? new S3Error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it')
          : new S3Error('BucketAlreadyExists', 'The requested bucket name is not available');
      } catch (e) {
        if (!(e instanceof S3Error && e.code === 'NoSuchBucket')) throw e;
      }
      const dir = this.bucketDir(name);
      for (const sub of ['keys', 'data', 'uploads']) await mkdir(join(dir, sub), { recursive: true });
      const created = new Date();
      await this.writeJson(join(dir, '.bucket.json'), { owner, created: created.toISOString() });
      return { name, owner, created };
    });
  }

  async deleteBucket(name: string): Promise<void> {
    await this.locked(`bucket:${name}`, async () => {
      await this.getBucket(name);
      const dir = this.bucketDir(name);
      if ((await readdir(join(dir, 'keys'))).length > 0) throw new S3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty');
      // The marker goes first: from then on the bucket does not exist for anyone.
      await unlink(join(dir, '.bucket.json'));
      await rm(dir, { recursive: true, force: true });
    });
  }

  private async readMeta(bucket: string, key: string): Promise<ObjectMeta> {
    try {
      return JSON.parse(await readFile(this.metaPath(bucket, key), 'utf8')) as ObjectMeta;
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
    await this.getBucket(bucket);
    throw new S3Error('NoSuchKey', 'The specified key does not exist.');
  }

  private static info(m: ObjectMeta): ObjectInfo {
    return { key: m.key, size: m.size, etag: m.etag, lastModified: new Date(m.lastModified), contentType: m.contentType, owner: m.owner, uploader: m.uploader, userMetadata: m.userMetadata };
  }

  async listObjects(bucket: string, options: { prefix: string; startAfter?: string; limit: number }): Promise<{ items: ObjectSummary[]; truncated: boolean }> {
    await this.getBucket(bucket);
    const dir = join(this.bucketDir(bucket), 'keys');
    const names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
    const keyed: { key: string; name: string }[] = [];
    for (const n of names) {
      const base = n.slice(0, -5);
      if (base.startsWith('k')) keyed.push({ key: keyOfPlainName(base), name: n });
      else {
        try {
          keyed.push({ key: (JSON.parse(await readFile(join(dir, n), 'utf8')) as ObjectMeta).key, name: n });
        } catch {
          // Deleted meanwhile.
        }
      }
    }
    const candidates = keyed
      .filter((k) => k.key.startsWith(options.prefix) && (options.startAfter === undefined || compareKeys(k.key, options.startAfter) > 0))
      .sort((a, b) => compareKeys(a.key, b.key));
    const items: ObjectSummary[] = [];
    let i = 0;
    for (; i < candidates.length && items.length < options.limit; i++) {
      try {
        const m = JSON.parse(await readFile(join(dir, candidates[i]!.name), 'utf8')) as ObjectMeta;
        items.push({ key: m.key, size: m.size, etag: m.etag, lastModified: new Date(m.lastModified) });
      } catch (e) {
        if (!isMissing(e)) throw e;
      }
    }
    return { items, truncated: i < candidates.length };
  }

  async headObject(bucket: string, key: string): Promise<ObjectInfo> {
    return LocalBackend.info(await this.readMeta(bucket, key));
  }

  async getObject(bucket: string, key: string, range?: ByteRange): Promise<{ info: ObjectInfo; body: Readable; range?: { start: number; end: number } }> {
    // A concurrent overwrite may remove the data file between reading the metadata and
    // opening it; the new metadata is then there to read.
    for (let attempt = 0; ; attempt++) {
      const meta = await this.readMeta(bucket, key);
      const span = range ? resolveRange(range, meta.size, () => new S3Error('InvalidRange', 'The requested range is not satisfiable', { 'content-range': `bytes */${meta.size}` })) : undefined;
      let fh;
      try {
        fh = await open(join(this.bucketDir(bucket), 'data', meta.data), 'r');
      } catch (e) {
        if (isMissing(e) && attempt < 3) continue;
        throw e;
      }
      const body = meta.size === 0 ? (await fh.close(), Readable.from([])) : createReadStream('', { fd: fh, start: span?.start ?? 0, end: span?.end ?? meta.size - 1, highWaterMark: 256 * 1024 });
      return { info: LocalBackend.info(meta), body, ...(span ? { range: span } : {}) };
    }
  }

  private async commit(bucket: string, key: string, data: { id: string; size: number; etag: string }, write: ObjectWrite): Promise<ObjectInfo> {
    return this.locked(`${bucket}\u0000${key}`, async () => {
      await this.getBucket(bucket);
      let previous: ObjectMeta | undefined;
      try {
        previous = JSON.parse(await readFile(this.metaPath(bucket, key), 'utf8')) as ObjectMeta;
      } catch (e) {
        if (!isMissing(e)) throw e;
      }
      const meta: ObjectMeta = {
        key,
        data: data.id,
        size: data.size,
        etag: data.etag,
        lastModified: new Date().toISOString(),
        contentType: write.contentType,
        owner: write.owner,
        uploader: write.uploader,
        userMetadata: { ...write.userMetadata },
        tags: { ...write.tags },
      };
      await this.writeJson(this.metaPath(bucket, key), meta);
      if (previous) await rm(join(this.bucketDir(bucket), 'data', previous.data), { force: true });
      return LocalBackend.info(meta);
    });
  }

  async putObject(bucket: string, key: string, body: Readable, size: number, write: ObjectWrite): Promise<ObjectInfo> {
    await this.getBucket(bucket);
    const data = await this.writeData(bucket, body);
    if (data.size !== size) {
      await rm(join(this.bucketDir(bucket), 'data', data.id), { force: true });
      throw new S3Error('IncompleteBody', `You did not provide the number of bytes specified by the Content-Length HTTP header (${data.size} of ${size})`);
    }
    try {
      return await this.commit(bucket, key, { id: data.id, size: data.size, etag: data.md5.toString('hex') }, write);
    } catch (e) {
      await rm(join(this.bucketDir(bucket), 'data', data.id), { force: true });
      throw e;
    }
  }

  async copyObject(source: ObjectRef, target: ObjectRef, who: { owner: string; uploader: string }, replace?: Omit<ObjectWrite, 'owner' | 'uploader'>): Promise<ObjectInfo> {
    const { info, body } = await this.getObject(source.bucket, source.key);
    const tags = replace?.tags ?? (await this.getTags(source.bucket, source.key));
    return this.putObject(target.bucket, target.key, body, info.size, {
      contentType: replace?.contentType ?? info.contentType,
      userMetadata: replace?.userMetadata ?? info.userMetadata,
      tags,
      ...who,
    });
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await this.locked(`${bucket}\u0000${key}`, async () => {
      let meta: ObjectMeta;
      try {
        meta = await this.readMeta(bucket, key);
      } catch (e) {
        if (e instanceof S3Error && e.code === 'NoSuchKey') return;
        throw e;
      }
      await rm(this.metaPath(bucket, key), { force: true });
      await rm(join(this.bucketDir(bucket), 'data', meta.data), { force: true });
    });
  }

  async getTags(bucket: string, key: string): Promise<Tags> {
    return (await this.readMeta(bucket, key)).tags;
  }

  async putTags(bucket: string, key: string, tags: Tags): Promise<void> {
    await this.locked(`${bucket}\u0000${key}`, async () => {
      const meta = await this.readMeta(bucket, key);
      await this.writeJson(this.metaPath(bucket, key), { ...meta, tags: { ...tags } });
    });
  }

  private uploadDir(bucket: string, uploadId: string): string {
    return join(this.bucketDir(bucket), 'uploads', uploadId);
  }

  private async readUpload(bucket: string, key: string, uploadId: string): Promise<UploadMeta> {
    if (!UPLOAD_ID.test(uploadId)) throw new S3Error('NoSuchUpload', 'The specified upload does not exist');
    let u: UploadMeta;
    try {
      u = JSON.parse(await readFile(join(this.uploadDir(bucket, uploadId), 'upload.json'), 'utf8')) as UploadMeta;
    } catch (e) {
      if (!isMissing(e)) throw e;
      await this.getBucket(bucket);
      throw new S3Error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.');
    }
    if (u.key !== key) throw new S3Error('NoSuchUpload', 'The specified upload does not exist for this key');
    return u;
  }

  async createUpload(bucket: string, key: string, write: ObjectWrite): Promise<UploadInfo> {
    await this.getBucket(bucket);
    const uploadId = randomBytes(16).toString('hex');
    const dir = this.uploadDir(bucket, uploadId);
    await mkdir(dir);
    const initiated = new Date();
    const meta: UploadMeta = { key, initiated: initiated.toISOString(), ...write, userMetadata: { ...write.userMetadata }, tags: { ...write.tags } };
    await this.writeJson(join(dir, 'upload.json'), meta);
    return { uploadId, key, owner: write.owner, uploader: write.uploader, initiated };
  }

  async getUpload(bucket: string, key: string, uploadId: string): Promise<UploadInfo> {
    const u = await this.readUpload(bucket, key, uploadId);
    return { uploadId, key, owner: u.owner, uploader: u.uploader, initiated: new Date(u.initiated) };
  }

  async uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Readable, size: number): Promise<PartInfo> {
    await this.readUpload(bucket, key, uploadId);
    const dir = this.uploadDir(bucket, uploadId);
    const t = this.tmpPath();
    const m = new Measure();
    try {
      await pipeline(body, m, createWriteStream(t, { flags: 'wx' }));
      if (m.size !== size) throw new S3Error('IncompleteBody', `You did not provide the number of bytes specified by the Content-Length HTTP header (${m.size} of ${size})`);
      const part: PartInfo = { partNumber, etag: m.digest().toString('hex'), size: m.size, lastModified: new Date() };
      await this.locked(`upload:${uploadId}`, async () => {
        await this.readUpload(bucket, key, uploadId);
        await rename(t, join(dir, `${partNumber}.part`));
        await this.writeJson(join(dir, `${partNumber}.json`), part);
      });
      return part;
    } catch (e) {
      await rm(t, { force: true });
      throw e;
    }
  }

  async listParts(bucket: string, key: string, uploadId: string): Promise<PartInfo[]> {
    await this.readUpload(bucket, key, uploadId);
    const dir = this.uploadDir(bucket, uploadId);
    const parts: PartInfo[] = [];
    for (const n of await readdir(dir)) {
      if (!/^\d+\.json$/.test(n)) continue;
      const p = JSON.parse(await readFile(join(dir, n), 'utf8')) as PartInfo & { lastModified: string };
      parts.push({ ...p, lastModified: new Date(p.lastModified) });
    }
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  async completeUpload(bucket: string, key: string, uploadId: string, wanted: readonly { partNumber: number; etag: string }[]): Promise<ObjectInfo> {
    return this.locked(`upload:${uploadId}`, async () => {
      const upload = await this.readUpload(bucket, key, uploadId);
      const have = new Map((await this.listParts(bucket, key, uploadId)).map((p) => [p.partNumber, p]));
      if (wanted.length === 0) throw new S3Error('MalformedXML', 'The XML you provided lists no parts');
      const chosen: PartInfo[] = [];
      for (const [i, w] of wanted.entries()) {
        if (i > 0 && w.partNumber <= wanted[i - 1]!.partNumber) throw new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.');
        const p = have.get(w.partNumber);
        if (!p || p.etag !== w.etag.replace(/"/g, '')) throw new S3Error('InvalidPart', `One or more of the specified parts could not be found (part ${w.partNumber}). The part might not have been uploaded, or the specified ETag might not have matched the part's ETag.`);
        chosen.push(p);
      }
      for (const p of chosen.slice(0, -1)) {
        if (p.size < this.minPartSize) throw new S3Error('EntityTooSmall', `Your proposed upload is smaller than the minimum allowed object size: part ${p.partNumber} has ${p.size} bytes, at least ${this.minPartSize} are needed except for the last part`);
      }
      const dir = this.uploadDir(bucket, uploadId);
      const files = chosen.map((p) => join(dir, `${p.partNumber}.part`));
      const concatenated = Readable.from(
        (async function* () {
          for (const f of files) for await (const chunk of createReadStream(f, { highWaterMark: 256 * 1024 })) yield chunk as Buffer;
        })(),
      );
      const data = await this.writeData(bucket, concatenated);
      const etag = `${createHash('md5').update(Buffer.concat(chosen.map((p) => Buffer.from(p.etag, 'hex')))).digest('hex')}-${chosen.length}`;
      const info = await this.commit(bucket, key, { id: data.id, size: data.size, etag }, upload);
      await rm(dir, { recursive: true, force: true });
      return info;
    });
  }

  async abortUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    await this.locked(`upload:${uploadId}`, async () => {
      await this.readUpload(bucket, key, uploadId);
      await rm(this.uploadDir(bucket, uploadId), { recursive: true, force: true });
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.locks.values()]);
  }
}

/** Whether `root` can be used as a store (exists or can be made). */
export async function openLocalBackend(options: LocalBackendOptions): Promise<LocalBackend> {
  await mkdir(options.root, { recursive: true });
  const s = await stat(options.root);
  if (!s.isDirectory()) throw new Error(`${options.root} is not a directory`);
  const b = new LocalBackend(options);
  await b.init();
  return b;
}

