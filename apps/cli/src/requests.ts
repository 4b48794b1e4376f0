/**
 * The requests a user writes (test files, `decide`) → the SDK's PepRequest. Three raw formats
 * (XACML XML, XACML JSON Profile, AuthZEN evaluation) and a compact form:
 *   { subject: "bob" | {id, type?, properties?}, action: "read" | {name, properties?},
 *     resource: "photo-17" | {id, type?, properties?}, environment?: {...}, categories?: [...] }
 * Raw XACML requests are read with @safax/xacml and carried attribute for attribute (ids,
 * datatypes, issuers); the SDK needs subject-id, action-id and resource-id in them.
 */
import { z } from 'zod';
import { normalizeRequest, toXacmlJsonRequest, typed, issued } from '@safax/pep';
import type { PepRequest, Properties, PropertyValue } from '@safax/pep';
import { XacmlError, parseRequestJson, parseRequestXml } from '@safax/xacml';
import type { XacmlRequest } from '@safax/xacml';
import { CliError } from './exit-codes';

export const REQUEST_FORMATS = ['authzen', 'xacml-json', 'xacml-xml'] as const;
export type RequestFormat = (typeof REQUEST_FORMATS)[number];

const SUBJECT_CAT = 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject';
const ACTION_CAT = 'urn:oasis:names:tc:xacml:3.0:attribute-category:action';
const RESOURCE_CAT = 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource';
const ENV_CAT = 'urn:oasis:names:tc:xacml:3.0:attribute-category:environment';
const SUBJECT_ID = 'urn:oasis:names:tc:xacml:1.0:subject:subject-id';
const ACTION_ID = 'urn:oasis:names:tc:xacml:1.0:action:action-id';
const RESOURCE_ID = 'urn:oasis:names:tc:xacml:1.0:resource:resource-id';
const XS_STRING = 'http://www.w3.org/2001/XMLSchema#string';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const propertyValue = z.union([scalar, z.array(scalar), z.strictObject({ datatype: z.string().min(1), values: z.array(scalar), issuer: z.string().optional() })]);
const properties = z.record(z.string(), propertyValue);
const entity = (idName: 'id' | 'name') =>
  z.union([z.string().min(1), z.strictObject({ [idName]: z.string().min(1), type: z.string().min(1).optional(), properties: properties.optional() })]);

export const compactRequestSchema = z.strictObject({
  subject: entity('id'),
  action: z.union([z.string().min(1), z.strictObject({ name: z.string().min(1), properties: properties.optional() })]),
  resource: entity('id'),
  environment: properties.optional(),
  categories: z.array(z.strictObject({ category: z.string().min(1), properties })).optional(),
});
export type CompactRequest = z.infer<typeof compactRequestSchema>;

/** The compact form as a PepRequest. */
export function fromCompact(c: CompactRequest): PepRequest {
  const s = typeof c.subject === 'string' ? { id: c.subject } : (c.subject as { id: string; type?: string; properties?: Properties });
  const a = typeof c.action === 'string' ? { name: c.action } : (c.action as { name: string; properties?: Properties });
  const r = typeof c.resource === 'string' ? { id: c.resource } : (c.resource as { id: string; type?: string; properties?: Properties });
  return { subject: s, action: a, resource: r, ...(c.environment ? { environment: c.environment as Properties } : {}), ...(c.categories ? { categories: c.categories as PepRequest['categories'] } : {}) };
}

const authzenSchema = z.object({
  subject: z.object({ type: z.string().min(1), id: z.string().min(1), properties: properties.optional() }),
  action: z.object({ name: z.string().min(1), properties: properties.optional() }),
  resource: z.object({ type: z.string().min(1), id: z.string().min(1), properties: properties.optional() }),
  context: properties.optional(),
});

/** An AuthZEN evaluation body as a PepRequest (same mapping as the platform). */
export function fromAuthzen(body: unknown): PepRequest {
  const parsed = authzenSchema.safeParse(body);
  if (!parsed.success) throw new CliError('bad-input', `not an AuthZEN evaluation: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trim());
  const b = parsed.data;
  return {
    subject: { id: b.subject.id, type: b.subject.type, ...(b.subject.properties ? { properties: b.subject.properties as Properties } : {}) },
    action: { name: b.action.name, ...(b.action.properties ? { properties: b.action.properties as Properties } : {}) },
    resource: { id: b.resource.id, type: b.resource.type, ...(b.resource.properties ? { properties: b.resource.properties as Properties } : {}) },
    ...(b.context ? { environment: b.context as Properties } : {}),
  };
}

/** A parsed XACML request (either XACML format) as a PepRequest, attribute for attribute. */
export function fromXacml(req: XacmlRequest): PepRequest {
  if (req.multiRequests && req.multiRequests.length > 0) throw new CliError('bad-input', 'the request asks for several decisions (MultiRequests): give one request');
  const seen = new Set<string>();
  const props = new Map<string, Record<string, PropertyValue>>();
  let subjectId: string | undefined;
  let actionId: string | undefined;
  let resourceId: string | undefined;
  for (const c of req.categories) {
    if (seen.has(c.category)) throw new CliError('bad-input', `category ${c.category} appears twice (several decisions): give one request`);
    seen.add(c.category);
    const p: Record<string, PropertyValue> = {};
    for (const a of c.attributes) {
      const values = a.values.map((v) => v.datatype.format(v.value));
      const datatype = a.values[0]?.datatype.id ?? XS_STRING;
      if (c.category === SUBJECT_CAT && a.attributeId === SUBJECT_ID && values.length === 1 && !a.issuer && subjectId === undefined) subjectId = values[0];
      else if (c.category === ACTION_CAT && a.attributeId === ACTION_ID && values.length === 1 && !a.issuer && actionId === undefined) actionId = values[0];
      else if (c.category === RESOURCE_CAT && a.attributeId === RESOURCE_ID && values.length === 1 && !a.issuer && resourceId === undefined) resourceId = values[0];
      else p[a.attributeId] = a.issuer ? issued(a.issuer, values, datatype) : typed(datatype, ...values);
    }
    props.set(c.category, p);
  }
  if (subjectId === undefined || actionId === undefined || resourceId === undefined) {
    throw new CliError('bad-input', 'the request needs one subject-id (access-subject), action-id and resource-id for the PEP SDK');
  }
  const others = [...props.entries()].filter(([cat]) => ![SUBJECT_CAT, ACTION_CAT, RESOURCE_CAT, ENV_CAT].includes(cat));
  const env = props.get(ENV_CAT);
  return {
    subject: { id: subjectId, properties: props.get(SUBJECT_CAT) ?? {} },
    action: { name: actionId, properties: props.get(ACTION_CAT) ?? {} },
    resource: { id: resourceId, properties: props.get(RESOURCE_CAT) ?? {} },
    ...(env && Object.keys(env).length > 0 ? { environment: env } : {}),
    ...(others.length > 0 ? { categories: others.map(([category, properties]) => ({ category, properties })) } : {}),
  };
}

/** A raw request text in the given format as a PepRequest. */
export function fromRaw(format: RequestFormat, text: string): PepRequest {
  try {
    if (format === 'xacml-xml') return fromXacml(parseRequestXml(text));
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new CliError('bad-input', `not JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    return format === 'authzen' ? fromAuthzen(body) : fromXacml(parseRequestJson(body));
  } catch (e) {
    if (e instanceof XacmlError) throw new CliError('bad-input', `not a valid XACML request: ${e.message}`);
    throw e;
  }
}

/** The format a file's name and content suggest. */
export function guessFormat(name: string, text: string): RequestFormat {
  if (/\.xml$/i.test(name) || text.trimStart().startsWith('<')) return 'xacml-xml';
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (body && typeof body === 'object' && 'Request' in body) return 'xacml-json';
  } catch {
    /* not JSON: reported when it is parsed */
  }
  return 'authzen';
}

/** The PepRequest as a XACML JSON Profile document (what local evaluation parses). */
export function toJsonProfile(r: PepRequest): unknown {
  try {
    return toXacmlJsonRequest([{ request: r, normal: normalizeRequest(r) }]);
  } catch (e) {
    throw new CliError('bad-input', `invalid request: ${e instanceof Error ? e.message : String(e)}`);
  }
}
