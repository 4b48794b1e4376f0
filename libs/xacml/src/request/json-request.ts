/**
 * JSON Profile of XACML 3.0 v1.1 request → `XacmlRequest`.
 *
 * Strict: unknown members, nulls, wrong types and empty arrays where the profile needs items
 * are refused, each with a path like `/Request/AccessSubject[0]/Attribute[1]/Value`. Categories
 * come from the `Category` array and the shorthand members (AccessSubject, Resource, ...), in
 * document order. JSON-level limits are checked while reading (see json-text.ts).
 */
import type { Document } from '@xmldom/xmldom';
import { IssueCollector } from '../model/errors';
import { CATEGORY } from '../model/identifiers';
import type { RequestAttribute, RequestCategory, RequestReference, XacmlRequest } from '../model/request';
import type { ParseLimits } from '../pdp-types';
import { withDefaults } from '../xml/limits';
import { contentDocumentFromText } from './content-document';
import { JsonShapeReader, own } from './json-shapes';
import { readJson, withJsonDefaults, type JsonLimits, type JsonValue } from './json-text';
import { readJsonValues } from './json-values';

/** Shorthand members of the Request object → their category identifiers (profile §4.2.2). */
export const CATEGORY_SHORTHANDS: Readonly<Record<string, string>> = {
  AccessSubject: CATEGORY.accessSubject,
  Action: CATEGORY.action,
  Resource: CATEGORY.resource,
  Environment: CATEGORY.environment,
  RecipientSubject: CATEGORY.recipientSubject,
  IntermediarySubject: CATEGORY.intermediarySubject,
  Codebase: CATEGORY.codebase,
  RequestingMachine: CATEGORY.requestingMachine,
};

export type { JsonLimits } from './json-text';

const REQUEST_MEMBERS = new Set(['ReturnPolicyIdList', 'CombinedDecision', 'XPathVersion', 'Category', 'MultiRequests', ...Object.keys(CATEGORY_SHORTHANDS)]);
const CATEGORY_MEMBERS = new Set(['CategoryId', 'Id', 'Content', 'Attribute']);
const ATTRIBUTE_MEMBERS = new Set(['AttributeId', 'Value', 'Issuer', 'DataType', 'IncludeInResult']);

export interface ParseRequestJsonOptions {
  readonly limits?: Partial<JsonLimits>;
  /** Limits for the XML text of Content members. */
  readonly xmlLimits?: Partial<ParseLimits>;
}

export function parseRequestJson(input: string | unknown, options?: ParseRequestJsonOptions): XacmlRequest {
  const doc = readJson(input, withJsonDefaults(options?.limits), 'request');
  const issues = new IssueCollector('request');
  const reader = new JsonShapeReader(issues);
  const top = reader.object(doc, '', new Set(['Request']));
  let request: XacmlRequest | undefined;
  if (top) {
    const body = own(top, 'Request');
    if (body === undefined) issues.add('invalid-structure', '/', 'missing member "Request"');
    else request = readRequest(reader, body, withDefaults(options?.xmlLimits));
  }
  issues.throwIfAny();
  return request!;
}

function readRequest(reader: JsonShapeReader, value: JsonValue, xmlLimits: ParseLimits): XacmlRequest | undefined {
  const path = '/Request';
  const obj = reader.object(value, path, REQUEST_MEMBERS);
  if (!obj) return undefined;
  const returnPolicyIdList = reader.boolean(obj, 'ReturnPolicyIdList', path);
  const combinedDecision = reader.boolean(obj, 'CombinedDecision', path);
  const xpathVersion = reader.string(obj, 'XPathVersion', path, false);

  const categories: RequestCategory[] = [];
  // Document order of members decides category order (it matters for MDP result order).
  for (const key of Object.keys(obj)) {
    if (key === 'Category') {
      const items = reader.array(obj, 'Category', path, 1) ?? [];
      items.forEach((item, i) => {
        const c = readCategory(reader, item, `${path}/Category[${i}]`, undefined, xmlLimits);
        if (c) categories.push(c);
      });
    } else if (Object.prototype.hasOwnProperty.call(CATEGORY_SHORTHANDS, key)) {
      for (const { value: item, path: p } of reader.objects(obj, key, path, 1) ?? []) {
        const c = readCategory(reader, item, p, CATEGORY_SHORTHANDS[key]!, xmlLimits);
        if (c) categories.push(c);
      }
    }
  }
  const hasCategoryMember = Object.keys(obj).some((k) => k === 'Category' || Object.prototype.hasOwnProperty.call(CATEGORY_SHORTHANDS, k));
  if (!hasCategoryMember) reader.issues.add('invalid-structure', path, 'a Request needs at least one category (Category or a shorthand such as AccessSubject)');

  const multi = own(obj, 'MultiRequests');
  const multiRequests = multi === undefined ? undefined : readMultiRequests(reader, multi, `${path}/MultiRequests`);
  checkReferences(reader, categories, multiRequests);

  return {
    returnPolicyIdList,
    combinedDecision,
    categories,
    ...(multiRequests ? { multiRequests } : {}),
    ...(xpathVersion !== undefined ? { xpathVersion } : {}),
  };
}

/** A Category object (request categories, and the IncludeInResult echo of a result). */
export function readCategory(
  reader: JsonShapeReader,
  value: JsonValue,
  path: string,
  shorthand: string | undefined,
  xmlLimits: ParseLimits,
): RequestCategory | undefined {
  const obj = reader.object(value, path, CATEGORY_MEMBERS);
  if (!obj) return undefined;
  const declared = reader.string(obj, 'CategoryId', path, shorthand === undefined);
  if (shorthand !== undefined && declared !== undefined && declared !== shorthand) {
    reader.issues.add('invalid-structure', `${path}/CategoryId`, `CategoryId "${declared}" contradicts the shorthand, which means ${shorthand}`);
  }
  const category = shorthand ?? declared;
  const xmlId = reader.string(obj, 'Id', path, false);
  const contentText = reader.string(obj, 'Content', path, false);
  let content: Document | undefined;
  if (contentText !== undefined) content = contentDocumentFromText(contentText, xmlLimits, reader.issues, `${path}/Content`);

  const attributes: RequestAttribute[] = [];
  (reader.array(obj, 'Attribute', path, 0) ?? []).forEach((item, i) => {
    const a = readAttribute(reader, item, `${path}/Attribute[${i}]`);
    if (a) attributes.push(a);
  });
  if (category === undefined) return undefined;
  return {
    category,
    ...(xmlId !== undefined ? { xmlId } : {}),
    attributes,
    ...(content ? { content } : {}),
  };
}

function readAttribute(reader: JsonShapeReader, value: JsonValue, path: string): RequestAttribute | undefined {
  const obj = reader.object(value, path, ATTRIBUTE_MEMBERS);
  if (!obj) return undefined;
  const attributeId = reader.string(obj, 'AttributeId', path, true);
  const issuer = reader.string(obj, 'Issuer', path, false);
  const datatype = reader.string(obj, 'DataType', path, false);
  const includeInResult = reader.boolean(obj, 'IncludeInResult', path);
  const raw = own(obj, 'Value');
  if (raw === undefined) {
    reader.issues.add('invalid-structure', path, 'missing member "Value"');
    return undefined;
  }
  const read = readJsonValues(reader, raw, datatype, `${path}/Value`, `${path}/DataType`);
  if (!read || attributeId === undefined) return undefined;
  return { attributeId, ...(issuer !== undefined ? { issuer } : {}), includeInResult, values: read.values };
}

function readMultiRequests(reader: JsonShapeReader, value: JsonValue, path: string): RequestReference[] | undefined {
  const obj = reader.object(value, path, new Set(['RequestReference']));
  if (!obj) return undefined;
  const refs = reader.array(obj, 'RequestReference', path, 1);
  if (!refs) {
    if (own(obj, 'RequestReference') === undefined) reader.issues.add('invalid-structure', path, 'missing member "RequestReference"');
    return undefined;
  }
  const out: RequestReference[] = [];
  refs.forEach((ref, i) => {
    const p = `${path}/RequestReference[${i}]`;
    const r = reader.object(ref, p, new Set(['ReferenceId']));
    if (!r) return;
    const ids = reader.array(r, 'ReferenceId', p, 1);
    if (!ids) {
      if (own(r, 'ReferenceId') === undefined) reader.issues.add('invalid-structure', p, 'missing member "ReferenceId"');
      return;
    }
    const referenceIds: string[] = [];
    ids.forEach((id, j) => {
      if (typeof id === 'string' && id !== '') referenceIds.push(id);
      else reader.issues.add('invalid-structure', `${p}/ReferenceId[${j}]`, 'expected a non-empty string');
    });
    out.push({ referenceIds });
  });
  return out;
}

function checkReferences(reader: JsonShapeReader, categories: readonly RequestCategory[], refs: readonly RequestReference[] | undefined): void {
  const ids = new Set<string>();
  for (const c of categories) {
    if (c.xmlId === undefined) continue;
    if (ids.has(c.xmlId)) reader.issues.add('duplicate-id', '/Request', `two categories have Id "${c.xmlId}"`);
    ids.add(c.xmlId);
  }
  refs?.forEach((ref, i) => {
    for (const id of ref.referenceIds) {
      if (!ids.has(id)) reader.issues.add('undefined-reference', `/Request/MultiRequests/RequestReference[${i}]`, `no category has Id "${id}"`);
    }
  });
}
