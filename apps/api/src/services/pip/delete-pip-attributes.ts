/** Deletes sample PIP attributes matching a filter (all of the domain's without one). */
import type { AppDeps } from '../../app-deps';
import { expandCategory } from './pip-rows';

export async function deletePipAttributes(deps: Pick<AppDeps, 'repos' | 'pdps'>, domainId: string, filter: { category?: string; entity?: string; attribute?: string }) {
  const n = await deps.repos.pip.deleteMatching(domainId, {
    ...(filter.category !== undefined ? { category: expandCategory(filter.category) } : {}),
    ...(filter.entity !== undefined ? { entityId: filter.entity } : {}),
    ...(filter.attribute !== undefined ? { attributeId: filter.attribute } : {}),
  });
  deps.pdps.invalidate(domainId);
  return { deleted: n };
}
