/** Authorises a domains controller to call the domain's PDP (and register its Context Handler). */
import type { AppDeps } from '../../app-deps';
import { conflict } from '../../errors/api-error';
import { resolvePrincipal } from '../projects/resolve-principal';
import { getDomain } from './get-domain';

export async function addController(deps: Pick<AppDeps, 'repos' | 'config' | 'pdps'>, domainId: string, principal: string) {
  const p = await resolvePrincipal(deps, principal);
  // Guests never reach anyone else's data, nor anyone theirs.
  if (p.roles.includes('guest')) throw conflict('a guest cannot be a domains controller');
  await deps.repos.domains.addController(domainId, p.id);
  deps.pdps.invalidate(domainId);
  return getDomain(deps, domainId);
}
