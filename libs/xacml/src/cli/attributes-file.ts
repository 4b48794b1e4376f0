/**
 * `--attributes FILE` of the command line: attributes a request lacks, answered by the
 * engine's attribute resolver as a PIP would. JSON, a list (or `{ "attributes": [...] }`) of
 *
 *   { "category": "subject" | "resource" | "action" | "environment" | URN,
 *     "entity": "bob",              // optional: only for requests about this subject/resource/action id
 *     "attribute": "urn:example:role", "values": ["doctor"] }
 *
 * Values are lexical forms of the datatype the policy's designator asks for.
 */
import { ATTR, CATEGORY } from '../model/identifiers';
import type { AttributeResolver } from '../pdp-types';

const SHORT: Readonly<Record<string, string>> = {
  subject: CATEGORY.accessSubject,
  resource: CATEGORY.resource,
  action: CATEGORY.action,
  environment: CATEGORY.environment,
};
const ENTITY_ATTRIBUTE: Readonly<Record<string, string>> = {
  [CATEGORY.accessSubject]: ATTR.subjectId,
  [CATEGORY.resource]: ATTR.resourceId,
  [CATEGORY.action]: ATTR.actionId,
};

interface Row {
  readonly category: string;
  readonly entity?: string;
  readonly attribute: string;
  readonly values: readonly string[];
}

/** Reads the file's rows; throws an Error naming what is wrong. */
export function readAttributeRows(text: string): Row[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON: ${(e as Error).message}`);
  }
  const list = Array.isArray(raw) ? raw : typeof raw === 'object' && raw !== null ? (raw as { attributes?: unknown }).attributes : undefined;
  if (!Array.isArray(list)) throw new Error('expected a list of { category, entity?, attribute, values } (or { "attributes": [...] })');
  return list.map((r: unknown, i) => {
    const o = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
    const str = (k: string): string | undefined => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : undefined);
    const category = str('category');
    const attribute = str('attribute');
    if (!category || !attribute) throw new Error(`attributes[${i}]: category and attribute are required strings`);
    if (!Array.isArray(o.values) || !o.values.every((v) => typeof v === 'string')) throw new Error(`attributes[${i}]: values must be a list of strings`);
    const entity = str('entity');
    return { category: SHORT[category] ?? category, attribute, values: o.values as string[], ...(entity !== undefined ? { entity } : {}) };
  });
}

export function fileResolver(rows: readonly Row[]): AttributeResolver {
  return {
    async resolve(query, request) {
      const out: string[] = [];
      for (const r of rows) {
        if (r.category !== query.category || r.attribute !== query.attributeId) continue;
        const idAttr = ENTITY_ATTRIBUTE[r.category];
        if (r.entity !== undefined && idAttr !== undefined && !request.values(r.category, idAttr).includes(r.entity)) continue;
        out.push(...r.values);
      }
      return out;
    },
  };
}
