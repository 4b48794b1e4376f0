/**
 * Bucket names and object keys as the gateway accepts them. Keys never become file paths
 * (the local backend encodes them), but a key with a "." or ".." segment is still refused:
 * it means something else to every file-system-backed tool downstream, and the issue's
 * threat model asks for traversal attempts to be refused, not stored.
 */
import { S3Error } from '../s3/errors';

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Keys under this prefix hold the gateway's own bookkeeping in upstream buckets (s3 backend only). */
export const RESERVED_PREFIX = '.safax/';

export function checkBucketName(name: string): void {
  if (!BUCKET.test(name) || name.includes('..') || name.includes('.-') || name.includes('-.') || IPV4.test(name)) {
    throw new S3Error('InvalidBucketName', `The specified bucket is not valid: 3-63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit`);
  }
}

export function checkObjectKey(key: string, reservedPrefix?: string): void {
  if (key.length === 0) throw new S3Error('InvalidArgument', 'The object key is empty');
  if (Buffer.byteLength(key, 'utf8') > 1024) throw new S3Error('KeyTooLongError', 'Your key is too long: at most 1024 bytes');
  if ([...key].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) throw new S3Error('InvalidArgument', 'The object key contains a control character');
  if (key.split(/[/\\]/).some((s) => s === '.' || s === '..')) throw new S3Error('InvalidArgument', 'The object key contains a "." or ".." path segment');
  if (reservedPrefix !== undefined && key.startsWith(reservedPrefix)) throw new S3Error('InvalidArgument', `Keys starting with "${reservedPrefix}" are reserved by the gateway`);
}
