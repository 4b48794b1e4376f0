/** Authorises a domains controller to call the domain's PDP (and register its Context Handler). */
import type { AppDeps } from '../../app-deps';
import { resolveGrantee } from '../projects/resolve-principal';
import { getDomain } from './get-domain';

export async function addController(deps: Pick<AppDeps, 'repos' | 'config' | 'pdps'>, domainId: string, principal: string) {
  const p = await resolveGrantee(deps, principal);
  await deps.repos.domains.addController(domainId, p.id);
  deps.pdps.invalidate(domainId);
  return getDomain(deps, domainId);
}
