/** Reads one domain with its PDP-URL. */
import type { AppDeps } from '../../app-deps';
import { notFound } from '../../errors/api-error';
import type { DomainRecord } from '../../repositories/ports';
import { domainView } from '../views';

export async function findDomain(deps: Pick<AppDeps, 'repos'>, id: string): Promise<DomainRecord> {
  const d = await deps.repos.domains.findById(id);
  if (!d) throw notFound('domain');
  return d;
}

export async function getDomain(deps: Pick<AppDeps, 'repos' | 'config'>, id: string) {
  return domainView(deps.config, await findDomain(deps, id));
}
