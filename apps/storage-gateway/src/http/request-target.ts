/**
 * Where a request points, path-style (`/bucket/key`): bucket, key and query, decoded once.
 * Virtual-hosted addressing is not supported (clients set forcePathStyle / addressing_style
 * path). The raw path is kept for the signature check.
 */
import { S3Error } from '../s3/errors';

export interface RequestTarget {
  readonly rawPath: string;
  readonly bucket?: string;
  readonly key?: string;
  /** Decoded query parameters in order of appearance. */
  readonly query: readonly (readonly [string, string])[];
  has(name: string): boolean;
  get(name: string): string | undefined;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new S3Error('InvalidURI', 'Could not parse the specified URI.');
  }
}

export function parseTarget(url: string): RequestTarget {
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  if (!rawPath.startsWith('/')) throw new S3Error('InvalidURI', 'Could not parse the specified URI.');
  const query: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    query.push(eq < 0 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))]);
  }
  const slash = rawPath.indexOf('/', 1);
  const bucketRaw = slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash);
  const keyRaw = slash < 0 ? '' : rawPath.slice(slash + 1);
  const bucket = bucketRaw === '' ? undefined : decode(bucketRaw);
  const key = keyRaw === '' ? undefined : decode(keyRaw);
  const map = new Map<string, string>();
  for (const [k, v] of query) if (!map.has(k)) map.set(k, v);
  return {
    rawPath,
    ...(bucket !== undefined ? { bucket } : {}),
    ...(key !== undefined ? { key } : {}),
    query,
    has: (n) => map.has(n),
    get: (n) => map.get(n),
  };
}
