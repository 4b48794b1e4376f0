/** Loads what every PAP use case starts from: the domain's configuration and active set. */
import type { AppDeps } from '../../app-deps';
import { notFound } from '../../errors/api-error';
import type { PdpConfigRecord, PolicyVersionRecord } from '../../repositories/ports';

export async function loadDomainPolicies(deps: Pick<AppDeps, 'repos'>, domainId: string): Promise<{ config: PdpConfigRecord; active: PolicyVersionRecord[] }> {
  const [config, active] = await Promise.all([deps.repos.domains.getConfig(domainId), deps.repos.policies.activeSet(domainId)]);
  if (!config) throw notFound('domain');
  return { config, active };
}
