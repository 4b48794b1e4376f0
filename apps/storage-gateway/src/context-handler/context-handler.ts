/**
 * The gateway as its domain's Context Handler (SAFAX §3.4): when a policy needs an attribute
 * the gateway's request did not carry, the PDP POSTs
 *   {"category","attributeId","datatype","issuer"?,"subjectId":[],"resourceId":[],"actionId":[]}
 * and gets {"values": [...]} answered from the object's (or bucket's) metadata: owner,
 * uploader, content type, size, creation time, tags. Unknown objects and attributes are
 * "no values" (the policy sees an absent attribute). The platform does not authenticate to
 * Context Handlers, so this listens on its own address, ideally private, and may be limited
 * to the SAFAX-TS hosts (`allowFrom`); it reveals metadata only, never object data.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Logger } from '../ops/logger';
import { ATTRIBUTE, RESOURCE_TYPE } from '../policy/vocabulary';
import { S3Error } from '../s3/errors';
import type { StorageBackend } from '../storage/backend';

const RESOURCE_CATEGORY = 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource';
const XS = 'http://www.w3.org/2001/XMLSchema#';

const querySchema = z.object({
  category: z.string().min(1).max(500),
  attributeId: z.string().min(1).max(500),
  datatype: z.string().min(1).max(500),
  issuer: z.string().max(500).optional(),
  subjectId: z.array(z.string().max(2000)).max(100).default([]),
  resourceId: z.array(z.string().max(2100)).max(100).default([]),
  actionId: z.array(z.string().max(200)).max(100).default([]),
});

export type AttributeQueryBody = z.infer<typeof querySchema>;

/** An attribute's value and its natural datatype; asked as xs:string, any value is given lexically. */
interface Typed {
  readonly value: string;
  readonly datatype: string;
}

const str = (value: string): Typed => ({ value, datatype: `${XS}string` });

export interface ContextHandlerOptions {
  readonly backend: StorageBackend;
  readonly path: string;
  /** Allowed source addresses; empty = any. */
  readonly allowFrom: readonly string[];
  readonly log: Logger;
}

const MAX_BODY = 64 * 1024;

const normalizeAddress = (a: string | undefined): string => (a ?? '').replace(/^::ffff:/, '');

async function valuesFor(backend: StorageBackend, resourceId: string, attributeId: string): Promise<Typed[]> {
  const slash = resourceId.indexOf('/');
  const bucketName = slash < 0 ? resourceId : resourceId.slice(0, slash);
  const key = slash < 0 ? undefined : resourceId.slice(slash + 1);
  let bucket;
  try {
    bucket = await backend.getBucket(bucketName);
  } catch (e) {
    if (e instanceof S3Error) return [];
    throw e;
  }
  if (key === undefined) {
    switch (attributeId) {
      case ATTRIBUTE.owner:
        return [str(bucket.owner)];
      case ATTRIBUTE.created:
        return [{ value: bucket.created.toISOString(), datatype: `${XS}dateTime` }];
      case ATTRIBUTE.bucket:
        return [str(bucket.name)];
      case ATTRIBUTE.resourceType:
        return [str(RESOURCE_TYPE.bucket)];
      default:
        return [];
    }
  }
  let info;
  try {
    info = await backend.headObject(bucketName, key);
  } catch (e) {
    if (e instanceof S3Error) return [];
    throw e;
  }
  switch (attributeId) {
    case ATTRIBUTE.owner:
      return [str(info.owner)];
    case ATTRIBUTE.uploader:
      return [str(info.uploader)];
    case ATTRIBUTE.contentType:
      return [str(info.contentType)];
    case ATTRIBUTE.size:
      return [{ value: String(info.size), datatype: `${XS}integer` }];
    case ATTRIBUTE.created:
      return [{ value: info.lastModified.toISOString(), datatype: `${XS}dateTime` }];
    case ATTRIBUTE.bucket:
      return [str(bucketName)];
    case ATTRIBUTE.key:
      return [str(key)];
    case ATTRIBUTE.resourceType:
      return [str(RESOURCE_TYPE.object)];
    default:
      if (attributeId.startsWith(ATTRIBUTE.tagPrefix)) {
        const tags = await backend.getTags(bucketName, key);
        const tag = attributeId.slice(ATTRIBUTE.tagPrefix.length);
        return Object.hasOwn(tags, tag) ? [str(tags[tag]!)] : [];
      }
      return [];
  }
}

/** The values of one query, in the asked datatype (none when the attribute has another type). */
export async function answerQuery(backend: StorageBackend, q: AttributeQueryBody): Promise<string[]> {
  if (q.category !== RESOURCE_CATEGORY || q.issuer !== undefined) return [];
  const out: string[] = [];
  for (const id of q.resourceId) {
    for (const v of await valuesFor(backend, id, q.attributeId)) {
      if (v.datatype === q.datatype || q.datatype === `${XS}string`) out.push(v.value);
    }
  }
  return out;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function createContextHandler(options: ContextHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const allowed = new Set(options.allowFrom.map(normalizeAddress));
  return (req, res) => {
    const from = normalizeAddress(req.socket.remoteAddress);
    if (allowed.size > 0 && !allowed.has(from)) {
      options.log.warn({ event: 'context-handler-refused', from }, 'context handler call from a source not in allowFrom');
      req.resume();
      return send(res, 403, { error: 'forbidden' });
    }
    const path = (req.url ?? '').split('?')[0];
    if (path !== options.path) {
      req.resume();
      return send(res, 404, { error: 'not found' });
    }
    if (req.method !== 'POST') {
      req.resume();
      return send(res, 405, { error: 'POST only' });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      if (tooLarge) return send(res, 413, { error: `the body is larger than ${MAX_BODY} bytes` });
      let parsed;
      try {
        parsed = querySchema.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        return send(res, 400, { error: 'the body is not JSON' });
      }
      if (!parsed.success) return send(res, 400, { error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      const q = parsed.data;
      answerQuery(options.backend, q).then(
        (values) => {
          options.log.debug({ event: 'context-handler', attributeId: q.attributeId, resourceId: q.resourceId, values: values.length }, 'attribute answered');
          send(res, 200, { values });
        },
        (err: unknown) => {
          options.log.error({ event: 'context-handler-error', attributeId: q.attributeId, err: err instanceof Error ? err.message : String(err) }, 'context handler failed');
          send(res, 500, { error: 'internal error' });
        },
      );
    });
  };
}
