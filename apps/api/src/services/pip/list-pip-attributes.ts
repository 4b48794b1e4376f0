/** Lists a domain's sample PIP attributes, optionally for one category or entity. */
import type { AppDeps } from '../../app-deps';
import { notFound } from '../../errors/api-error';
import { expandCategory } from './pip-rows';

export async function listPipAttributes(deps: Pick<AppDeps, 'repos'>, domainId: string, filter: { category?: string; entity?: string }) {
  if (!(await deps.repos.domains.findById(domainId))) throw notFound('domain');
  const rows = await deps.repos.pip.list(domainId, {
    ...(filter.category !== undefined ? { category: expandCategory(filter.category) } : {}),
    ...(filter.entity !== undefined ? { entityId: filter.entity } : {}),
  });
  return rows.map((r) => ({ category: r.category, entity: r.entityId, attribute: r.attributeId, datatype: r.datatype, values: [...r.values] }));
}
