/**
 * Any S3-compatible endpoint as the backend, through @aws-sdk/client-s3. Bodies stream through
 * in both directions (the SDK is handed the verified request stream with its exact length;
 * a download is the upstream's response stream). The gateway's own bookkeeping lives in the
 * upstream: a bucket's owner and creation time in `.safax/bucket.json` inside it (keys under
 * `.safax/` are refused to clients and hidden from listings), an object's owner and uploader
 * in its user metadata (`safax-owner`, `safax-uploader`).
 */
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { S3_ERRORS, S3Error } from '../s3/errors';
import type { S3ErrorCode } from '../s3/errors';
import type { BucketInfo, ByteRange, ObjectInfo, ObjectRef, ObjectSummary, ObjectWrite, PartInfo, StorageBackend, Tags, UploadInfo } from './backend';
import { RESERVED_PREFIX } from './names';

export interface S3BackendOptions {
  readonly endpoint: string;
  readonly region: string;
  readonly forcePathStyle: boolean;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly bucketPrefix: string;
  /** How long a bucket's owner is remembered (default 30 s). */
  readonly bucketCacheMs?: number;
}

const MARKER = `${RESERVED_PREFIX}bucket.json`;
const OWNER_META = 'safax-owner';
const UPLOADER_META = 'safax-uploader';

interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** An upstream failure as the S3 error the gateway answers with. */
function mapError(e: unknown, notFound?: S3ErrorCode): unknown {
  const err = e as SdkError;
  const status = err.$metadata?.httpStatusCode;
  if (err.name !== undefined && Object.hasOwn(S3_ERRORS, err.name)) return new S3Error(err.name as S3ErrorCode, err.message ?? err.name);
  if (status === 404 && notFound) return new S3Error(notFound, notFound === 'NoSuchKey' ? 'The specified key does not exist.' : 'The specified bucket does not exist');
  if (status === 416) return new S3Error('InvalidRange', 'The requested range is not satisfiable');
  if (status === 503) return new S3Error('ServiceUnavailable', 'The upstream storage is unavailable');
  return e;
}

const unquote = (etag: string | undefined): string => (etag ?? '').replace(/"/g, '');
const tagging = (tags: Tags): string => new URLSearchParams(Object.entries(tags)).toString();

export class S3Backend implements StorageBackend {
  readonly kind = 's3' as const;
  readonly reservedPrefix = RESERVED_PREFIX;
  readonly client: S3Client;
  private readonly prefix: string;
  private readonly cacheMs: number;
  private readonly bucketCache = new Map<string, { info: BucketInfo; at: number }>();

  constructor(options: S3BackendOptions) {
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      // The gateway has verified every body already; the upstream checks its own transfer.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    this.prefix = options.bucketPrefix;
    this.cacheMs = options.bucketCacheMs ?? 30_000;
  }

  private up(bucket: string): string {
    return this.prefix + bucket;
  }

  private async send<T>(p: Promise<T>, notFound?: S3ErrorCode): Promise<T> {
    try {
      return await p;
    } catch (e) {
      throw mapError(e, notFound);
    }
  }

  async listBuckets(): Promise<BucketInfo[]> {
    const r = await this.send(this.client.send(new ListBucketsCommand({})));
    const out: BucketInfo[] = [];
    for (const b of r.Buckets ?? []) {
      const name = b.Name ?? '';
      if (!name.startsWith(this.prefix)) continue;
      try {
        out.push(await this.getBucket(name.slice(this.prefix.length)));
      } catch (e) {
        // Not a gateway bucket (no marker) or one being removed.
        if (!(e instanceof S3Error)) throw e;
      }
    }
    return out;
  }

  async getBucket(name: string): Promise<BucketInfo> {
    const cached = this.bucketCache.get(name);
    if (cached && Date.now() - cached.at < this.cacheMs) return cached.info;
    let text: string;
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.up(name), Key: MARKER }));
      text = await r.Body!.transformToString('utf8');
    } catch (e) {
      const m = mapError(e, 'NoSuchBucket');
      if (m instanceof S3Error && (m.code === 'NoSuchKey' || m.code === 'NoSuchBucket' || m.code === 'AccessDenied')) throw new S3Error('NoSuchBucket', 'The specified bucket does not exist');
      throw m;
    }
    const j = JSON.parse(text) as { owner: string; created: string };
    const info: BucketInfo = { name, owner: j.owner, created: new Date(j.created) };
    this.bucketCache.set(name, { info, at: Date.now() });
    return info;
  }

  async createBucket(name: string, owner: string): Promise<BucketInfo> {
    try {
      const existing = await this.getBucket(name);
      throw existing.owner === owner
        ? new S3Error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it')
        : new S3Error('BucketAlreadyExists', 'The requested bucket name is not available');
    } catch (e) {
      if (!(e instanceof S3Error && e.code === 'NoSuchBucket')) throw e;
    }
    try {
      await this.client.send(new CreateBucketCommand({ Bucket: this.up(name) }));
    } catch (e) {
      const m = mapError(e);
      // A bucket of ours without a marker (an earlier creation cut short) is adopted.
      if (!(m instanceof S3Error && m.code === 'BucketAlreadyOwnedByYou')) throw m;
    }
    const created = new Date();
    await this.send(this.client.send(new PutObjectCommand({ Bucket: this.up(name), Key: MARKER, Body: JSON.stringify({ owner, created: created.toISOString() }), ContentType: 'application/json' })));
    const info = { name, owner, created };
    this.bucketCache.set(name, { info, at: Date.now() });
    return info;
  }

  async deleteBucket(name: string): Promise<void> {
    await this.getBucket(name);
    const page = await this.listObjects(name, { prefix: '', limit: 2 });
    if (page.items.length > 0) throw new S3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty');
    this.bucketCache.delete(name);
    await this.send(this.client.send(new DeleteObjectCommand({ Bucket: this.up(name), Key: MARKER })));
    await this.send(this.client.send(new DeleteBucketCommand({ Bucket: this.up(name) })), 'NoSuchBucket');
  }

  async listObjects(bucket: string, options: { prefix: string; startAfter?: string; limit: number }): Promise<{ items: ObjectSummary[]; truncated: boolean }> {
    // A page holding only bookkeeping keys says nothing to the caller: read on past it.
    let startAfter = options.startAfter;
    for (;;) {
      const r = await this.send(
        this.client.send(new ListObjectsV2Command({ Bucket: this.up(bucket), Prefix: options.prefix, MaxKeys: options.limit, ...(startAfter !== undefined ? { StartAfter: startAfter } : {}) })),
        'NoSuchBucket',
      );
      const contents = r.Contents ?? [];
      const items = contents
        .filter((c) => !(c.Key ?? '').startsWith(RESERVED_PREFIX))
        .map((c): ObjectSummary => ({ key: c.Key ?? '', size: c.Size ?? 0, etag: unquote(c.ETag), lastModified: c.LastModified ?? new Date(0) }));
      const truncated = r.IsTruncated === true;
      if (items.length > 0 || !truncated || contents.length === 0) return { items, truncated };
      startAfter = contents[contents.length - 1]!.Key;
    }
  }

  private static info(key: string, r: { ContentLength?: number; ContentType?: string; ETag?: string; LastModified?: Date; Metadata?: Record<string, string> }): ObjectInfo {
    const meta = { ...(r.Metadata ?? {}) };
    const owner = meta[OWNER_META] ?? '';
    const uploader = meta[UPLOADER_META] ?? '';
    delete meta[OWNER_META];
    delete meta[UPLOADER_META];
    return { key, size: r.ContentLength ?? 0, etag: unquote(r.ETag), lastModified: r.LastModified ?? new Date(0), contentType: r.ContentType ?? 'application/octet-stream', owner, uploader, userMetadata: meta };
  }

  async headObject(bucket: string, key: string): Promise<ObjectInfo> {
    const r = await this.send(this.client.send(new HeadObjectCommand({ Bucket: this.up(bucket), Key: key })), 'NoSuchKey');
    return S3Backend.info(key, r);
  }

  async getObject(bucket: string, key: string, range?: ByteRange): Promise<{ info: ObjectInfo; body: Readable; range?: { start: number; end: number } }> {
    const header = range === undefined ? undefined : 'suffix' in range ? `bytes=-${range.suffix}` : `bytes=${range.start}-${range.end ?? ''}`;
    const r = await this.send(this.client.send(new GetObjectCommand({ Bucket: this.up(bucket), Key: key, ...(header !== undefined ? { Range: header } : {}) })), 'NoSuchKey');
    const m = r.ContentRange === undefined ? null : /^bytes (\d+)-(\d+)\/(\d+)$/.exec(r.ContentRange);
    const total = m ? Number(m[3]) : (r.ContentLength ?? 0);
    const info = S3Backend.info(key, { ...r, ContentLength: total });
    return { info, body: r.Body as Readable, ...(m ? { range: { start: Number(m[1]), end: Number(m[2]) } } : {}) };
  }

  private metadata(write: { owner: string; uploader: string; userMetadata: Readonly<Record<string, string>> }): Record<string, string> {
    return { ...write.userMetadata, [OWNER_META]: write.owner, [UPLOADER_META]: write.uploader };
  }

  async putObject(bucket: string, key: string, body: Readable, size: number, write: ObjectWrite): Promise<ObjectInfo> {
    await this.getBucket(bucket);
    const r = await this.send(
      this.client.send(
        new PutObjectCommand({ Bucket: this.up(bucket), Key: key, Body: body, ContentLength: size, ContentType: write.contentType, Metadata: this.metadata(write), ...(Object.keys(write.tags).length > 0 ? { Tagging: tagging(write.tags) } : {}) }),
      ),
      'NoSuchBucket',
    );
    return { key, size, etag: unquote(r.ETag), lastModified: new Date(), contentType: write.contentType, owner: write.owner, uploader: write.uploader, userMetadata: { ...write.userMetadata } };
  }

  async copyObject(source: ObjectRef, target: ObjectRef, who: { owner: string; uploader: string }, replace?: Omit<ObjectWrite, 'owner' | 'uploader'>): Promise<ObjectInfo> {
    const src = await this.headObject(source.bucket, source.key);
    const contentType = replace?.contentType ?? src.contentType;
    const userMetadata = replace?.userMetadata ?? src.userMetadata;
    const tags = replace?.tags ?? (await this.getTags(source.bucket, source.key));
    const copySource = `${this.up(source.bucket)}/${source.key.split('/').map(encodeURIComponent).join('/')}`;
    await this.send(
      this.client.send(
        new CopyObjectCommand({
          Bucket: this.up(target.bucket),
          Key: target.key,
          CopySource: copySource,
          MetadataDirective: 'REPLACE',
          ContentType: contentType,
          Metadata: this.metadata({ ...who, userMetadata }),
          TaggingDirective: 'REPLACE',
          Tagging: tagging(tags),
        }),
      ),
      'NoSuchKey',
    );
    return this.headObject(target.bucket, target.key);
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await this.getBucket(bucket);
    await this.send(this.client.send(new DeleteObjectCommand({ Bucket: this.up(bucket), Key: key })), 'NoSuchBucket');
  }

  async getTags(bucket: string, key: string): Promise<Tags> {
    const r = await this.send(this.client.send(new GetObjectTaggingCommand({ Bucket: this.up(bucket), Key: key })), 'NoSuchKey');
    return Object.fromEntries((r.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  }

  async putTags(bucket: string, key: string, tags: Tags): Promise<void> {
    if (Object.keys(tags).length === 0) {
      await this.send(this.client.send(new DeleteObjectTaggingCommand({ Bucket: this.up(bucket), Key: key })), 'NoSuchKey');
      return;
    }
    await this.send(
      this.client.send(new PutObjectTaggingCommand({ Bucket: this.up(bucket), Key: key, Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } })),
      'NoSuchKey',
    );
  }

  async createUpload(bucket: string, key: string, write: ObjectWrite): Promise<UploadInfo> {
    await this.getBucket(bucket);
    const r = await this.send(
      this.client.send(
        new CreateMultipartUploadCommand({ Bucket: this.up(bucket), Key: key, ContentType: write.contentType, Metadata: this.metadata(write), ...(Object.keys(write.tags).length > 0 ? { Tagging: tagging(write.tags) } : {}) }),
      ),
      'NoSuchBucket',
    );
    return { uploadId: r.UploadId ?? '', key, owner: write.owner, uploader: write.uploader, initiated: new Date() };
  }

  async getUpload(bucket: string, key: string, uploadId: string): Promise<UploadInfo> {
    const b = await this.getBucket(bucket);
    const r = await this.send(this.client.send(new ListPartsCommand({ Bucket: this.up(bucket), Key: key, UploadId: uploadId, MaxParts: 1 })), 'NoSuchUpload');
    // The upstream knows its own initiator only; the gateway's objects belong to the bucket owner.
    return { uploadId, key, owner: b.owner, uploader: r.Initiator?.ID ?? b.owner, initiated: new Date(0) };
  }

  async uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Readable, size: number): Promise<PartInfo> {
    const r = await this.send(this.client.send(new UploadPartCommand({ Bucket: this.up(bucket), Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body, ContentLength: size })), 'NoSuchUpload');
    return { partNumber, etag: unquote(r.ETag), size, lastModified: new Date() };
  }

  async listParts(bucket: string, key: string, uploadId: string): Promise<PartInfo[]> {
    const out: PartInfo[] = [];
    let marker: string | undefined;
    for (;;) {
      const r = await this.send(this.client.send(new ListPartsCommand({ Bucket: this.up(bucket), Key: key, UploadId: uploadId, ...(marker !== undefined ? { PartNumberMarker: marker } : {}) })), 'NoSuchUpload');
      for (const p of r.Parts ?? []) out.push({ partNumber: p.PartNumber ?? 0, etag: unquote(p.ETag), size: p.Size ?? 0, lastModified: p.LastModified ?? new Date(0) });
      if (r.IsTruncated !== true || r.NextPartNumberMarker === undefined) return out;
      marker = r.NextPartNumberMarker;
    }
  }

  async completeUpload(bucket: string, key: string, uploadId: string, parts: readonly { partNumber: number; etag: string }[]): Promise<ObjectInfo> {
    await this.send(
      this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.up(bucket), Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: `"${unquote(p.etag)}"` })) } })),
      'NoSuchUpload',
    );
    return this.headObject(bucket, key);
  }

  async abortUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    await this.send(this.client.send(new AbortMultipartUploadCommand({ Bucket: this.up(bucket), Key: key, UploadId: uploadId })), 'NoSuchUpload');
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

export function createS3Backend(options: S3BackendOptions): S3Backend {
  return new S3Backend(options);
}
