/**
 * What a request was about, in three short strings for the decision log's columns, search and
 * export: the subject-id, action-id and resource-id values (distinct, in order; several
 * Attributes blocks of one category, as a multiple-decision request has, are all read). A
 * category without its id attribute is summarised by its first attribute, `id=value`.
 */
import { ATTR, CATEGORY } from '@safax/xacml';
import type { XacmlRequest } from '@safax/xacml';

export interface RequestSummary {
  readonly subject: string | null;
  readonly action: string | null;
  readonly resource: string | null;
}

/** Longest summary kept per column (a hostile request may carry huge values). */
export const SUMMARY_MAX = 200;

const short = (id: string) => id.slice(Math.max(id.lastIndexOf(':'), id.lastIndexOf('#')) + 1) || id;

function summarise(request: XacmlRequest, category: string, idAttribute: string): string | null {
  const blocks = request.categories.filter((c) => c.category === category);
  const values: string[] = [];
  for (const b of blocks) {
    const id = b.attributes.find((a) => a.attributeId === idAttribute) ?? b.attributes[0];
    if (!id) continue;
    for (const v of id.values) {
      const text = v.datatype.format(v.value);
      values.push(id.attributeId === idAttribute ? text : `${short(id.attributeId)}=${text}`);
    }
  }
  const distinct = [...new Set(values)];
  if (distinct.length === 0) return null;
  const joined = distinct.join(', ');
  return joined.length > SUMMARY_MAX ? `${joined.slice(0, SUMMARY_MAX - 1)}…` : joined;
}

export function summariseRequest(request: XacmlRequest): RequestSummary {
  return {
    subject: summarise(request, CATEGORY.accessSubject, ATTR.subjectId),
    action: summarise(request, CATEGORY.action, ATTR.actionId),
    resource: summarise(request, CATEGORY.resource, ATTR.resourceId),
  };
}
