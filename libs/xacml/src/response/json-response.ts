/**
 * JSON Profile of XACML 3.0 v1.1 response: `serializeResponseJson` builds the `{"Response":
 * [...]}` value the PDP returns (full identifiers, DataType always written, empty lists
 * omitted); `parseResponseJson` reads one back strictly (unknown members, nulls, wrong types,
 * empty Response/Obligations/AssociatedAdvice are refused with the member's path).
 */
import { DT, STATUS } from '../model/identifiers';
import { IssueCollector } from '../model/errors';
import type { RequestCategory } from '../model/request';
import type { AttributeAssignment, Decision, IdReference, PepAction, PolicyIdentifierList, XacmlResponse, XacmlResult } from '../model/response';
import type { MissingAttributeDetail, Status } from '../model/status';
import type { AttributeValue } from '../model/values';
import type { XPathExpressionValue } from '../datatypes/xpath-expression';
import { readCategory } from '../request/json-request';
import { JsonShapeReader, own } from '../request/json-shapes';
import { readJson, withJsonDefaults, type JsonLimits, type JsonObject, type JsonValue } from '../request/json-text';
import { readJsonValues } from '../request/json-values';
import { withDefaults } from '../xml/limits';

// ---------------------------------------------------------------------------------------------
// Writing

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function serializeResponseJson(res: XacmlResponse): { Response: Json[] } {
  return { Response: res.results.map(writeResult) };
}

function writeResult(r: XacmlResult): { [key: string]: Json } {
  const out: { [key: string]: Json } = { Decision: r.decision, Status: writeStatus(r.status) };
  if (r.obligations.length > 0) out.Obligations = r.obligations.map(writePepAction);
  if (r.advice.length > 0) out.AssociatedAdvice = r.advice.map(writePepAction);
  if (r.attributes.length > 0) out.Category = r.attributes.map(writeCategory);
  if (r.policyIdentifiers) {
    const list: { [key: string]: Json } = {};
    if (r.policyIdentifiers.policies.length > 0) list.PolicyIdReference = r.policyIdentifiers.policies.map(writeIdReference);
    if (r.policyIdentifiers.policySets.length > 0) list.PolicySetIdReference = r.policyIdentifiers.policySets.map(writeIdReference);
    out.PolicyIdentifierList = list;
  }
  return out;
}

function writeStatus(s: Status): { [key: string]: Json } {
  const code: { [key: string]: Json } = { Value: s.code };
  if (s.subCode !== undefined) code.StatusCode = { Value: s.subCode };
  const out: { [key: string]: Json } = { StatusCode: code };
  if (s.message !== undefined) out.StatusMessage = s.message;
  if (s.missingAttributes && s.missingAttributes.length > 0) {
    out.StatusDetail = s.missingAttributes.map((m) => ({
      Category: m.category,
      AttributeId: m.attributeId,
      DataType: m.datatype,
      ...(m.issuer !== undefined ? { Issuer: m.issuer } : {}),
    }));
  }
  return out;
}

function writePepAction(a: PepAction): { [key: string]: Json } {
  if (a.assignments.length === 0) return { Id: a.id };
  return {
    Id: a.id,
    AttributeAssignment: a.assignments.map((x) => ({
      AttributeId: x.attributeId,
      ...writeValues([x.value]),
      ...(x.category !== undefined ? { Category: x.category } : {}),
      ...(x.issuer !== undefined ? { Issuer: x.issuer } : {}),
    })),
  };
}

function writeCategory(c: RequestCategory): { [key: string]: Json } {
  const attributes: Json[] = [];
  for (const a of c.attributes) {
    // One DataType per JSON Attribute: values of several datatypes become several Attributes.
    const byType = new Map<string, AttributeValue[]>();
    for (const v of a.values) {
      const list = byType.get(v.datatype.id);
      if (list) list.push(v);
      else byType.set(v.datatype.id, [v]);
    }
    if (byType.size === 0) byType.set(DT.string, []);
    for (const [datatype, values] of byType) {
      attributes.push({
        AttributeId: a.attributeId,
        ...(values.length === 0 ? { Value: [], DataType: datatype } : writeValues(values)),
        ...(a.issuer !== undefined ? { Issuer: a.issuer } : {}),
        IncludeInResult: true,
      });
    }
  }
  return { CategoryId: c.category, ...(c.xmlId !== undefined ? { Id: c.xmlId } : {}), Attribute: attributes };
}

function writeIdReference(r: IdReference): { [key: string]: Json } {
  return r.version === '' ? { Id: r.id } : { Id: r.id, Version: r.version };
}

/** Values of one datatype → `Value` (single or array) and `DataType`. */
function writeValues(values: readonly AttributeValue[]): { Value: Json; DataType: string } {
  const json = values.map(writeValue);
  return { Value: json.length === 1 ? json[0]! : json, DataType: values[0]!.datatype.id };
}

function writeValue(v: AttributeValue): Json {
  switch (v.datatype.id) {
    case DT.boolean:
      return v.value as boolean;
    case DT.integer: {
      const n = v.value as bigint;
      // Beyond 2^53 a JSON number loses digits; the lexical string (with DataType) does not.
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : v.datatype.format(n);
    }
    case DT.double: {
      const d = v.value as number;
      return Number.isFinite(d) ? d : v.datatype.format(d);
    }
    case DT.xpathExpression: {
      const x = v.value as XPathExpressionValue;
      const namespaces = Object.entries(x.namespaces)
        .filter(([prefix]) => prefix !== 'xml')
        .map(([prefix, uri]): Json => (prefix === '' ? { Namespace: uri } : { Prefix: prefix, Namespace: uri }));
      const out: { [key: string]: Json } = { XPathCategory: x.category, XPath: x.path };
      if (namespaces.length > 0) out.Namespaces = namespaces;
      return out;
    }
    default:
      return v.datatype.format(v.value);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

const DECISIONS: ReadonlySet<string> = new Set<Decision>(['Permit', 'Deny', 'NotApplicable', 'Indeterminate']);
const RESULT_MEMBERS = new Set(['Decision', 'Status', 'Obligations', 'AssociatedAdvice', 'Category', 'PolicyIdentifierList']);
const STATUS_MEMBERS = new Set(['StatusCode', 'StatusMessage', 'StatusDetail']);
const STATUS_CODE_MEMBERS = new Set(['Value', 'StatusCode']);
const DETAIL_MEMBERS = new Set(['Category', 'AttributeId', 'DataType', 'Issuer', 'AttributeValue']);
const PEP_ACTION_MEMBERS = new Set(['Id', 'AttributeAssignment']);
const ASSIGNMENT_MEMBERS = new Set(['AttributeId', 'Value', 'Category', 'DataType', 'Issuer']);
const ID_LIST_MEMBERS = new Set(['PolicyIdReference', 'PolicySetIdReference']);
const ID_REFERENCE_MEMBERS = new Set(['Id', 'Version']);

export interface ParseResponseJsonOptions {
  readonly limits?: Partial<JsonLimits>;
}

export function parseResponseJson(input: string | unknown, options?: ParseResponseJsonOptions): XacmlResponse {
  const doc = readJson(input, withJsonDefaults(options?.limits), 'document');
  const issues = new IssueCollector('document');
  const reader = new JsonShapeReader(issues);
  const results: XacmlResult[] = [];
  const top = reader.object(doc, '', new Set(['Response']));
  if (top) {
    const list = reader.array(top, 'Response', '', 1);
    if (own(top, 'Response') === undefined) issues.add('invalid-structure', '/', 'missing member "Response"');
    list?.forEach((item, i) => {
      const r = readResult(reader, item, `/Response[${i}]`);
      if (r) results.push(r);
    });
  }
  issues.throwIfAny();
  return { results };
}

function readResult(reader: JsonShapeReader, value: JsonValue, path: string): XacmlResult | undefined {
  const obj = reader.object(value, path, RESULT_MEMBERS);
  if (!obj) return undefined;
  const decisionText = reader.string(obj, 'Decision', path, true);
  if (decisionText !== undefined && !DECISIONS.has(decisionText)) {
    reader.issues.add('invalid-value', `${path}/Decision`, `unknown decision "${decisionText}"`);
  }
  const statusValue = own(obj, 'Status');
  const status = statusValue === undefined ? { code: STATUS.ok } : readStatus(reader, statusValue, `${path}/Status`);
  const obligations = readPepActions(reader, obj, 'Obligations', path);
  const advice = readPepActions(reader, obj, 'AssociatedAdvice', path);
  const attributes: RequestCategory[] = [];
  for (const { value: c, path: p } of reader.objects(obj, 'Category', path, 0) ?? []) {
    const category = readCategory(reader, c, p, undefined, withDefaults());
    if (category) attributes.push(category);
  }
  const idList = own(obj, 'PolicyIdentifierList');
  const policyIdentifiers = idList === undefined ? undefined : readPolicyIdentifiers(reader, idList, `${path}/PolicyIdentifierList`);
  if (decisionText === undefined || !DECISIONS.has(decisionText) || !status) return undefined;
  return {
    decision: decisionText as Decision,
    status,
    obligations,
    advice,
    attributes,
    ...(policyIdentifiers ? { policyIdentifiers } : {}),
  };
}

function readStatus(reader: JsonShapeReader, value: JsonValue, path: string): Status | undefined {
  const obj = reader.object(value, path, STATUS_MEMBERS);
  if (!obj) return undefined;
  const codeValue = own(obj, 'StatusCode');
  let code: string | undefined;
  let subCode: string | undefined;
  if (codeValue === undefined) reader.issues.add('invalid-structure', path, 'missing member "StatusCode"');
  else {
    const codeObj = reader.object(codeValue, `${path}/StatusCode`, STATUS_CODE_MEMBERS);
    if (codeObj) {
      code = reader.string(codeObj, 'Value', `${path}/StatusCode`, true);
      // Only the first nested level has a place in the model; deeper ones are checked, not kept.
      let nested = own(codeObj, 'StatusCode');
      let nestedPath = `${path}/StatusCode/StatusCode`;
      while (nested !== undefined) {
        const n = reader.object(nested, nestedPath, STATUS_CODE_MEMBERS);
        if (!n) break;
        const v = reader.string(n, 'Value', nestedPath, true);
        subCode ??= v;
        nested = own(n, 'StatusCode');
        nestedPath += '/StatusCode';
      }
    }
  }
  const message = reader.string(obj, 'StatusMessage', path, false);
  const missing: MissingAttributeDetail[] = [];
  const detail = own(obj, 'StatusDetail');
  // StatusDetail is either XML text (kept out of the model) or MissingAttributeDetail objects.
  if (detail !== undefined && typeof detail !== 'string') {
    (reader.array(obj, 'StatusDetail', path, 1) ?? []).forEach((item, i) => {
      const p = `${path}/StatusDetail[${i}]`;
      const d = reader.object(item, p, DETAIL_MEMBERS);
      if (!d) return;
      const category = reader.string(d, 'Category', p, true);
      const attributeId = reader.string(d, 'AttributeId', p, true);
      const datatype = reader.string(d, 'DataType', p, true);
      const issuer = reader.string(d, 'Issuer', p, false);
      reader.array(d, 'AttributeValue', p, 0);
      if (category !== undefined && attributeId !== undefined && datatype !== undefined) {
        missing.push({ category, attributeId, datatype, ...(issuer !== undefined ? { issuer } : {}) });
      }
    });
  }
  if (code === undefined) return undefined;
  return {
    code,
    ...(subCode !== undefined ? { subCode } : {}),
    ...(message !== undefined ? { message } : {}),
    ...(missing.length > 0 ? { missingAttributes: missing } : {}),
  };
}

function readPepActions(reader: JsonShapeReader, obj: JsonObject, key: string, path: string): PepAction[] {
  const out: PepAction[] = [];
  (reader.array(obj, key, path, 1) ?? []).forEach((item, i) => {
    const p = `${path}/${key}[${i}]`;
    const a = reader.object(item, p, PEP_ACTION_MEMBERS);
    if (!a) return;
    const id = reader.string(a, 'Id', p, true);
    const assignments: AttributeAssignment[] = [];
    (reader.array(a, 'AttributeAssignment', p, 0) ?? []).forEach((x, j) => {
      const ap = `${p}/AttributeAssignment[${j}]`;
      const assignment = reader.object(x, ap, ASSIGNMENT_MEMBERS);
      if (!assignment) return;
      const attributeId = reader.string(assignment, 'AttributeId', ap, true);
      const category = reader.string(assignment, 'Category', ap, false);
      const issuer = reader.string(assignment, 'Issuer', ap, false);
      const datatype = reader.string(assignment, 'DataType', ap, false);
      const raw = own(assignment, 'Value');
      if (raw === undefined) {
        reader.issues.add('invalid-structure', ap, 'missing member "Value"');
        return;
      }
      const read = readJsonValues(reader, raw, datatype, `${ap}/Value`, `${ap}/DataType`);
      if (!read || attributeId === undefined) return;
      // An assignment carries one value; an array Value stands for several assignments.
      for (const value of read.values) {
        assignments.push({ attributeId, ...(category !== undefined ? { category } : {}), ...(issuer !== undefined ? { issuer } : {}), value });
      }
    });
    if (id !== undefined) out.push({ id, assignments });
  });
  return out;
}

function readPolicyIdentifiers(reader: JsonShapeReader, value: JsonValue, path: string): PolicyIdentifierList | undefined {
  const obj = reader.object(value, path, ID_LIST_MEMBERS);
  if (!obj) return undefined;
  const refs = (key: string): IdReference[] => {
    const out: IdReference[] = [];
    (reader.array(obj, key, path, 0) ?? []).forEach((item, i) => {
      const p = `${path}/${key}[${i}]`;
      const r = reader.object(item, p, ID_REFERENCE_MEMBERS);
      if (!r) return;
      const id = reader.string(r, 'Id', p, true);
      const version = reader.string(r, 'Version', p, false) ?? '';
      if (id !== undefined) out.push({ id, version });
    });
    return out;
  };
  return { policies: refs('PolicyIdReference'), policySets: refs('PolicySetIdReference') };
}
