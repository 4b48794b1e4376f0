/**
 * Multipart upload: create, upload part, complete, abort, list parts. Creating, uploading a
 * part and completing are s3:PutObject (as in AWS), each decided; parts stream to the backend.
 */
import { announcedSize } from '../http/request-body';
import type { BucketInfo } from '../storage/backend';
import { S3Error } from './errors';
import { objectResource, userMetadata, validateTags } from './object-operations';
import { iso, quoted } from './operation-context';
import type { OperationContext } from './operation-context';
import { nodesOf, parseXml, textOf } from './xml';

function uploadIdOf(ctx: OperationContext): string {
  const id = ctx.target.get('uploadId');
  if (id === undefined || id === '') throw new S3Error('InvalidArgument', 'The uploadId is missing');
  return id;
}

async function bucketOf(ctx: OperationContext): Promise<BucketInfo> {
  ctx.checkKey(ctx.key);
  return ctx.services.backend.getBucket(ctx.bucket);
}

export async function createMultipartUpload(ctx: OperationContext): Promise<void> {
  const bucket = await bucketOf(ctx);
  const contentType = ctx.req.headers['content-type'] || 'application/octet-stream';
  const tagHeader = ctx.req.headers['x-amz-tagging'];
  const tags = tagHeader === undefined ? {} : validateTags([...new URLSearchParams(String(tagHeader))]);
  const meta = userMetadata(ctx);
  await ctx.authorize({ action: 's3:PutObject', resource: objectResource(bucket, ctx.key, undefined, { contentType, ...(tagHeader !== undefined ? { requestTags: tags } : {}) }) });
  const u = await ctx.services.backend.createUpload(ctx.bucket, ctx.key, { contentType, owner: bucket.owner, uploader: ctx.caller.user, userMetadata: meta, tags });
  ctx.sendXml(200, 'InitiateMultipartUploadResult', { Bucket: ctx.bucket, Key: ctx.key, UploadId: u.uploadId });
}

export async function uploadPart(ctx: OperationContext): Promise<void> {
  const bucket = await bucketOf(ctx);
  const uploadId = uploadIdOf(ctx);
  const raw = ctx.target.get('partNumber') ?? '';
  if (!/^\d{1,5}$/.test(raw) || +raw < 1 || +raw > 10000) throw new S3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive');
  if (ctx.req.headers['x-amz-copy-source'] !== undefined) throw new S3Error('NotImplemented', 'UploadPartCopy is not supported');
  await ctx.services.backend.getUpload(ctx.bucket, ctx.key, uploadId);
  const size = announcedSize(ctx.req, ctx.auth.payload);
  if (size > 5 * 1024 ** 3) throw new S3Error('EntityTooLarge', 'A part is at most 5 GiB');
  await ctx.authorize({ action: 's3:PutObject', resource: objectResource(bucket, ctx.key) });
  const body = ctx.body();
  const part = await ctx.services.backend.uploadPart(ctx.bucket, ctx.key, uploadId, +raw, body.stream, body.size);
  ctx.sendEmpty(200, { etag: quoted(part.etag) });
}

export async function completeMultipartUpload(ctx: OperationContext): Promise<void> {
  const bucket = await bucketOf(ctx);
  const uploadId = uploadIdOf(ctx);
  await ctx.services.backend.getUpload(ctx.bucket, ctx.key, uploadId);
  const doc = parseXml(await ctx.smallBody(), 'CompleteMultipartUpload');
  const parts = nodesOf(doc, 'Part').map((p) => {
    const n = textOf(p, 'PartNumber');
    const etag = textOf(p, 'ETag');
    if (n === undefined || !/^\d{1,5}$/.test(n.trim()) || etag === undefined) throw new S3Error('MalformedXML', 'Every <Part> needs a <PartNumber> and an <ETag>');
    return { partNumber: Number(n.trim()), etag: etag.trim() };
  });
  if (parts.length === 0) throw new S3Error('MalformedXML', 'The XML you provided lists no parts');
  await ctx.authorize({ action: 's3:PutObject', resource: objectResource(bucket, ctx.key) });
  const info = await ctx.services.backend.completeUpload(ctx.bucket, ctx.key, uploadId, parts);
  ctx.sendXml(200, 'CompleteMultipartUploadResult', { Location: `/${ctx.bucket}/${encodeURIComponent(ctx.key)}`, Bucket: ctx.bucket, Key: ctx.key, ETag: quoted(info.etag) });
}

export async function abortMultipartUpload(ctx: OperationContext): Promise<void> {
  const bucket = await bucketOf(ctx);
  const uploadId = uploadIdOf(ctx);
  await ctx.services.backend.getUpload(ctx.bucket, ctx.key, uploadId);
  await ctx.authorize({ action: 's3:AbortMultipartUpload', resource: objectResource(bucket, ctx.key) });
  await ctx.services.backend.abortUpload(ctx.bucket, ctx.key, uploadId);
  ctx.sendEmpty(204);
}

export async function listParts(ctx: OperationContext): Promise<void> {
  const bucket = await bucketOf(ctx);
  const uploadId = uploadIdOf(ctx);
  const upload = await ctx.services.backend.getUpload(ctx.bucket, ctx.key, uploadId);
  await ctx.authorize({ action: 's3:ListMultipartUploadParts', resource: objectResource(bucket, ctx.key) });
  const maxRaw = ctx.target.get('max-parts') ?? '1000';
  const markerRaw = ctx.target.get('part-number-marker') ?? '0';
  if (!/^\d{1,5}$/.test(maxRaw) || !/^\d{1,5}$/.test(markerRaw)) throw new S3Error('InvalidArgument', 'max-parts and part-number-marker are integers');
  const max = Math.min(+maxRaw, 1000);
  const all = (await ctx.services.backend.listParts(ctx.bucket, ctx.key, uploadId)).filter((p) => p.partNumber > +markerRaw);
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  ctx.sendXml(200, 'ListPartsResult', {
    Bucket: ctx.bucket,
    Key: ctx.key,
    UploadId: uploadId,
    Initiator: { ID: upload.uploader, DisplayName: upload.uploader },
    Owner: { ID: upload.owner, DisplayName: upload.owner },
    StorageClass: 'STANDARD',
    PartNumberMarker: +markerRaw,
    ...(truncated ? { NextPartNumberMarker: page[page.length - 1]!.partNumber } : {}),
    MaxParts: max,
    IsTruncated: truncated,
    Part: page.map((p) => ({ PartNumber: p.partNumber, LastModified: iso(p.lastModified), ETag: quoted(p.etag), Size: p.size })),
  });
}
