/**
 * Multiple Decision Profile (XACML 3.0 MDP §2.3, §2.4): splits a request into the individual
 * decision requests the evaluator decides one by one.
 *
 * - MultiRequests: each RequestReference names, by xml:id, the Attributes elements of one
 *   individual request.
 * - Repeated categories: several Attributes of the same category give the cartesian product of
 *   one Attributes per category (in request order: the first category varies slowest).
 * - Nodes identified by XPath (multiple:content-selector, see content-selector.ts): each
 *   selected node counts as one Attributes of that category.
 *
 * A request with neither is returned as-is (one individual request, no copying).
 */
import type { Document } from '@xmldom/xmldom';
import { XacmlError } from '../model/errors';
import type { RequestCategory, XacmlRequest } from '../model/request';
import { expandContentSelector, hasMultipleContentSelector } from './content-selector';

export interface IndividualRequest {
  readonly categories: readonly RequestCategory[];
  readonly returnPolicyIdList: boolean;
  readonly xpathVersion?: string;
  /** See XacmlRequest.v2Context. */
  readonly v2Context?: () => Document | undefined;
}

export interface IndividualRequestsOptions {
  /** Refuse a request that expands into more individual requests than this (default 1000). */
  readonly maxIndividualRequests?: number;
}

export const DEFAULT_MAX_INDIVIDUAL_REQUESTS = 1000;

export function individualRequests(req: XacmlRequest, options?: IndividualRequestsOptions): readonly IndividualRequest[] {
  const max = options?.maxIndividualRequests ?? DEFAULT_MAX_INDIVIDUAL_REQUESTS;
  const make = (categories: readonly RequestCategory[]): IndividualRequest => ({
    categories,
    returnPolicyIdList: req.returnPolicyIdList,
    ...(req.xpathVersion !== undefined ? { xpathVersion: req.xpathVersion } : {}),
    ...(req.v2Context !== undefined ? { v2Context: req.v2Context } : {}),
  });

  if (req.multiRequests === undefined || req.multiRequests.length === 0) {
    if (!needsExpansion(req.categories)) return [make(req.categories)];
    return expand(req.categories, req.categories, max).map(make);
  }

  const byId = new Map<string, RequestCategory>();
  for (const c of req.categories) if (c.xmlId !== undefined && !byId.has(c.xmlId)) byId.set(c.xmlId, c);
  const out: IndividualRequest[] = [];
  req.multiRequests.forEach((ref, i) => {
    const categories = ref.referenceIds.map((id) => {
      const c = byId.get(id);
      if (!c) {
        throw new XacmlError('request', [
          {
            code: 'undefined-reference',
            path: `/Request/MultiRequests/RequestReference[${i + 1}]`,
            message: `no Attributes element has xml:id "${id}"`,
          },
        ]);
      }
      return c;
    });
    // A referenced set may itself repeat a category; it is then expanded like any request.
    const expanded = needsExpansion(categories) ? expand(categories, req.categories, max) : [categories];
    for (const cs of expanded) out.push(make(cs));
    if (out.length > max) throw tooMany(max);
  });
  return out;
}

function needsExpansion(categories: readonly RequestCategory[]): boolean {
  const seen = new Set<string>();
  for (const c of categories) {
    if (seen.has(c.category) || hasMultipleContentSelector(c)) return true;
    seen.add(c.category);
  }
  return false;
}

/** Cartesian product over the groups of same-category Attributes, keeping request order. */
function expand(categories: readonly RequestCategory[], all: readonly RequestCategory[], max: number): RequestCategory[][] {
  const groups = new Map<string, RequestCategory[]>();
  for (const c of categories) {
    const alternatives = hasMultipleContentSelector(c) ? expandContentSelector(c, all) : [c];
    const g = groups.get(c.category);
    if (g) g.push(...alternatives);
    else groups.set(c.category, alternatives);
  }
  let total = 1;
  for (const g of groups.values()) {
    total *= g.length;
    if (total > max) throw tooMany(max);
  }
  let combos: RequestCategory[][] = [[]];
  for (const g of groups.values()) {
    const next: RequestCategory[][] = [];
    for (const prefix of combos) for (const c of g) next.push([...prefix, c]);
    combos = next;
  }
  return combos;
}

function tooMany(max: number): XacmlError {
  return new XacmlError('request', [
    { code: 'limit-exceeded', path: '/Request', message: `the request expands into more than ${max} individual decisions` },
  ]);
}
