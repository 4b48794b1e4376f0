/**
 * Hierarchical Resource Profile (XACML 3.0, non-XML resources identified by resource-id):
 *
 * - `resource-parent`, `resource-ancestor` and `resource-ancestor-or-self` of the resource
 *   category. A request may carry them itself (the PEP knows the hierarchy); when it does not
 *   and a policy asks, the PDP derives them from the injected `ResourceHierarchy` (parents of a
 *   node, followed up to the roots; a node may have several parents).
 * - `scope` (the profile's `urn:oasis:names:tc:xacml:2.0:resource:scope`, or the Multiple
 *   Decision Profile's `…:3.0:profile:multiple:scope`): `Immediate` is the node alone;
 *   `Children` the node and its children; `Descendants` the node and every node below it. Each
 *   node becomes an individual decision with that resource-id (the scope attribute removed).
 *   Children and Descendants need a `ResourceHierarchy`; without one the request is
 *   Indeterminate (processing-error), as is a hierarchy that fails or holds a cycle.
 */
import { parseValue } from '../datatypes/registry';
import { ATTR, CATEGORY, STATUS } from '../model/identifiers';
import type { RequestAttribute, RequestCategory } from '../model/request';
import type { Status } from '../model/status';
import type { AttributeValue } from '../model/values';
import type { IndividualRequest } from './individual-requests';

export const HIERARCHY_ATTR = {
  parent: 'urn:oasis:names:tc:xacml:1.0:resource:resource-parent',
  ancestor: 'urn:oasis:names:tc:xacml:1.0:resource:resource-ancestor',
  ancestorOrSelf: 'urn:oasis:names:tc:xacml:1.0:resource:resource-ancestor-or-self',
} as const;

export const SCOPE_ATTRIBUTES: readonly string[] = [
  'urn:oasis:names:tc:xacml:2.0:resource:scope',
  'urn:oasis:names:tc:xacml:3.0:profile:multiple:scope',
];

/** Where the PDP learns the shape of a resource hierarchy (by resource-id, lexical form). */
export interface ResourceHierarchy {
  /** The node's parents ([] for a root). */
  parents(resourceId: string): Promise<readonly string[]>;
  /** The node's children ([] for a leaf). */
  children(resourceId: string): Promise<readonly string[]>;
}

/** A hierarchy given as each node's parents (children are derived). */
export function hierarchyFromParents(parentsOf: Readonly<Record<string, readonly string[]>>): ResourceHierarchy {
  const childrenOf = new Map<string, string[]>();
  for (const [child, parents] of Object.entries(parentsOf)) {
    for (const p of parents) {
      const list = childrenOf.get(p);
      if (list) list.push(child);
      else childrenOf.set(p, [child]);
    }
  }
  return {
    parents: async (id) => parentsOf[id] ?? [],
    children: async (id) => childrenOf.get(id) ?? [],
  };
}

/** Nodes one walk of the hierarchy may visit; bounds a hierarchy that never ends. */
const MAX_NODES = 10_000;

/** Every node reachable by `next` from `start` (not `start` itself), breadth first. */
async function walk(start: string, next: (id: string) => Promise<readonly string[]>): Promise<string[]> {
  const seen = new Set<string>([start]);
  const out: string[] = [];
  let frontier = [start];
  while (frontier.length > 0) {
    const following: string[] = [];
    for (const id of frontier) {
      for (const n of await next(id)) {
        if (n === start) throw new Error(`the resource hierarchy has a cycle through ${start}`);
        if (seen.has(n)) continue;
        seen.add(n);
        out.push(n);
        following.push(n);
        if (out.length > MAX_NODES) throw new Error(`the resource hierarchy below or above ${start} holds more than ${MAX_NODES} nodes`);
      }
    }
    frontier = following;
  }
  return out;
}

/** resource-parent / -ancestor / -ancestor-or-self of a node (lexical), or undefined for another attribute. */
export async function hierarchyValues(attributeId: string, resourceId: string, h: ResourceHierarchy): Promise<readonly string[] | undefined> {
  if (attributeId === HIERARCHY_ATTR.parent) return h.parents(resourceId);
  if (attributeId === HIERARCHY_ATTR.ancestor) return walk(resourceId, (id) => h.parents(id));
  if (attributeId === HIERARCHY_ATTR.ancestorOrSelf) return [resourceId, ...(await walk(resourceId, (id) => h.parents(id)))];
  return undefined;
}

export function isHierarchyAttribute(category: string, attributeId: string): boolean {
  return category === CATEGORY.resource && (attributeId === HIERARCHY_ATTR.parent || attributeId === HIERARCHY_ATTR.ancestor || attributeId === HIERARCHY_ATTR.ancestorOrSelf);
}

/** The scope a resource category asks for, if any. */
function scopeOf(cat: RequestCategory): string | undefined {
  for (const a of cat.attributes) if (SCOPE_ATTRIBUTES.includes(a.attributeId) && a.values.length > 0) return String(a.values[0]!.datatype.format(a.values[0]!.value));
  return undefined;
}

export function needsScopeExpansion(individual: readonly IndividualRequest[]): boolean {
  return individual.some((ind) => ind.categories.some((c) => c.category === CATEGORY.resource && scopeOf(c) !== undefined));
}

export type ScopeExpansion = { readonly requests: readonly IndividualRequest[] } | { readonly error: Status };

const failure = (message: string): ScopeExpansion => ({ error: { code: STATUS.processingError, message } });

/** One individual request → one per node its resource scope covers. */
export async function expandScope(ind: IndividualRequest, hierarchy: ResourceHierarchy | undefined, max: number): Promise<ScopeExpansion> {
  const index = ind.categories.findIndex((c) => c.category === CATEGORY.resource && scopeOf(c) !== undefined);
  if (index < 0) return { requests: [ind] };
  const cat = ind.categories[index]!;
  const scope = scopeOf(cat)!;
  const idAttr = cat.attributes.find((a) => a.attributeId === ATTR.resourceId && a.values.length === 1);
  if (!idAttr) return failure(`scope ${scope} needs exactly one resource-id`);
  const root = idAttr.values[0]!;
  const rootId = String(root.datatype.format(root.value));
  let nodes: string[];
  if (scope === 'Immediate') nodes = [rootId];
  else if (scope === 'Children' || scope === 'Descendants') {
    if (!hierarchy) return failure(`scope ${scope} needs the resource hierarchy, and this PDP has none`);
    try {
      nodes = [rootId, ...(scope === 'Children' ? await hierarchy.children(rootId) : await walk(rootId, (id) => hierarchy.children(id)))];
    } catch (e) {
      return failure(`scope ${scope} of ${rootId}: ${e instanceof Error ? e.message : String(e)}`);
    }
  } else return failure(`unknown scope "${scope}" (Immediate, Children or Descendants)`);
  if (nodes.length > max) return failure(`scope ${scope} of ${rootId} covers ${nodes.length} resources; at most ${max}`);

  const others = cat.attributes.filter((a) => a !== idAttr && !SCOPE_ATTRIBUTES.includes(a.attributeId));
  const requests: IndividualRequest[] = [];
  for (const node of nodes) {
    let value: AttributeValue;
    try {
      value = node === rootId ? root : parseValue(root.datatype.id, node);
    } catch (e) {
      return failure(`resource ${node} of the hierarchy is not a ${root.datatype.id}: ${(e as Error).message}`);
    }
    const attributes: RequestAttribute[] = [{ ...idAttr, values: [value] }, ...others];
    const categories = ind.categories.map((c, i) => (i === index ? { ...c, attributes } : c));
    requests.push({ ...ind, categories });
  }
  return { requests };
}
