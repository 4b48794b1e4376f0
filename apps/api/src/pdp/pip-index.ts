/**
 * The sample PIP of one domain, held in memory with its PDP: attributes keyed by the entity
 * they describe. The entity a query is about is read from the request: subject categories by
 * subject-id, resource by resource-id, action by action-id, environment is the one entity
 * "environment".
 */
import { ATTR, CATEGORY, HIERARCHY_ATTR, hierarchyFromParents } from '@safax/xacml';
import type { AttributeQuery, ResolverRequestView, ResourceHierarchy } from '@safax/xacml';
import type { PipAttributeRecord } from '../repositories/ports';

export const ENVIRONMENT_ENTITY = 'environment';

const key = (category: string, entityId: string, attributeId: string): string => `${category}\u0000${entityId}\u0000${attributeId}`;

/** The attribute naming the entity a category describes, or null (environment, unknown). */
export function entityAttributeOf(category: string): string | null {
  if (category.startsWith('urn:oasis:names:tc:xacml:1.0:subject-category:')) return ATTR.subjectId;
  if (category === CATEGORY.resource) return ATTR.resourceId;
  if (category === CATEGORY.action) return ATTR.actionId;
  return null;
}

export class PipIndex {
  private readonly byKey = new Map<string, PipAttributeRecord>();

  constructor(rows: readonly PipAttributeRecord[]) {
    for (const r of rows) this.byKey.set(key(r.category, r.entityId, r.attributeId), r);
  }

  get size(): number {
    return this.byKey.size;
  }

  /**
   * The resource hierarchy the PIP describes (Hierarchical Resource Profile): each resource's
   * `resource-parent` row names its parents; children are the resources naming it.
   */
  hierarchy(): ResourceHierarchy {
    const parentsOf: Record<string, string[]> = {};
    for (const r of this.byKey.values()) if (r.category === CATEGORY.resource && r.attributeId === HIERARCHY_ATTR.parent) parentsOf[r.entityId] = [...r.values];
    return hierarchyFromParents(parentsOf);
  }

  /** The entities the PIP describes in a category (sorted): candidates for AuthZEN searches. */
  entities(category: string): string[] {
    const out = new Set<string>();
    for (const r of this.byKey.values()) if (r.category === category) out.add(r.entityId);
    return [...out].sort();
  }

  lookup(query: AttributeQuery, request: ResolverRequestView): string[] {
    if (this.byKey.size === 0) return [];
    const idAttr = entityAttributeOf(query.category);
    const entities = idAttr === null ? (query.category === CATEGORY.environment ? [ENVIRONMENT_ENTITY] : []) : request.values(query.category, idAttr);
    const out: string[] = [];
    for (const entity of entities) {
      const row = this.byKey.get(key(query.category, entity, query.attributeId));
      if (row && row.datatype === query.datatype) out.push(...row.values);
    }
    return out;
  }
}
