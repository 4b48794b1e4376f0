/**
 * Writes a request in the JSON Profile 1.1 format — what a PEP SDK sends, and how tests replay
 * XML requests as JSON. Standard categories use their shorthand members (an array when
 * repeated); strings, booleans and safe integers rely on datatype inference, other values
 * carry their DataType.
 */
import { XMLSerializer } from '@xmldom/xmldom';
import { DT } from '../model/identifiers';
import type { RequestAttribute, RequestCategory, XacmlRequest } from '../model/request';
import type { AttributeValue } from '../model/values';
import { CATEGORY_SHORTHANDS } from './json-request';
import { DATATYPE_SHORTHANDS } from './json-values';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const SHORTHAND_OF = new Map(Object.entries(CATEGORY_SHORTHANDS).map(([k, v]) => [v, k]));
const DATATYPE_SHORTHAND_OF = new Map(Object.entries(DATATYPE_SHORTHANDS).map(([k, v]) => [v, k]));

export function serializeRequestJson(req: XacmlRequest): { Request: Json } {
  const out: { [k: string]: Json } = {};
  if (req.returnPolicyIdList) out.ReturnPolicyIdList = true;
  if (req.combinedDecision) out.CombinedDecision = true;
  if (req.xpathVersion !== undefined) out.XPathVersion = req.xpathVersion;
  const custom: Json[] = [];
  for (const cat of req.categories) {
    const shorthand = SHORTHAND_OF.get(cat.category);
    if (!shorthand) {
      custom.push({ CategoryId: cat.category, ...categoryBody(cat) });
      continue;
    }
    const body = categoryBody(cat);
    const existing = out[shorthand];
    if (existing === undefined) out[shorthand] = body;
    else out[shorthand] = Array.isArray(existing) ? [...existing, body] : [existing, body];
  }
  if (custom.length > 0) out.Category = custom;
  if (req.multiRequests && req.multiRequests.length > 0) {
    out.MultiRequests = { RequestReference: req.multiRequests.map((r) => ({ ReferenceId: [...r.referenceIds] })) };
  }
  return { Request: out };
}

function categoryBody(cat: RequestCategory): { [k: string]: Json } {
  const body: { [k: string]: Json } = {};
  if (cat.xmlId !== undefined) body.Id = cat.xmlId;
  if (cat.content) body.Content = new XMLSerializer().serializeToString(cat.content);
  if (cat.attributes.length > 0) body.Attribute = cat.attributes.map(attribute);
  return body;
}

function attribute(a: RequestAttribute): Json {
  const out: { [k: string]: Json } = { AttributeId: a.attributeId };
  if (a.issuer !== undefined) out.Issuer = a.issuer;
  if (a.includeInResult) out.IncludeInResult = true;
  const datatype = a.values[0]?.datatype.id ?? DT.string;
  const inferred = a.values.every((v) => inferable(v));
  if (!inferred) out.DataType = DATATYPE_SHORTHAND_OF.get(datatype) ?? datatype;
  const values = a.values.map((v) => (inferred ? native(v) : lexical(v)));
  out.Value = values.length === 1 ? values[0]! : values;
  return out;
}

/** Values whose JSON form infers back to the same datatype. */
function inferable(v: AttributeValue): boolean {
  if (v.datatype.id === DT.string || v.datatype.id === DT.boolean) return true;
  return v.datatype.id === DT.integer && typeof v.value === 'bigint' && v.value <= BigInt(Number.MAX_SAFE_INTEGER) && v.value >= BigInt(Number.MIN_SAFE_INTEGER);
}

function native(v: AttributeValue): Json {
  if (typeof v.value === 'bigint') return Number(v.value);
  if (typeof v.value === 'boolean' || typeof v.value === 'string') return v.value;
  return v.datatype.format(v.value);
}

function lexical(v: AttributeValue): Json {
  if (v.datatype.id === DT.xpathExpression) {
    const x = v.value as { path: string; category: string; namespaces: Readonly<Record<string, string>> };
    return {
      XPathCategory: x.category,
      Namespaces: Object.entries(x.namespaces).filter(([p]) => p !== 'xml').map(([Prefix, Namespace]): Json => (Prefix === '' ? { Namespace } : { Prefix, Namespace })),
      XPath: x.path,
    };
  }
  return v.datatype.format(v.value);
}
