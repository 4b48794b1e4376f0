/** ListBuckets, CreateBucket, DeleteBucket, HeadBucket, GetBucketLocation. */
import type { AccessRequest } from '../policy/access-request';
import { checkBucketName } from '../storage/names';
import { S3Error } from './errors';
import { iso } from './operation-context';
import type { OperationContext } from './operation-context';
import { childOf, parseXml, textOf } from './xml';

/** Only the buckets the caller may see (s3:ListAllMyBuckets decided per bucket, one round trip). */
export async function listBuckets(ctx: OperationContext): Promise<void> {
  const buckets = await ctx.services.backend.listBuckets();
  const verdicts = await ctx.authorizeMany(buckets.map((b): AccessRequest => ({ action: 's3:ListAllMyBuckets', resource: { type: 'bucket', bucket: b.name, owner: b.owner, created: b.created } })));
  const visible = buckets.filter((_, i) => verdicts[i]!.allowed);
  for (const v of verdicts) if (v.allowed) ctx.applyVerdictHeaders(v);
  ctx.sendXml(200, 'ListAllMyBucketsResult', {
    Owner: { ID: ctx.caller.user, DisplayName: ctx.caller.user },
    Buckets: { Bucket: visible.map((b) => ({ Name: b.name, CreationDate: iso(b.created) })) },
  });
}

export async function createBucket(ctx: OperationContext): Promise<void> {
  checkBucketName(ctx.bucket);
  const body = await ctx.smallBody();
  if (body.length > 0) {
    const conf = parseXml(body, 'CreateBucketConfiguration');
    const location = textOf(conf, 'LocationConstraint');
    if (location !== undefined && location !== '' && location !== ctx.services.region) {
      throw new S3Error('InvalidArgument', `The LocationConstraint ${location} is not this gateway's region (${ctx.services.region})`);
    }
    if (childOf(conf, 'Bucket') !== undefined || childOf(conf, 'Location') !== undefined) throw new S3Error('NotImplemented', 'Directory buckets are not supported');
  }
  await ctx.authorize({ action: 's3:CreateBucket', resource: { type: 'bucket', bucket: ctx.bucket, owner: ctx.caller.user } });
  await ctx.services.backend.createBucket(ctx.bucket, ctx.caller.user);
  ctx.sendEmpty(200, { location: `/${ctx.bucket}` });
}

export async function deleteBucket(ctx: OperationContext): Promise<void> {
  const b = await ctx.services.backend.getBucket(ctx.bucket);
  await ctx.authorize({ action: 's3:DeleteBucket', resource: { type: 'bucket', bucket: b.name, owner: b.owner, created: b.created } });
  await ctx.services.backend.deleteBucket(ctx.bucket);
  ctx.sendEmpty(204);
}

export async function headBucket(ctx: OperationContext): Promise<void> {
  const b = await ctx.services.backend.getBucket(ctx.bucket);
  await ctx.authorize({ action: 's3:ListBucket', resource: { type: 'bucket', bucket: b.name, owner: b.owner, created: b.created } });
  ctx.sendEmpty(200, { 'x-amz-bucket-region': ctx.services.region });
}

export async function getBucketLocation(ctx: OperationContext): Promise<void> {
  const b = await ctx.services.backend.getBucket(ctx.bucket);
  await ctx.authorize({ action: 's3:ListBucket', resource: { type: 'bucket', bucket: b.name, owner: b.owner, created: b.created } });
  ctx.sendXml(200, 'LocationConstraint', { '#text': ctx.services.region === 'us-east-1' ? '' : ctx.services.region });
}
