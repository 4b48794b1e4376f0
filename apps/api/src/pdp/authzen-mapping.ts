/**
 * OpenID AuthZEN 1.0 ↔ XACML. An AuthZEN evaluation request becomes a XACML JSON Profile
 * request (datatypes inferred from JSON types, as the profile does):
 *
 * | AuthZEN | XACML category | attribute id |
 * |---|---|---|
 * | subject.id | access-subject | urn:oasis:names:tc:xacml:1.0:subject:subject-id |
 * | subject.type | access-subject | urn:safax:1.0:authzen:subject:type |
 * | subject.properties.P | access-subject | P if it contains ":", else urn:safax:1.0:authzen:subject:P |
 * | action.name | action | urn:oasis:names:tc:xacml:1.0:action:action-id |
 * | action.properties.P | action | P or urn:safax:1.0:authzen:action:P |
 * | resource.id | resource | urn:oasis:names:tc:xacml:1.0:resource:resource-id |
 * | resource.type | resource | urn:safax:1.0:authzen:resource:type |
 * | resource.properties.P | resource | P or urn:safax:1.0:authzen:resource:P |
 * | context.P | environment | P or urn:safax:1.0:authzen:context:P |
 *
 * Property values (§5.1.1): a string, number or boolean is one value; an array of them a bag
 * (mixed JSON types become strings); null and [] give no value (the attribute is absent); an
 * object gives its members as attributes with dotted ids (`P.member`, recursively; an array of
 * objects collects each member's values into one bag) and its JSON text as the value of P.
 *
 * Receivers ignore what they do not know (§10.1.1): unknown members of the body and of
 * `options` are ignored. Members of subject, resource and action other than type/id/name/
 * properties are how draft 00 carried attributes: they are read as properties (a policy that
 * does not name them is unaffected), and a subject without `id` is identified by `identity`.
 *
 * The answer: `decision` is true only for Permit; `context` carries the XACML decision,
 * status, and obligation/advice ids (a PEP that cannot honour obligations denies).
 */
import { z } from 'zod';
import { ATTR } from '@safax/xacml';
import type { XacmlResult } from '@safax/xacml';
import { ApiError } from '../errors/api-error';

/*
 * The JSON shapes the endpoints accept (openapi.yaml documents the same). Loose: members not
 * listed pass through (and are ignored, or read as draft-00 properties, by the parsers below).
 */
const propertiesSchema = z.record(z.string(), z.unknown()).nullish();
export const authzenSubjectSchema = z.looseObject({ type: z.string().nullish(), id: z.string().nullish(), properties: propertiesSchema });
export const authzenActionSchema = z.looseObject({ name: z.string().nullish(), properties: propertiesSchema });
export const authzenResourceSchema = z.looseObject({ type: z.string().nullish(), id: z.string().nullish(), properties: propertiesSchema });
const partialSchema = {
  subject: authzenSubjectSchema.optional(),
  action: authzenActionSchema.optional(),
  resource: authzenResourceSchema.optional(),
  context: propertiesSchema,
};
export const authzenEvaluationSchema = z.looseObject({ subject: authzenSubjectSchema, action: authzenActionSchema, resource: authzenResourceSchema, context: propertiesSchema });
export const authzenEvaluationsSchema = z.looseObject({
  ...partialSchema,
  evaluations: z.array(z.looseObject(partialSchema)).max(1000).optional(),
  options: z.looseObject({ evaluations_semantic: z.enum(['execute_all', 'deny_on_first_deny', 'permit_on_first_permit']).optional() }).optional(),
});
export const authzenSearchSchema = z.looseObject({
  ...partialSchema,
  page: z.looseObject({ next_token: z.string().nullish(), limit: z.number().int().min(1).max(1000).nullish() }).nullish(),
});

export type JsonRecord = Record<string, unknown>;

export interface AuthzenSubject {
  readonly type?: string;
  readonly id: string;
  readonly properties: JsonRecord;
}
export interface AuthzenAction {
  readonly name: string;
  readonly properties: JsonRecord;
}
export interface AuthzenResource {
  readonly type?: string;
  readonly id?: string;
  readonly properties: JsonRecord;
}

export interface AuthzenEvaluation {
  readonly subject: AuthzenSubject;
  readonly action: AuthzenAction;
  readonly resource: AuthzenResource;
  readonly context?: JsonRecord;
}

/** One item of a batch: every member may come from the batch's defaults. */
export interface PartialEvaluation {
  readonly subject?: AuthzenSubject;
  readonly action?: AuthzenAction;
  readonly resource?: AuthzenResource;
  readonly context?: JsonRecord;
}

export const EVALUATIONS_SEMANTICS = ['execute_all', 'deny_on_first_deny', 'permit_on_first_permit'] as const;
export type EvaluationsSemantic = (typeof EVALUATIONS_SEMANTICS)[number];

export interface AuthzenEvaluations extends PartialEvaluation {
  readonly evaluations?: readonly PartialEvaluation[];
  readonly semantic: EvaluationsSemantic;
}

/** Most items one batch may hold. */
export const MAX_EVALUATIONS = 1000;

const bad = (message: string): ApiError => new ApiError('bad-request', message);

export function isRecord(v: unknown): v is JsonRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function record(v: unknown, where: string): JsonRecord {
  if (!isRecord(v)) throw bad(`${where} must be a JSON object`);
  return v;
}

function optionalString(o: JsonRecord, key: string, where: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw bad(`${where}.${key} must be a string`);
  return v;
}

/** properties, plus the draft-00 style members beside the known ones (properties win). */
function propertiesOf(o: JsonRecord, known: readonly string[], where: string): JsonRecord {
  const given = o.properties === undefined || o.properties === null ? {} : record(o.properties, `${where}.properties`);
  const legacy: JsonRecord = {};
  for (const [k, v] of Object.entries(o)) if (!known.includes(k) && k !== 'properties') legacy[k] = v;
  return { ...legacy, ...given };
}

export function parseSubject(v: unknown, where = 'subject', idRequired = true): AuthzenSubject {
  const o = record(v, where);
  const type = optionalString(o, 'type', where);
  const id = optionalString(o, 'id', where) ?? optionalString(o, 'identity', where);
  if (idRequired && (id === undefined || id === '')) throw bad(`${where} needs an id`);
  return { ...(type !== undefined ? { type } : {}), id: id ?? '', properties: propertiesOf(o, ['type', 'id'], where) };
}

export function parseAction(v: unknown, where = 'action'): AuthzenAction {
  const o = record(v, where);
  const name = optionalString(o, 'name', where);
  if (name === undefined || name === '') throw bad(`${where} needs a name`);
  return { name, properties: propertiesOf(o, ['name'], where) };
}

export function parseResource(v: unknown, where = 'resource'): AuthzenResource {
  const o = record(v, where);
  const type = optionalString(o, 'type', where);
  const id = optionalString(o, 'id', where);
  return { ...(type !== undefined ? { type } : {}), ...(id !== undefined && id !== '' ? { id } : {}), properties: propertiesOf(o, ['type', 'id'], where) };
}

function parseContext(v: unknown, where = 'context'): JsonRecord | undefined {
  if (v === undefined || v === null) return undefined;
  return record(v, where);
}

/**
 * In a batch an empty object (`"resource": {}`, as the Todo scenario sends beside its items)
 * is no default; in a single evaluation it is an entity with nothing known about it.
 */
function parsePartial(o: JsonRecord, where: string, emptyIsAbsent: boolean): PartialEvaluation {
  const given = (v: unknown): boolean => v !== undefined && v !== null && !(emptyIsAbsent && isRecord(v) && Object.keys(v).length === 0);
  const subject = given(o.subject) ? parseSubject(o.subject, `${where}subject`) : undefined;
  const action = given(o.action) ? parseAction(o.action, `${where}action`) : undefined;
  const resource = given(o.resource) ? parseResource(o.resource, `${where}resource`) : undefined;
  const context = parseContext(o.context, `${where}context`);
  return { ...(subject ? { subject } : {}), ...(action ? { action } : {}), ...(resource ? { resource } : {}), ...(context ? { context } : {}) };
}

/** The Access Evaluation request; unknown members are ignored. */
export function parseEvaluation(body: unknown): AuthzenEvaluation {
  const o = record(body, 'the request body');
  const p = parsePartial(o, '', false);
  if (!p.subject) throw bad('subject is required');
  if (!p.action) throw bad('action is required');
  if (!p.resource) throw bad('resource is required');
  return { subject: p.subject, action: p.action, resource: p.resource, ...(p.context ? { context: p.context } : {}) };
}

/** The Access Evaluations request; unknown members (of the body and of `options`) are ignored. */
export function parseEvaluations(body: unknown): AuthzenEvaluations {
  const o = record(body, 'the request body');
  const defaults = parsePartial(o, '', true);
  let evaluations: PartialEvaluation[] | undefined;
  if (o.evaluations !== undefined && o.evaluations !== null) {
    if (!Array.isArray(o.evaluations)) throw bad('evaluations must be an array');
    if (o.evaluations.length > MAX_EVALUATIONS) throw bad(`evaluations holds ${o.evaluations.length} items; at most ${MAX_EVALUATIONS}`);
    evaluations = o.evaluations.map((item, i) => parsePartial(record(item, `evaluations[${i}]`), `evaluations[${i}].`, true));
  }
  const options = o.options === undefined || o.options === null ? {} : record(o.options, 'options');
  const semantic = options.evaluations_semantic ?? 'execute_all';
  if (typeof semantic !== 'string' || !(EVALUATIONS_SEMANTICS as readonly string[]).includes(semantic)) {
    throw bad(`options.evaluations_semantic must be one of ${EVALUATIONS_SEMANTICS.join(', ')}`);
  }
  return { ...defaults, ...(evaluations ? { evaluations } : {}), semantic: semantic as EvaluationsSemantic };
}

interface JsonAttribute {
  AttributeId: string;
  Value: unknown;
}

/** Nesting followed into object properties; deeper members stay in their parent's JSON text. */
const MAX_DEPTH = 8;
/** Attributes one property may expand into. */
const MAX_ATTRIBUTES_PER_PROPERTY = 200;

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** One property → its attribute values by attribute id (see the module comment). */
function collect(id: string, v: unknown, depth: number, into: Map<string, Scalar[]>): void {
  const push = (attr: string, values: readonly Scalar[]): void => {
    if (values.length === 0) return;
    const list = into.get(attr);
    if (list) list.push(...values);
    else if (into.size < MAX_ATTRIBUTES_PER_PROPERTY) into.set(attr, [...values]);
  };
  if (v === null || v === undefined) return;
  if (isScalar(v)) return push(id, [v]);
  const items = Array.isArray(v) ? v.flat(MAX_DEPTH) : [v];
  push(id, items.filter(isScalar));
  for (const item of items) {
    if (!isRecord(item)) continue;
    push(id, [JSON.stringify(item)]);
    if (depth >= MAX_DEPTH) continue;
    for (const [k, member] of Object.entries(item)) collect(`${id}.${k}`, member, depth + 1, into);
  }
}

function propertyAttributes(prefix: string, props: JsonRecord | undefined): JsonAttribute[] {
  if (!props) return [];
  const out: JsonAttribute[] = [];
  for (const [k, v] of Object.entries(props)) {
    const values = new Map<string, Scalar[]>();
    collect(k.includes(':') ? k : `${prefix}${k}`, v, 0, values);
    for (const [attributeId, list] of values) {
      // The JSON Profile infers one datatype per attribute: a mix of JSON types is read as strings.
      const kinds = new Set(list.map((x) => (typeof x === 'number' ? 'number' : typeof x)));
      const same = kinds.size === 1 || (kinds.size === 2 && kinds.has('string') && kinds.has('number'));
      const value = same ? list : list.map(String);
      out.push({ AttributeId: attributeId, Value: value.length === 1 ? value[0] : value });
    }
  }
  return out;
}

/** The XACML JSON Profile request for one AuthZEN evaluation. */
export function authzenToXacmlJson(e: AuthzenEvaluation): unknown {
  const environment = propertyAttributes('urn:safax:1.0:authzen:context:', e.context);
  return {
    Request: {
      AccessSubject: {
        Attribute: [
          { AttributeId: ATTR.subjectId, Value: e.subject.id },
          ...(e.subject.type !== undefined ? [{ AttributeId: 'urn:safax:1.0:authzen:subject:type', Value: e.subject.type }] : []),
          ...propertyAttributes('urn:safax:1.0:authzen:subject:', e.subject.properties),
        ],
      },
      Action: { Attribute: [{ AttributeId: ATTR.actionId, Value: e.action.name }, ...propertyAttributes('urn:safax:1.0:authzen:action:', e.action.properties)] },
      Resource: {
        Attribute: [
          ...(e.resource.id !== undefined ? [{ AttributeId: ATTR.resourceId, Value: e.resource.id }] : []),
          ...(e.resource.type !== undefined ? [{ AttributeId: 'urn:safax:1.0:authzen:resource:type', Value: e.resource.type }] : []),
          ...propertyAttributes('urn:safax:1.0:authzen:resource:', e.resource.properties),
        ],
      },
      ...(environment.length > 0 ? { Environment: { Attribute: environment } } : {}),
    },
  };
}

export interface AuthzenDecision {
  readonly decision: boolean;
  readonly context: {
    readonly xacml_decision: string;
    readonly status: string;
    readonly status_message?: string;
    readonly obligations?: readonly string[];
    readonly advice?: readonly string[];
  };
}

export function authzenDecision(result: XacmlResult | undefined): AuthzenDecision {
  if (!result) return { decision: false, context: { xacml_decision: 'Indeterminate', status: 'urn:oasis:names:tc:xacml:1.0:status:processing-error' } };
  return {
    decision: result.decision === 'Permit',
    context: {
      xacml_decision: result.decision,
      status: result.status.code,
      ...(result.status.message !== undefined ? { status_message: result.status.message } : {}),
      ...(result.obligations.length > 0 ? { obligations: result.obligations.map((o) => o.id) } : {}),
      ...(result.advice.length > 0 ? { advice: result.advice.map((a) => a.id) } : {}),
    },
  };
}

/** Merges the batch's defaults into one item (item members win), or says what is missing. */
export function mergeEvaluation(defaults: PartialEvaluation, item: PartialEvaluation): AuthzenEvaluation | string {
  const subject = item.subject ?? defaults.subject;
  const action = item.action ?? defaults.action;
  const resource = item.resource ?? defaults.resource;
  const context = item.context ?? defaults.context;
  if (!subject) return 'subject';
  if (!action) return 'action';
  if (!resource) return 'resource';
  return { subject, action, resource, ...(context ? { context } : {}) };
}
