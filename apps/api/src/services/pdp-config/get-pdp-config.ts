/** Reads a domain's PDP configuration with its PDP-URL. */
import type { AppDeps } from '../../app-deps';
import { notFound } from '../../errors/api-error';
import { findDomain } from '../domains/get-domain';
import { pdpConfigView } from '../views';

export async function getPdpConfig(deps: Pick<AppDeps, 'repos' | 'config'>, domainId: string) {
  const d = await findDomain(deps, domainId);
  const c = await deps.repos.domains.getConfig(domainId);
  if (!c) throw notFound('PDP configuration');
  return pdpConfigView(deps.config, d, c);
}
