/**
 * PutObject, GetObject (Range, conditionals), HeadObject, DeleteObject, DeleteObjects,
 * CopyObject and object tagging. Each decides before it touches data; an object's attributes
 * are read first so the decision can use them, and a missing object is reported only to
 * callers the policy lets see it (everyone else gets AccessDenied).
 */
import { pipeline } from 'node:stream/promises';
import { announcedSize } from '../http/request-body';
import type { ResourceDescription } from '../policy/access-request';
import { WATERMARK_HEADER } from '../policy/vocabulary';
import type { BucketInfo, ByteRange, ObjectInfo, Tags } from '../storage/backend';
import { S3Error } from './errors';
import { iso, OperationContext, quoted } from './operation-context';
import { nodesOf, parseXml, textOf } from './xml';

const MAX_METADATA_BYTES = 2048;
/** Set by the watermark-header obligation; a stored value could pass for one. */
export const RESERVED_METADATA = WATERMARK_HEADER.slice('x-amz-meta-'.length);

export function objectResource(b: BucketInfo, key: string, info?: ObjectInfo, extra: { contentType?: string; size?: number; requestTags?: Tags } = {}): ResourceDescription {
  return {
    type: 'object',
    bucket: b.name,
    key,
    owner: b.owner,
    ...(info ? { contentType: info.contentType, size: info.size, created: info.lastModified } : {}),
    ...extra,
  };
}

async function headOrUndefined(ctx: OperationContext, bucket: string, key: string): Promise<ObjectInfo | undefined> {
  try {
    return await ctx.services.backend.headObject(bucket, key);
  } catch (e) {
    if (e instanceof S3Error && e.code === 'NoSuchKey') return undefined;
    throw e;
  }
}

const noSuchKey = () => new S3Error('NoSuchKey', 'The specified key does not exist.');

export function validateTags(tags: readonly (readonly [string, string])[]): Tags {
  if (tags.length > 10) throw new S3Error('InvalidTag', 'Object tags cannot be greater than 10');
  const out: Record<string, string> = {};
  for (const [k, v] of tags) {
    if (k.length === 0 || k.length > 128) throw new S3Error('InvalidTag', 'The TagKey you have provided is invalid: 1 to 128 characters');
    if (v.length > 256) throw new S3Error('InvalidTag', 'The TagValue you have provided is invalid: at most 256 characters');
    if (k.startsWith('aws:')) throw new S3Error('InvalidTag', 'Your TagKey cannot be prefixed with aws:');
    if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(k) || !/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(v)) throw new S3Error('InvalidTag', 'Tags may hold letters, digits, spaces and _ . : / = + - @ only');
    if (Object.hasOwn(out, k)) throw new S3Error('InvalidTag', 'Cannot provide multiple Tags with the same key');
    out[k] = v;
  }
  return out;
}

function tagsFromHeader(ctx: OperationContext): Tags | undefined {
  const h = ctx.req.headers['x-amz-tagging'];
  if (h === undefined) return undefined;
  return validateTags([...new URLSearchParams(String(h))]);
}

export function userMetadata(ctx: OperationContext): Record<string, string> {
  const out: Record<string, string> = {};
  let bytes = 0;
  for (const [name, value] of Object.entries(ctx.req.headers)) {
    if (!name.startsWith('x-amz-meta-') || value === undefined) continue;
    const key = name.slice('x-amz-meta-'.length);
    if (key === RESERVED_METADATA) throw new S3Error('InvalidArgument', `The metadata name "${RESERVED_METADATA}" is reserved by the gateway`);
    const v = Array.isArray(value) ? value.join(',') : value;
    bytes += key.length + v.length;
    out[key] = v;
  }
  if (bytes > MAX_METADATA_BYTES) throw new S3Error('InvalidArgument', `Your metadata headers exceed the maximum allowed metadata size (${MAX_METADATA_BYTES} bytes)`);
  return out;
}

const contentTypeOf = (ctx: OperationContext): string => {
  const t = ctx.req.headers['content-type'];
  return t === undefined || t === '' ? 'application/octet-stream' : t;
};

function parseRange(header: string | undefined): ByteRange | undefined {
  // Anything but one well-formed byte range is ignored (RFC 9110 §14.2): the whole object is served.
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') return { suffix: Number(m[2]) };
  const start = Number(m[1]);
  if (m[2] === '') return { start };
  const end = Number(m[2]);
  return end < start ? undefined : { start, end };
}

/** 304 / 412 as S3 answers If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since. */
function checkConditions(ctx: OperationContext, info: ObjectInfo): 'ok' | 'not-modified' {
  const h = ctx.req.headers;
  const etag = quoted(info.etag);
  const matches = (list: string) => list.split(',').some((t) => t.trim() === '*' || t.trim() === etag || t.trim() === info.etag);
  const seconds = Math.floor(info.lastModified.getTime() / 1000) * 1000;
  if (h['if-match'] !== undefined && !matches(h['if-match'])) throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
  if (h['if-match'] === undefined && h['if-unmodified-since'] !== undefined) {
    const d = Date.parse(h['if-unmodified-since']);
    if (!Number.isNaN(d) && seconds > d) throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
  }
  if (h['if-none-match'] !== undefined) return matches(h['if-none-match']) ? 'not-modified' : 'ok';
  if (h['if-modified-since'] !== undefined) {
    const d = Date.parse(h['if-modified-since']);
    if (!Number.isNaN(d) && seconds <= d) return 'not-modified';
  }
  return 'ok';
}

function objectHeaders(info: ObjectInfo): Record<string, string | number> {
  const h: Record<string, string | number> = {
    'content-type': info.contentType,
    etag: quoted(info.etag),
    'last-modified': info.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
  };
  for (const [k, v] of Object.entries(info.userMetadata)) h[`x-amz-meta-${k}`] = v;
  return h;
}

async function readObjectFor(ctx: OperationContext): Promise<{ bucket: BucketInfo; info: ObjectInfo }> {
  ctx.checkKey(ctx.key);
  const bucket = await ctx.services.backend.getBucket(ctx.bucket);
  const info = await headOrUndefined(ctx, ctx.bucket, ctx.key);
  await ctx.authorize({ action: 's3:GetObject', resource: objectResource(bucket, ctx.key, info) });
  if (!info) throw noSuchKey();
  return { bucket, info };
}

export async function headObject(ctx: OperationContext): Promise<void> {
  const { info } = await readObjectFor(ctx);
  if (checkConditions(ctx, info) === 'not-modified') return ctx.sendEmpty(304, { etag: quoted(info.etag) });
  ctx.res.writeHead(200, { ...objectHeaders(info), 'content-length': info.size });
  ctx.res.end();
}

export async function getObject(ctx: OperationContext): Promise<void> {
  const { info } = await readObjectFor(ctx);
  if (checkConditions(ctx, info) === 'not-modified') return ctx.sendEmpty(304, { etag: quoted(info.etag) });
  const range = parseRange(ctx.req.headers.range);
  const got = await ctx.services.backend.getObject(ctx.bucket, ctx.key, range);
  const headers = objectHeaders(got.info);
  if (got.range) {
    headers['content-range'] = `bytes ${got.range.start}-${got.range.end}/${got.info.size}`;
    headers['content-length'] = got.range.end - got.range.start + 1;
  } else headers['content-length'] = got.info.size;
  ctx.res.writeHead(got.range ? 206 : 200, headers);
  await pipeline(got.body, ctx.res);
}

export async function putObject(ctx: OperationContext): Promise<void> {
  ctx.checkKey(ctx.key);
  const bucket = await ctx.services.backend.getBucket(ctx.bucket);
  const contentType = contentTypeOf(ctx);
  const meta = userMetadata(ctx);
  const tags = tagsFromHeader(ctx);
  const size = announcedSize(ctx.req, ctx.auth.payload);
  await ctx.authorize({ action: 's3:PutObject', resource: objectResource(bucket, ctx.key, undefined, { contentType, size, ...(tags ? { requestTags: tags } : {}) }) });
  const body = ctx.body();
  const info = await ctx.services.backend.putObject(ctx.bucket, ctx.key, body.stream, body.size, { contentType, owner: bucket.owner, uploader: ctx.caller.user, userMetadata: meta, tags: tags ?? {} });
  ctx.sendEmpty(200, { etag: quoted(info.etag) });
}

export async function deleteObject(ctx: OperationContext): Promise<void> {
  ctx.checkKey(ctx.key);
  const bucket = await ctx.services.backend.getBucket(ctx.bucket);
  const info = await headOrUndefined(ctx, ctx.bucket, ctx.key);
  await ctx.authorize({ action: 's3:DeleteObject', resource: objectResource(bucket, ctx.key, info) });
  await ctx.services.backend.deleteObject(ctx.bucket, ctx.key);
  ctx.sendEmpty(204);
}

/** Each key decided in one round trip; denied keys come back as Error entries, the rest are deleted. */
export async function deleteObjects(ctx: OperationContext): Promise<void> {
  const bucket = await ctx.services.backend.getBucket(ctx.bucket);
  const doc = parseXml(await ctx.smallBody(), 'Delete');
  const quiet = textOf(doc, 'Quiet') === 'true';
  const objects = nodesOf(doc, 'Object');
  if (objects.length === 0 || objects.length > 1000) throw new S3Error('MalformedXML', 'The XML you provided must list 1 to 1000 objects');
  const keys = objects.map((o) => {
    const k = textOf(o, 'Key');
    if (k === undefined) throw new S3Error('MalformedXML', 'Every <Object> needs a <Key>');
    if (textOf(o, 'VersionId') !== undefined) throw new S3Error('NotImplemented', 'Versioning is not supported');
    return k;
  });
  const deleted: { Key: string }[] = [];
  const errors: { Key: string; Code: string; Message: string }[] = [];
  const valid: string[] = [];
  for (const k of keys) {
    try {
      ctx.checkKey(k);
      valid.push(k);
    } catch (e) {
      errors.push({ Key: k, Code: (e as S3Error).code, Message: (e as S3Error).message });
    }
  }
  const verdicts = await ctx.authorizeMany(valid.map((k) => ({ action: 's3:DeleteObject', resource: objectResource(bucket, k) })));
  for (const [i, k] of valid.entries()) {
    const v = verdicts[i]!;
    if (!v.allowed) {
      const e = OperationContext.denied(v);
      errors.push({ Key: k, Code: e.code, Message: e.message });
      continue;
    }
    ctx.applyVerdictHeaders(v);
    try {
      await ctx.services.backend.deleteObject(ctx.bucket, k);
      deleted.push({ Key: k });
    } catch (e) {
      if (!(e instanceof S3Error)) throw e;
      errors.push({ Key: k, Code: e.code, Message: e.message });
    }
  }
  ctx.sendXml(200, 'DeleteResult', { ...(quiet ? {} : { Deleted: deleted }), Error: errors });
}

function copySource(ctx: OperationContext): { bucket: string; key: string } {
  let raw = String(ctx.req.headers['x-amz-copy-source']);
  if (raw.includes('?')) {
    const [path, q] = raw.split('?', 2) as [string, string];
    if (q.startsWith('versionId=')) throw new S3Error('NotImplemented', 'Versioning is not supported');
    raw = path;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw new S3Error('InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey');
  }
  const path = decoded.startsWith('/') ? decoded.slice(1) : decoded;
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) throw new S3Error('InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey');
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

export async function copyObject(ctx: OperationContext): Promise<void> {
  ctx.checkKey(ctx.key);
  const src = copySource(ctx);
  ctx.checkKey(src.key);
  const metadataDirective = String(ctx.req.headers['x-amz-metadata-directive'] ?? 'COPY');
  const taggingDirective = String(ctx.req.headers['x-amz-tagging-directive'] ?? 'COPY');
  if (!['COPY', 'REPLACE'].includes(metadataDirective) || !['COPY', 'REPLACE'].includes(taggingDirective)) throw new S3Error('InvalidArgument', 'The metadata and tagging directives are COPY or REPLACE');
  if (src.bucket === ctx.bucket && src.key === ctx.key && metadataDirective === 'COPY' && taggingDirective === 'COPY') {
    throw new S3Error('InvalidRequest', "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
  }
  const { backend } = ctx.services;
  const srcBucket = await backend.getBucket(src.bucket);
  const dstBucket = await backend.getBucket(ctx.bucket);
  const srcInfo = await headOrUndefined(ctx, src.bucket, src.key);
  const replaceMeta = metadataDirective === 'REPLACE';
  const contentType = replaceMeta ? contentTypeOf(ctx) : srcInfo?.contentType;
  const newTags = taggingDirective === 'REPLACE' ? (tagsFromHeader(ctx) ?? {}) : undefined;
  const verdicts = await ctx.authorizeMany([
    { action: 's3:GetObject', resource: objectResource(srcBucket, src.key, srcInfo) },
    { action: 's3:PutObject', resource: objectResource(dstBucket, ctx.key, undefined, { ...(contentType !== undefined ? { contentType } : {}), ...(srcInfo ? { size: srcInfo.size } : {}), ...(newTags ? { requestTags: newTags } : {}) }) },
  ]);
  for (const v of verdicts) if (!v.allowed) throw OperationContext.denied(v);
  for (const v of verdicts) if (v.allowed) ctx.applyVerdictHeaders(v);
  if (!srcInfo) throw noSuchKey();
  const tags = newTags ?? (await backend.getTags(src.bucket, src.key));
  const info = await backend.copyObject(
    src,
    { bucket: ctx.bucket, key: ctx.key },
    { owner: dstBucket.owner, uploader: ctx.caller.user },
    { contentType: contentType ?? srcInfo.contentType, userMetadata: replaceMeta ? userMetadata(ctx) : srcInfo.userMetadata, tags },
  );
  ctx.sendXml(200, 'CopyObjectResult', { ETag: quoted(info.etag), LastModified: iso(info.lastModified) });
}

async function taggedObject(ctx: OperationContext): Promise<{ bucket: BucketInfo; info?: ObjectInfo }> {
  ctx.checkKey(ctx.key);
  const bucket = await ctx.services.backend.getBucket(ctx.bucket);
  return { bucket, ...(await headOrUndefined(ctx, ctx.bucket, ctx.key).then((info) => (info ? { info } : {}))) };
}

export async function getObjectTagging(ctx: OperationContext): Promise<void> {
  const { bucket, info } = await taggedObject(ctx);
  await ctx.authorize({ action: 's3:GetObjectTagging', resource: objectResource(bucket, ctx.key, info) });
  if (!info) throw noSuchKey();
  const tags = await ctx.services.backend.getTags(ctx.bucket, ctx.key);
  ctx.sendXml(200, 'Tagging', { TagSet: { Tag: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } });
}

export async function putObjectTagging(ctx: OperationContext): Promise<void> {
  const { bucket, info } = await taggedObject(ctx);
  const doc = parseXml(await ctx.smallBody(), 'Tagging');
  const set = doc.TagSet;
  if (set === undefined || typeof set !== 'object' || set === null || Array.isArray(set)) {
    if (set !== '' && set !== undefined) throw new S3Error('MalformedXML', '<TagSet> is malformed');
  }
  const tagNodes = typeof set === 'object' && set !== null ? nodesOf(set as Record<string, unknown>, 'Tag') : [];
  const tags = validateTags(
    tagNodes.map((t) => {
      const k = textOf(t, 'Key');
      const v = textOf(t, 'Value');
      if (k === undefined || v === undefined) throw new S3Error('MalformedXML', 'Every <Tag> needs a <Key> and a <Value>');
      return [k, v] as const;
    }),
  );
  await ctx.authorize({ action: 's3:PutObjectTagging', resource: objectResource(bucket, ctx.key, info, { requestTags: tags }) });
  if (!info) throw noSuchKey();
  await ctx.services.backend.putTags(ctx.bucket, ctx.key, tags);
  ctx.sendEmpty(200);
}

export async function deleteObjectTagging(ctx: OperationContext): Promise<void> {
  const { bucket, info } = await taggedObject(ctx);
  await ctx.authorize({ action: 's3:DeleteObjectTagging', resource: objectResource(bucket, ctx.key, info) });
  if (!info) throw noSuchKey();
  await ctx.services.backend.putTags(ctx.bucket, ctx.key, {});
  ctx.sendEmpty(204);
}

