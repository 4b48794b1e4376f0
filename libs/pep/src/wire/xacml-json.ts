/**
 * XACML JSON Profile 1.1 on POST {pdpUrl} (application/xacml+json). Several requests travel as
 * one Request with MultiRequests (Multiple Decision Profile): each category carries an Id
 * `r<i>-c<j>` and request i references its own; the platform answers the results in the
 * order of the references, and the SDK checks their number.
 *
 * Values are written with an explicit DataType (integers, doubles and booleans as JSON
 * numbers and booleans, as the profile has them); answers are read with the platform's own
 * strict reader (@safax/xacml parseResponseJson).
 */
import { parseResponseJson, XacmlError } from '@safax/xacml';
import type { PdpAnswer } from '../decision';
import { DATATYPE } from '../identifiers';
import type { NormalAttribute, NormalCategory } from '../request';
import type { Codec, Outgoing, PreparedRequest } from './codec';
import { MalformedResponseError, expectMediaType } from './codec';
import { answerOf } from './xacml-results';

export type XacmlJsonValue = string | number | boolean;

export interface XacmlJsonAttribute {
  AttributeId: string;
  Value: XacmlJsonValue | XacmlJsonValue[];
  DataType?: string;
  Issuer?: string;
  IncludeInResult?: boolean;
}

export interface XacmlJsonCategory {
  CategoryId: string;
  Id?: string;
  Attribute: XacmlJsonAttribute[];
}

/** The request body the SDK sends (a subset of the JSON Profile: the Category array form). */
export interface XacmlJsonRequest {
  Request: {
    ReturnPolicyIdList?: boolean;
    CombinedDecision?: boolean;
    Category: XacmlJsonCategory[];
    MultiRequests?: { RequestReference: { ReferenceId: string[] }[] };
  };
}

export interface XacmlJsonAttributeAssignment {
  AttributeId: string;
  Value: XacmlJsonValue | XacmlJsonValue[] | Record<string, unknown>;
  DataType?: string;
  Category?: string;
  Issuer?: string;
}

export interface XacmlJsonPepAction {
  Id: string;
  AttributeAssignment?: XacmlJsonAttributeAssignment[];
}

export interface XacmlJsonResult {
  Decision: 'Permit' | 'Deny' | 'NotApplicable' | 'Indeterminate';
  Status?: { StatusCode: { Value: string; StatusCode?: unknown }; StatusMessage?: string; StatusDetail?: unknown };
  Obligations?: XacmlJsonPepAction[];
  AssociatedAdvice?: XacmlJsonPepAction[];
  Category?: XacmlJsonCategory[];
  PolicyIdentifierList?: unknown;
}

/** The platform's answer. */
export interface XacmlJsonResponse {
  Response: XacmlJsonResult[];
}

export const XACML_JSON_MEDIA_TYPE = 'application/xacml+json';

function jsonValue(datatype: string, lexical: string): XacmlJsonValue {
  if (datatype === DATATYPE.boolean && (lexical === 'true' || lexical === 'false')) return lexical === 'true';
  if (datatype === DATATYPE.integer && /^-?[0-9]+$/.test(lexical) && Number.isSafeInteger(Number(lexical)) && String(Number(lexical)) === lexical) return Number(lexical);
  if (datatype === DATATYPE.double && lexical !== '' && Number.isFinite(Number(lexical)) && JSON.stringify(Number(lexical)) === lexical) return Number(lexical);
  return lexical;
}

function attribute(a: NormalAttribute): XacmlJsonAttribute {
  const values = a.values.map((v) => jsonValue(a.datatype, v));
  return { AttributeId: a.id, Value: values.length === 1 ? values[0]! : values, DataType: a.datatype, ...(a.issuer !== undefined ? { Issuer: a.issuer } : {}) };
}

function category(c: NormalCategory, id?: string): XacmlJsonCategory {
  return { CategoryId: c.category, ...(id !== undefined ? { Id: id } : {}), Attribute: c.attributes.map(attribute) };
}

export function toXacmlJsonRequest(ps: readonly PreparedRequest[]): XacmlJsonRequest {
  if (ps.length === 1) return { Request: { Category: ps[0]!.normal.categories.map((c) => category(c)) } };
  const categories: XacmlJsonCategory[] = [];
  const refs: { ReferenceId: string[] }[] = [];
  ps.forEach((p, i) => {
    const ids: string[] = [];
    p.normal.categories.forEach((c, j) => {
      const id = `r${i}-c${j}`;
      ids.push(id);
      categories.push(category(c, id));
    });
    refs.push({ ReferenceId: ids });
  });
  return { Request: { Category: categories, MultiRequests: { RequestReference: refs } } };
}

function decode(body: string, contentType: string | undefined): PdpAnswer[] {
  expectMediaType(contentType, [XACML_JSON_MEDIA_TYPE, 'application/json']);
  try {
    return parseResponseJson(body).results.map(answerOf);
  } catch (e) {
    if (e instanceof XacmlError) throw new MalformedResponseError(`the XACML JSON answer is invalid: ${e.message}`);
    throw e;
  }
}

export const xacmlJsonCodec: Codec = {
  format: 'xacml-json',
  check() {},
  encodeOne(p): Outgoing {
    return { path: '', contentType: XACML_JSON_MEDIA_TYPE, accept: XACML_JSON_MEDIA_TYPE, body: JSON.stringify(toXacmlJsonRequest([p])) };
  },
  encodeMany(ps): Outgoing {
    return { path: '', contentType: XACML_JSON_MEDIA_TYPE, accept: XACML_JSON_MEDIA_TYPE, body: JSON.stringify(toXacmlJsonRequest(ps)) };
  },
  decodeOne(body, contentType) {
    const answers = decode(body, contentType);
    if (answers.length !== 1) throw new MalformedResponseError(`asked for one decision, got ${answers.length}`);
    return answers[0]!;
  },
  decodeMany(body, contentType, count) {
    const answers = decode(body, contentType);
    if (answers.length !== count) throw new MalformedResponseError(`asked for ${count} decisions, got ${answers.length}`);
    return answers;
  },
  itemTransactionId: (tx) => tx,
};
