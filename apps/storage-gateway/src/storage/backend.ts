/**
 * What the gateway needs from a storage backend. Two implementations: a local directory
 * (default) and any upstream S3-compatible endpoint. Bodies are streams both ways; a backend
 * never buffers an object. Objects belong to their bucket's owner (S3's "bucket owner
 * enforced" ownership); who wrote the current version is kept as `uploader`.
 */
import type { Readable } from 'node:stream';

export interface BucketInfo {
  readonly name: string;
  readonly owner: string;
  readonly created: Date;
}

export interface ObjectSummary {
  readonly key: string;
  readonly size: number;
  /** Without quotes. */
  readonly etag: string;
  readonly lastModified: Date;
}

export type Tags = Readonly<Record<string, string>>;

export interface ObjectInfo extends ObjectSummary {
  readonly contentType: string;
  readonly owner: string;
  readonly uploader: string;
  readonly userMetadata: Readonly<Record<string, string>>;
}

/** A Range request: bytes start-end (inclusive; end open when absent), or the last `suffix` bytes. */
export type ByteRange = { readonly start: number; readonly end?: number } | { readonly suffix: number };

export interface ObjectWrite {
  readonly contentType: string;
  readonly owner: string;
  readonly uploader: string;
  readonly userMetadata: Readonly<Record<string, string>>;
  readonly tags: Tags;
}

export interface PartInfo {
  readonly partNumber: number;
  readonly etag: string;
  readonly size: number;
  readonly lastModified: Date;
}

export interface UploadInfo {
  readonly uploadId: string;
  readonly key: string;
  readonly owner: string;
  readonly uploader: string;
  readonly initiated: Date;
}

export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
}

export interface StorageBackend {
  readonly kind: 'local' | 's3';
  /** Keys the backend keeps for itself; clients may not use them. */
  readonly reservedPrefix?: string;
  listBuckets(): Promise<BucketInfo[]>;
  /** BucketAlreadyOwnedByYou when `owner` has it already, BucketAlreadyExists when someone else does. */
  createBucket(name: string, owner: string): Promise<BucketInfo>;
  /** NoSuchBucket; BucketNotEmpty while it holds objects. */
  deleteBucket(name: string): Promise<void>;
  /** NoSuchBucket. */
  getBucket(name: string): Promise<BucketInfo>;
  /** Keys in UTF-8 byte order, after `startAfter`, starting with `prefix`; at most `limit`. */
  listObjects(bucket: string, options: { prefix: string; startAfter?: string; limit: number }): Promise<{ items: ObjectSummary[]; truncated: boolean }>;
  /** NoSuchBucket, NoSuchKey. */
  headObject(bucket: string, key: string): Promise<ObjectInfo>;
  /** InvalidRange when the range cannot be satisfied; `range` is the inclusive span served. */
  getObject(bucket: string, key: string, range?: ByteRange): Promise<{ info: ObjectInfo; body: Readable; range?: { start: number; end: number } }>;
  /** `size` is the exact length the body will have; the body may fail (a digest mismatch), and then nothing is stored. */
  putObject(bucket: string, key: string, body: Readable, size: number, write: ObjectWrite): Promise<ObjectInfo>;
  /** `write` replaces the metadata; without it the source's is kept (owner and uploader always come from `write`-or-given). */
  copyObject(source: ObjectRef, target: ObjectRef, who: { owner: string; uploader: string }, replace?: Omit<ObjectWrite, 'owner' | 'uploader'>): Promise<ObjectInfo>;
  /** Idempotent: no error when the key is absent (NoSuchBucket still). */
  deleteObject(bucket: string, key: string): Promise<void>;
  getTags(bucket: string, key: string): Promise<Tags>;
  putTags(bucket: string, key: string, tags: Tags): Promise<void>;
  createUpload(bucket: string, key: string, write: ObjectWrite): Promise<UploadInfo>;
  /** NoSuchUpload. */
  getUpload(bucket: string, key: string, uploadId: string): Promise<UploadInfo>;
  uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Readable, size: number): Promise<PartInfo>;
  listParts(bucket: string, key: string, uploadId: string): Promise<PartInfo[]>;
  /** InvalidPart, InvalidPartOrder, EntityTooSmall, NoSuchUpload. */
  completeUpload(bucket: string, key: string, uploadId: string, parts: readonly { partNumber: number; etag: string }[]): Promise<ObjectInfo>;
  abortUpload(bucket: string, key: string, uploadId: string): Promise<void>;
  close(): Promise<void>;
}

/** The smallest part S3 accepts except the last one. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

/** Resolves a Range against an object's size; undefined = serve it whole; throws via `unsatisfiable`. */
export function resolveRange(range: ByteRange, size: number, unsatisfiable: () => Error): { start: number; end: number } {
  if ('suffix' in range) {
    if (range.suffix <= 0 || size === 0) throw unsatisfiable();
    return { start: Math.max(0, size - range.suffix), end: size - 1 };
  }
  if (range.start >= size) throw unsatisfiable();
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}

/** UTF-8 byte order, the order S3 lists keys in. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
