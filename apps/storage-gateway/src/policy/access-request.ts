/**
 * What the gateway asks about: who (the access key's user and groups), does what (an S3
 * action), to which bucket or object (with the attributes the gateway has at hand), from
 * where. Turned into @safax/pep requests in one place (`toPepRequest`).
 */
import { action, DATATYPE, resource, subject, typed } from '@safax/pep';
import type { PepRequest, Properties } from '@safax/pep';
import type { ResourceAttributeName } from '../config/gateway-config';
import type { Tags } from '../storage/backend';
import { ATTRIBUTE, RESOURCE_TYPE } from './vocabulary';
import type { S3Action } from './vocabulary';

export interface Caller {
  readonly user: string;
  readonly groups: readonly string[];
  readonly accessKeyId: string;
  readonly sourceAddress: string;
  readonly secure: boolean;
  readonly presigned: boolean;
}

export type ResourceDescription =
  | { readonly type: 'bucket'; readonly bucket: string; readonly owner: string; readonly created?: Date }
  | {
      readonly type: 'object';
      readonly bucket: string;
      readonly key: string;
      readonly owner: string;
      readonly contentType?: string;
      readonly size?: number;
      readonly created?: Date;
      readonly tags?: Tags;
      /** Tags the request itself sets (PutObject with x-amz-tagging, PutObjectTagging). */
      readonly requestTags?: Tags;
    };

export interface AccessRequest {
  readonly action: S3Action;
  readonly resource: ResourceDescription;
}

export const resourceId = (r: ResourceDescription): string => (r.type === 'bucket' ? r.bucket : `${r.bucket}/${r.key}`);

export function toPepRequest(caller: Caller, req: AccessRequest, send: ReadonlySet<ResourceAttributeName>): PepRequest {
  const r = req.resource;
  const props: Record<string, Properties[string]> = { [ATTRIBUTE.resourceType]: RESOURCE_TYPE[r.type], [ATTRIBUTE.bucket]: r.bucket };
  if (send.has('owner')) props[ATTRIBUTE.owner] = r.owner;
  if (send.has('created') && r.created) props[ATTRIBUTE.created] = typed(DATATYPE.dateTime, r.created.toISOString());
  if (r.type === 'object') {
    props[ATTRIBUTE.key] = r.key;
    if (send.has('content-type') && r.contentType !== undefined) props[ATTRIBUTE.contentType] = r.contentType;
    if (send.has('size') && r.size !== undefined) props[ATTRIBUTE.size] = r.size;
    if (send.has('tags') && r.tags) for (const [k, v] of Object.entries(r.tags)) props[ATTRIBUTE.tagPrefix + k] = v;
    // What the request sets is not in the store yet: no Context Handler could answer it.
    if (r.requestTags) for (const [k, v] of Object.entries(r.requestTags)) props[ATTRIBUTE.requestTagPrefix + k] = v;
  }
  const subjectProps: Record<string, Properties[string]> = { [ATTRIBUTE.accessKeyId]: caller.accessKeyId };
  if (caller.groups.length > 0) subjectProps[ATTRIBUTE.group] = [...caller.groups];
  return {
    subject: subject(caller.user, { type: 'user', properties: subjectProps }),
    action: action(req.action),
    resource: resource(resourceId(r), { type: RESOURCE_TYPE[r.type], properties: props }),
    environment: { [ATTRIBUTE.sourceAddress]: caller.sourceAddress, [ATTRIBUTE.secureTransport]: caller.secure, [ATTRIBUTE.presigned]: caller.presigned },
  };
}
