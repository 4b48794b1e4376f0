/**
 * The decision request a PEP builds, and its one normal form.
 *
 * A `PepRequest` has the AuthZEN shape (subject, action, resource, environment) so that the
 * same request can go out in any of the three formats; XACML-only parts (typed values,
 * issuers, other categories such as intermediary-subject) are refused for AuthZEN.
 *
 * `normalizeRequest` turns it into XACML categories with exactly the attribute ids and
 * datatypes the platform derives from the AuthZEN form (apps/api pdp/authzen-mapping.ts):
 * subject.id → subject-id, subject.type → urn:safax:1.0:authzen:subject:type, a property P →
 * P when it contains ":", else urn:safax:1.0:authzen:<subject|action|resource|context>:P, and
 * datatypes inferred from JSON types as the JSON Profile does. So a request decides the same
 * whatever the format. The normal form is also the decision cache's key.
 */
import { ATTRIBUTE, AUTHZEN_PREFIX, CATEGORY, DATATYPE } from './identifiers';

export type ScalarValue = string | number | boolean;

/** Values with an explicit datatype (and optionally an issuer): XACML formats only, unless the datatype is what JSON inference gives. */
export interface TypedAttribute {
  readonly datatype: string;
  readonly values: readonly ScalarValue[];
  readonly issuer?: string;
}

/** One value, a bag (array; empty = absent), or typed values. */
export type PropertyValue = ScalarValue | readonly ScalarValue[] | TypedAttribute;

/** Property name → value. A name containing ":" is an attribute id as is; others get the AuthZEN prefix of their member. */
export type Properties = Readonly<Record<string, PropertyValue>>;

export interface SubjectSpec {
  readonly id: string;
  /** Required by the AuthZEN format; sent as `urn:safax:1.0:authzen:subject:type` in XACML. */
  readonly type?: string;
  readonly properties?: Properties;
}

export interface ActionSpec {
  readonly name: string;
  readonly properties?: Properties;
}

export interface ResourceSpec {
  readonly id: string;
  /** Required by the AuthZEN format; sent as `urn:safax:1.0:authzen:resource:type` in XACML. */
  readonly type?: string;
  readonly properties?: Properties;
}

/** Another category (e.g. intermediary-subject); property names are attribute ids as is. XACML formats only. */
export interface CategorySpec {
  readonly category: string;
  readonly properties: Properties;
}

export interface PepRequest {
  readonly subject: SubjectSpec;
  readonly action: ActionSpec;
  readonly resource: ResourceSpec;
  /** Environment attributes (AuthZEN `context`). */
  readonly environment?: Properties;
  /** XACML formats only: categories other than access-subject, action, resource, environment. */
  readonly categories?: readonly CategorySpec[];
}

// ---------------------------------------------------------------------------------------------
// Builders

/** The access subject: `subject('alice', { type: 'user', properties: { role: ['doctor'] } })`. */
export function subject(id: string, more: { type?: string; properties?: Properties } = {}): SubjectSpec {
  return { id, ...more };
}

/** The action: `action('read')`. */
export function action(name: string, properties?: Properties): ActionSpec {
  return properties === undefined ? { name } : { name, properties };
}

/** The resource: `resource('patients', { type: 'dataset' })`. */
export function resource(id: string, more: { type?: string; properties?: Properties } = {}): ResourceSpec {
  return { id, ...more };
}

/** Another category, e.g. `category(CATEGORY.intermediarySubject, { [ATTRIBUTE.subjectId]: 'proxy-eu-1' })`. */
export function category(categoryId: string, properties: Properties): CategorySpec {
  return { category: categoryId, properties };
}

/** The intermediary subject (a proxy forwarding on behalf of the access subject). XACML formats only. */
export function intermediarySubject(id: string, properties: Properties = {}): CategorySpec {
  return { category: CATEGORY.intermediarySubject, properties: { [ATTRIBUTE.subjectId]: id, ...properties } };
}

/** Values with an explicit datatype: `typed(DATATYPE.dateTime, '2026-11-30T10:00:00Z')`. */
export function typed(datatype: string, ...values: ScalarValue[]): TypedAttribute {
  return { datatype, values };
}

/** Values with an issuer (and optionally a datatype). XACML formats only. */
export function issued(issuer: string, values: ScalarValue | readonly ScalarValue[], datatype?: string): TypedAttribute {
  const list = Array.isArray(values) ? (values as readonly ScalarValue[]) : [values as ScalarValue];
  const kinds = list.map(kindOf).filter((k): k is Kind => k !== undefined);
  return { datatype: datatype ?? inferDatatype(kinds).datatype ?? DATATYPE.string, values: list, issuer };
}

/** Assembles a request: `decisionRequest({ subject: subject('alice'), action: action('read'), resource: resource('doc-1') })`. */
export function decisionRequest(parts: PepRequest): PepRequest {
  return parts;
}

// ---------------------------------------------------------------------------------------------
// Normal form

export interface NormalAttribute {
  readonly id: string;
  readonly datatype: string;
  /** Lexical values (for numbers and booleans: their JSON text). */
  readonly values: readonly string[];
  readonly issuer?: string;
}

export interface NormalCategory {
  readonly category: string;
  readonly attributes: readonly NormalAttribute[];
}

export interface NormalRequest {
  /** access-subject, action, resource, [environment], then the other categories in request order. */
  readonly categories: readonly NormalCategory[];
  /** True when only XACML formats can carry the request; `reason` says why. */
  readonly xacmlOnly: string | undefined;
  /** Canonical text (sorted categories, attributes and values): the cache key. */
  readonly key: string;
}

/** A request the SDK refuses to send, with what is wrong. */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';
}

type Kind = 'string' | 'boolean' | 'integer' | 'double';

const STANDARD_CATEGORIES: ReadonlySet<string> = new Set([CATEGORY.accessSubject, CATEGORY.action, CATEGORY.resource, CATEGORY.environment]);

/** Validates and normalises; throws InvalidRequestError naming the member that is wrong. */
export function normalizeRequest(req: PepRequest): NormalRequest {
  if (req === null || typeof req !== 'object') throw new InvalidRequestError('the request must be an object with subject, action and resource');
  const xacmlOnly: string[] = [];
  const subjectSpec = req.subject;
  const actionSpec = req.action;
  const resourceSpec = req.resource;
  if (!subjectSpec || typeof subjectSpec !== 'object') throw new InvalidRequestError('subject is missing');
  if (!actionSpec || typeof actionSpec !== 'object') throw new InvalidRequestError('action is missing');
  if (!resourceSpec || typeof resourceSpec !== 'object') throw new InvalidRequestError('resource is missing');
  nonEmpty(subjectSpec.id, 'subject.id');
  nonEmpty(actionSpec.name, 'action.name');
  nonEmpty(resourceSpec.id, 'resource.id');
  if (subjectSpec.type !== undefined) nonEmpty(subjectSpec.type, 'subject.type');
  if (resourceSpec.type !== undefined) nonEmpty(resourceSpec.type, 'resource.type');
  if (subjectSpec.type === undefined) xacmlOnly.push('subject.type is missing (AuthZEN requires it)');
  if (resourceSpec.type === undefined) xacmlOnly.push('resource.type is missing (AuthZEN requires it)');

  const categories: NormalCategory[] = [];
  const subjectAttrs = new AttributeList('subject', AUTHZEN_PREFIX.subject, xacmlOnly);
  subjectAttrs.add(ATTRIBUTE.subjectId, [subjectSpec.id], 'subject.id');
  if (subjectSpec.type !== undefined) subjectAttrs.add(`${AUTHZEN_PREFIX.subject}type`, [subjectSpec.type], 'subject.type');
  subjectAttrs.properties(subjectSpec.properties, 'subject.properties');
  categories.push({ category: CATEGORY.accessSubject, attributes: subjectAttrs.list() });

  const actionAttrs = new AttributeList('action', AUTHZEN_PREFIX.action, xacmlOnly);
  actionAttrs.add(ATTRIBUTE.actionId, [actionSpec.name], 'action.name');
  actionAttrs.properties(actionSpec.properties, 'action.properties');
  categories.push({ category: CATEGORY.action, attributes: actionAttrs.list() });

  const resourceAttrs = new AttributeList('resource', AUTHZEN_PREFIX.resource, xacmlOnly);
  resourceAttrs.add(ATTRIBUTE.resourceId, [resourceSpec.id], 'resource.id');
  if (resourceSpec.type !== undefined) resourceAttrs.add(`${AUTHZEN_PREFIX.resource}type`, [resourceSpec.type], 'resource.type');
  resourceAttrs.properties(resourceSpec.properties, 'resource.properties');
  categories.push({ category: CATEGORY.resource, attributes: resourceAttrs.list() });

  if (req.environment !== undefined) {
    const env = new AttributeList('environment', AUTHZEN_PREFIX.context, xacmlOnly);
    env.properties(req.environment, 'environment');
    const attributes = env.list();
    if (attributes.length > 0) categories.push({ category: CATEGORY.environment, attributes });
  }

  const seen = new Set<string>();
  (req.categories ?? []).forEach((c, i) => {
    const path = `categories[${i}]`;
    if (!c || typeof c !== 'object') throw new InvalidRequestError(`${path} must be { category, properties }`);
    nonEmpty(c.category, `${path}.category`);
    if (STANDARD_CATEGORIES.has(c.category)) throw new InvalidRequestError(`${path}: ${c.category} is given by subject, action, resource or environment`);
    if (seen.has(c.category)) throw new InvalidRequestError(`${path}: category ${c.category} appears twice (that would ask for several decisions)`);
    seen.add(c.category);
    xacmlOnly.push(`AuthZEN cannot carry category ${c.category}`);
    const list = new AttributeList(path, '', xacmlOnly);
    list.properties(c.properties, `${path}.properties`);
    categories.push({ category: c.category, attributes: list.list() });
  });

  return { categories, xacmlOnly: xacmlOnly[0], key: canonicalKey(categories) };
}

function canonicalKey(categories: readonly NormalCategory[]): string {
  const sorted = [...categories]
    .sort((a, b) => cmp(a.category, b.category))
    .map((c) => [
      c.category,
      [...c.attributes]
        .map((a) => [a.id, a.datatype, a.issuer ?? null, [...a.values].sort(cmp)] as const)
        .sort((x, y) => cmp(JSON.stringify(x), JSON.stringify(y))),
    ]);
  return JSON.stringify(sorted);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function nonEmpty(v: unknown, path: string): void {
  if (typeof v !== 'string' || v === '') throw new InvalidRequestError(`${path} must be a non-empty string`);
}

/** Attributes of one category, merged by (id, issuer) and checked. */
class AttributeList {
  private readonly byKey = new Map<string, { id: string; datatype: string; values: string[]; issuer?: string }>();

  constructor(
    private readonly member: string,
    private readonly prefix: string,
    private readonly xacmlOnly: string[],
  ) {}

  add(id: string, values: readonly string[], path: string, datatype: string = DATATYPE.string, issuer?: string): void {
    const key = `${id}\u0000${issuer ?? ''}`;
    const existing = this.byKey.get(key);
    if (existing) {
      if (existing.datatype !== datatype) throw new InvalidRequestError(`${path}: attribute ${id} is given twice with datatypes ${existing.datatype} and ${datatype}`);
      existing.values.push(...values);
      return;
    }
    this.byKey.set(key, { id, datatype, values: [...values], ...(issuer !== undefined ? { issuer } : {}) });
  }

  properties(props: Properties | undefined, path: string): void {
    if (props === undefined) return;
    if (props === null || typeof props !== 'object' || Array.isArray(props)) throw new InvalidRequestError(`${path} must be an object of property values`);
    for (const [name, value] of Object.entries(props)) {
      const p = `${path}.${name}`;
      if (name === '') throw new InvalidRequestError(`${path}: a property name must not be empty`);
      const id = name.includes(':') || this.prefix === '' ? name : `${this.prefix}${name}`;
      const read = readValue(value, p);
      if (read.values.length === 0) continue; // an empty bag is the same as no attribute
      if (read.explicit) {
        if (read.issuer !== undefined) this.xacmlOnly.push(`AuthZEN cannot carry an issuer (${p})`);
        const inferred = inferDatatype(read.kinds).datatype;
        if (inferred !== read.datatype) this.xacmlOnly.push(`AuthZEN cannot carry datatype ${read.datatype} (${p})`);
      }
      this.add(id, read.values, p, read.datatype, read.issuer);
    }
  }

  list(): NormalAttribute[] {
    return [...this.byKey.values()];
  }
}

interface ReadValue {
  readonly values: string[];
  readonly kinds: Kind[];
  readonly datatype: string;
  readonly explicit: boolean;
  readonly issuer?: string;
}

function readValue(value: PropertyValue, path: string): ReadValue {
  if (Array.isArray(value)) return readScalars(value as readonly ScalarValue[], undefined, path);
  if (value !== null && typeof value === 'object') {
    const t = value as TypedAttribute;
    if (typeof t.datatype !== 'string' || t.datatype === '') throw new InvalidRequestError(`${path}: typed values need a datatype`);
    if (!Array.isArray(t.values)) throw new InvalidRequestError(`${path}: typed values need an array of values`);
    if (t.issuer !== undefined && (typeof t.issuer !== 'string' || t.issuer === '')) throw new InvalidRequestError(`${path}: issuer must be a non-empty string`);
    const read = readScalars(t.values, t.datatype, path);
    return { ...read, explicit: true, ...(t.issuer !== undefined ? { issuer: t.issuer } : {}) };
  }
  return readScalars([value as ScalarValue], undefined, path);
}

function readScalars(items: readonly ScalarValue[], datatype: string | undefined, path: string): ReadValue {
  const values: string[] = [];
  const kinds: Kind[] = [];
  items.forEach((v, i) => {
    const k = kindOf(v);
    if (k === undefined) throw new InvalidRequestError(`${path}[${i}]: a value must be a string, a finite number or a boolean`);
    if (k === 'integer' && !Number.isSafeInteger(v)) throw new InvalidRequestError(`${path}[${i}]: ${String(v)} is too large to be exact as a JSON number; give it as a string with datatype integer`);
    kinds.push(k);
    values.push(typeof v === 'string' ? v : JSON.stringify(v));
  });
  if (datatype !== undefined) return { values, kinds, datatype, explicit: true };
  const inferred = inferDatatype(kinds);
  if (inferred.datatype === undefined) throw new InvalidRequestError(`${path}: ${inferred.error}`);
  return { values, kinds, datatype: inferred.datatype, explicit: false };
}

/** The JSON Profile's kind of a JS value: an integer is a number whose JSON text has no fraction or exponent. */
function kindOf(v: unknown): Kind | undefined {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number' && Number.isFinite(v)) return /^-?[0-9]+$/.test(JSON.stringify(v)) ? 'integer' : 'double';
  return undefined;
}

/** Datatype inference exactly as the platform's JSON Profile reader does it (libs/xacml json-values.ts). */
function inferDatatype(kinds: readonly Kind[]): { datatype: string; error?: undefined } | { datatype: undefined; error: string } {
  const set = new Set(kinds);
  if (set.size === 0) return { datatype: DATATYPE.string };
  if (set.size === 1) {
    const [only] = set;
    return { datatype: only === 'boolean' ? DATATYPE.boolean : only === 'integer' ? DATATYPE.integer : only === 'double' ? DATATYPE.double : DATATYPE.string };
  }
  if (set.has('boolean')) return { datatype: undefined, error: 'the values mix booleans with other types; give one type or a typed() value' };
  if (set.has('string')) return { datatype: DATATYPE.string };
  return { datatype: DATATYPE.double };
}
