/**
 * ListObjectsV2 (and V1): only what the caller may see. The bucket itself is decided
 * (s3:ListBucket on the bucket) in the same round trip as the first page of objects, each
 * object is decided (s3:ListBucket on the object), and a common prefix appears only when an
 * object under it is visible. A call examines at most `maxListScan` keys; when it stops there
 * it answers truncated with a continuation token, as S3 may.
 */
import type { AccessRequest } from '../policy/access-request';
import type { ObjectSummary } from '../storage/backend';
import { S3Error } from './errors';
import { iso, OperationContext, quoted } from './operation-context';

interface Entry {
  readonly kind: 'key' | 'prefix';
  readonly key: string;
  readonly summary?: ObjectSummary;
}

interface Cursor {
  /** List keys after this one. */
  readonly after?: string;
  /** And skip keys under this common prefix (returned already). */
  readonly skipPrefix?: string;
}

const BEYOND = '\u{10FFFF}';

function encodeToken(c: Cursor): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

function decodeToken(t: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(t, 'base64url').toString('utf8')) as unknown;
    if (typeof c === 'object' && c !== null) {
      const { after, skipPrefix } = c as Record<string, unknown>;
      if ((after === undefined || typeof after === 'string') && (skipPrefix === undefined || typeof skipPrefix === 'string')) {
        return { ...(after !== undefined ? { after } : {}), ...(skipPrefix !== undefined ? { skipPrefix } : {}) };
      }
    }
  } catch {
    /* below */
  }
  throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect');
}

function maxKeysOf(ctx: OperationContext): number {
  const raw = ctx.target.get('max-keys');
  if (raw === undefined) return 1000;
  if (!/^\d{1,9}$/.test(raw)) throw new S3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range');
  return Math.min(Number(raw), 1000);
}

interface ScanResult {
  readonly entries: Entry[];
  readonly truncated: boolean;
  readonly next?: Cursor;
}

async function scan(ctx: OperationContext, prefix: string, delimiter: string, maxKeys: number, start: Cursor): Promise<ScanResult> {
  const { backend } = ctx.services;
  const bucket = await backend.getBucket(ctx.bucket);
  const bucketRequest: AccessRequest = { action: 's3:ListBucket', resource: { type: 'bucket', bucket: bucket.name, owner: bucket.owner, created: bucket.created } };
  const entries: Entry[] = [];
  const shownPrefixes = new Set<string>();
  let cursor: Cursor = start;
  let scanned = 0;
  let bucketDecided = false;
  const commonPrefixOf = (key: string): string | undefined => {
    if (delimiter === '') return undefined;
    const i = key.indexOf(delimiter, prefix.length);
    return i < 0 ? undefined : key.slice(0, i + delimiter.length);
  };
  for (;;) {
    const after = cursor.skipPrefix !== undefined && (cursor.after === undefined || cursor.after < cursor.skipPrefix + BEYOND) ? cursor.skipPrefix + BEYOND : cursor.after;
    const limit = Math.max(1, Math.min(1000, ctx.services.limits.maxListScan - scanned, Math.max(2 * maxKeys, 50)));
    const page = maxKeys === 0 ? { items: [], truncated: false } : await backend.listObjects(ctx.bucket, { prefix, ...(after !== undefined ? { startAfter: after } : {}), limit });
    const items = page.items.filter((s) => cursor.skipPrefix === undefined || !s.key.startsWith(cursor.skipPrefix));
    const requests: AccessRequest[] = items.map((s) => ({ action: 's3:ListBucket', resource: { type: 'object', bucket: bucket.name, key: s.key, owner: bucket.owner, size: s.size, created: s.lastModified } }));
    const verdicts = await ctx.authorizeMany(bucketDecided ? requests : [bucketRequest, ...requests]);
    if (!bucketDecided) {
      const b = verdicts.shift()!;
      if (!b.allowed) throw OperationContext.denied(b);
      ctx.applyVerdictHeaders(b);
      bucketDecided = true;
    }
    scanned += page.items.length;
    for (const [i, s] of items.entries()) {
      const cp = commonPrefixOf(s.key);
      if (cp !== undefined && shownPrefixes.has(cp)) continue;
      const v = verdicts[i]!;
      if (!v.allowed) continue;
      if (entries.length === maxKeys) {
        // One more visible entry exists: the page is full and truncated.
        const last = entries[entries.length - 1]!;
        return { entries, truncated: true, next: last.kind === 'prefix' ? { after: last.key, skipPrefix: last.key } : { after: last.key } };
      }
      ctx.applyVerdictHeaders(v);
      if (cp !== undefined) {
        shownPrefixes.add(cp);
        entries.push({ kind: 'prefix', key: cp });
      } else entries.push({ kind: 'key', key: s.key, summary: s });
    }
    if (!page.truncated || page.items.length === 0) return { entries, truncated: false };
    const lastScanned = page.items[page.items.length - 1]!.key;
    const lastEntry = entries[entries.length - 1];
    cursor = lastEntry?.kind === 'prefix' && lastScanned.startsWith(lastEntry.key) ? { after: lastScanned, skipPrefix: lastEntry.key } : { after: lastScanned };
    if (scanned >= ctx.services.limits.maxListScan) return { entries, truncated: true, next: cursor };
  }
}

export async function listObjects(ctx: OperationContext, version: 1 | 2): Promise<void> {
  const prefix = ctx.target.get('prefix') ?? '';
  const delimiter = ctx.target.get('delimiter') ?? '';
  const encodingType = ctx.target.get('encoding-type');
  if (encodingType !== undefined && encodingType !== 'url') throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request');
  const enc = (s: string): string => (encodingType === 'url' ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
  const maxKeys = maxKeysOf(ctx);
  let start: Cursor = {};
  const token = version === 2 ? ctx.target.get('continuation-token') : undefined;
  const startAfter = version === 2 ? ctx.target.get('start-after') : ctx.target.get('marker');
  if (token !== undefined) start = decodeToken(token);
  else if (startAfter !== undefined && startAfter !== '') start = { after: startAfter };

  const r = await scan(ctx, prefix, delimiter, maxKeys, start);
  const owner = version === 1 || ctx.target.get('fetch-owner') === 'true' ? { Owner: { ID: (await ctx.services.backend.getBucket(ctx.bucket)).owner } } : {};
  const contents = r.entries
    .filter((e) => e.kind === 'key')
    .map((e) => ({ Key: enc(e.key), LastModified: iso(e.summary!.lastModified), ETag: quoted(e.summary!.etag), Size: e.summary!.size, StorageClass: 'STANDARD', ...owner }));
  const prefixes = r.entries.filter((e) => e.kind === 'prefix').map((e) => ({ Prefix: enc(e.key) }));
  const common = {
    Name: ctx.bucket,
    Prefix: enc(prefix),
    ...(delimiter !== '' ? { Delimiter: enc(delimiter) } : {}),
    MaxKeys: maxKeys,
    ...(encodingType !== undefined ? { EncodingType: encodingType } : {}),
    IsTruncated: r.truncated,
  };
  if (version === 2) {
    ctx.sendXml(200, 'ListBucketResult', {
      ...common,
      KeyCount: r.entries.length,
      ...(token !== undefined ? { ContinuationToken: token } : {}),
      ...(r.truncated && r.next ? { NextContinuationToken: encodeToken(r.next) } : {}),
      ...(startAfter !== undefined ? { StartAfter: enc(startAfter) } : {}),
      Contents: contents,
      CommonPrefixes: prefixes,
    });
  } else {
    const last = r.entries[r.entries.length - 1];
    ctx.sendXml(200, 'ListBucketResult', {
      ...common,
      Marker: enc(startAfter ?? ''),
      ...(r.truncated && last ? { NextMarker: enc(last.kind === 'prefix' ? last.key + BEYOND : last.key) } : {}),
      Contents: contents,
      CommonPrefixes: prefixes,
    });
  }
}
