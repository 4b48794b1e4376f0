/** Withdraws a domains controller's authorisation; returns the domain and who was removed. */
import type { AppDeps } from '../../app-deps';
import { notFound } from '../../errors/api-error';
import { resolveHolder } from '../projects/resolve-principal';
import { getDomain } from './get-domain';

export async function removeController(deps: Pick<AppDeps, 'repos' | 'config' | 'pdps'>, domainId: string, principal: string) {
  const p = await resolveHolder(deps, principal, 'domains controller');
  const removed = await deps.repos.domains.removeController(domainId, p.id);
  deps.pdps.invalidate(domainId);
  if (!removed) throw notFound('domains controller');
  return { domain: await getDomain(deps, domainId), principal: { id: p.id, name: p.name } };
}
