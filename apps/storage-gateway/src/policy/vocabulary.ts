/**
 * The attribute vocabulary policies for the gateway are written in (README: "Decision
 * requests"). Changing an id here breaks every policy written for the gateway.
 */
export const ATTRIBUTE = {
  group: 'urn:safax:1.0:subject:group',
  accessKeyId: 'urn:safax:1.0:s3:access-key-id',
  resourceType: 'urn:safax:1.0:resource:type',
  bucket: 'urn:safax:1.0:s3:bucket',
  key: 'urn:safax:1.0:s3:key',
  owner: 'urn:safax:1.0:s3:owner',
  uploader: 'urn:safax:1.0:s3:uploader',
  contentType: 'urn:safax:1.0:s3:content-type',
  size: 'urn:safax:1.0:s3:size',
  created: 'urn:safax:1.0:s3:created',
  /** Prefix: `urn:safax:1.0:s3:tag:<tag key>` = the object's tag value. */
  tagPrefix: 'urn:safax:1.0:s3:tag:',
  /** Prefix: `urn:safax:1.0:s3:request-tag:<tag key>` = a tag the request sets. */
  requestTagPrefix: 'urn:safax:1.0:s3:request-tag:',
  sourceAddress: 'urn:safax:1.0:environment:source-address',
  secureTransport: 'urn:safax:1.0:environment:secure-transport',
  presigned: 'urn:safax:1.0:environment:presigned',
} as const;

export const RESOURCE_TYPE = { bucket: 'bucket', object: 'object' } as const;

export const OBLIGATION = {
  logAccess: 'urn:safax:1.0:obligation:log-access',
  watermarkHeader: 'urn:safax:1.0:obligation:watermark-header',
} as const;

export const OBLIGATION_PARAM = {
  /** The watermark text (required by watermark-header). */
  watermark: 'urn:safax:1.0:obligation:watermark',
} as const;

/** The response header a watermark-header obligation sets (an S3 client shows it as metadata `safax-watermark`). */
export const WATERMARK_HEADER = 'x-amz-meta-safax-watermark';
export const TRANSACTION_HEADER = 'x-safax-transaction-id';

export const S3_ACTIONS = [
  's3:ListAllMyBuckets',
  's3:CreateBucket',
  's3:DeleteBucket',
  's3:ListBucket',
  's3:GetObject',
  's3:PutObject',
  's3:DeleteObject',
  's3:GetObjectTagging',
  's3:PutObjectTagging',
  's3:DeleteObjectTagging',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
] as const;

export type S3Action = (typeof S3_ACTIONS)[number];
