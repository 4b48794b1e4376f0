/**
 * Which S3 operation a request is, from its method, path (bucket, key) and sub-resource query
 * parameters. Sub-resources the gateway does not implement are NotImplemented, never mistaken
 * for a plain object operation.
 */
import type { RequestTarget } from '../http/request-target';
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from './bucket-operations';
import { S3Error } from './errors';
import { listObjects } from './listing';
import { abortMultipartUpload, completeMultipartUpload, createMultipartUpload, listParts, uploadPart } from './multipart-operations';
import { copyObject, deleteObject, deleteObjects, deleteObjectTagging, getObject, getObjectTagging, headObject, putObject, putObjectTagging } from './object-operations';
import type { OperationContext } from './operation-context';

export type Operation = (ctx: OperationContext) => Promise<void>;

const UNSUPPORTED = [
  'acl', 'policy', 'policyStatus', 'versioning', 'versions', 'versionId', 'cors', 'lifecycle', 'website', 'logging', 'notification', 'replication',
  'encryption', 'object-lock', 'retention', 'legal-hold', 'accelerate', 'requestPayment', 'analytics', 'inventory', 'metrics', 'intelligent-tiering',
  'ownershipControls', 'publicAccessBlock', 'restore', 'select', 'torrent', 'attributes', 'session', 'uploads', 'renameObject',
];

export interface Routed {
  readonly name: string;
  readonly run: Operation;
}

const NOT_ALLOWED = () => new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.');

export function route(method: string, t: RequestTarget): Routed {
  const sub = (n: string) => t.has(n);
  const r = (name: string, run: Operation): Routed => ({ name, run });
  if (t.bucket === undefined) {
    if (method === 'GET') return r('ListBuckets', listBuckets);
    throw NOT_ALLOWED();
  }
  if (t.key === undefined) {
    if (method === 'POST' && sub('delete')) return r('DeleteObjects', deleteObjects);
    if (method === 'GET' && sub('location')) return r('GetBucketLocation', getBucketLocation);
    const unsupported = UNSUPPORTED.find(sub) ?? ['tagging', 'delete', 'location'].find(sub);
    if (unsupported !== undefined) throw new S3Error('NotImplemented', `The bucket sub-resource "${unsupported}" is not supported by this gateway`);
    switch (method) {
      case 'GET':
        return t.get('list-type') === '2' ? r('ListObjectsV2', (c) => listObjects(c, 2)) : r('ListObjects', (c) => listObjects(c, 1));
      case 'PUT':
        return r('CreateBucket', createBucket);
      case 'DELETE':
        return r('DeleteBucket', deleteBucket);
      case 'HEAD':
        return r('HeadBucket', headBucket);
      default:
        throw NOT_ALLOWED();
    }
  }
  if (method === 'POST' && sub('uploads')) return r('CreateMultipartUpload', createMultipartUpload);
  const unsupported = UNSUPPORTED.find(sub);
  if (unsupported !== undefined) throw new S3Error('NotImplemented', `The object sub-resource "${unsupported}" is not supported by this gateway`);
  switch (method) {
    case 'PUT':
      if (sub('uploadId') || sub('partNumber')) return r('UploadPart', uploadPart);
      if (sub('tagging')) return r('PutObjectTagging', putObjectTagging);
      return r('PutObject', putObject);
    case 'GET':
      if (sub('tagging')) return r('GetObjectTagging', getObjectTagging);
      if (sub('uploadId')) return r('ListParts', listParts);
      return r('GetObject', getObject);
    case 'HEAD':
      return r('HeadObject', headObject);
    case 'DELETE':
      if (sub('tagging')) return r('DeleteObjectTagging', deleteObjectTagging);
      if (sub('uploadId')) return r('AbortMultipartUpload', abortMultipartUpload);
      return r('DeleteObject', deleteObject);
    case 'POST':
      if (sub('uploadId')) return r('CompleteMultipartUpload', completeMultipartUpload);
      throw NOT_ALLOWED();
    default:
      throw NOT_ALLOWED();
  }
}

export const isCopy = (headers: Record<string, unknown>): boolean => headers['x-amz-copy-source'] !== undefined;

/** PutObject with x-amz-copy-source is CopyObject. */
export function routeRequest(method: string, t: RequestTarget, headers: Record<string, unknown>): Routed {
  const r = route(method, t);
  return r.name === 'PutObject' && isCopy(headers) ? { name: 'CopyObject', run: copyObject } : r;
}
