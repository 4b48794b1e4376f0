/** Loads what every PAP use case starts from: the domain's configuration and active set. */
import type { AppDeps } from '../../app-deps';
import { notFound } from '../../errors/api-error';
import type { PdpConfigRecord, PolicyVersionRecord } from '../../repositories/ports';

export async function loadDomainPolicies(deps: Pick<AppDeps, 'repos'>, domainId: string): Promise<{ config: PdpConfigRecord; active: PolicyVersionRecord[]; activeDeploymentId: string | null }> {
  const [config, snapshot] = await Promise.all([deps.repos.domains.getConfig(domainId), deps.repos.policies.activeSnapshot(domainId)]);
  if (!config) throw notFound('domain');
  return { config, active: snapshot.versions, activeDeploymentId: snapshot.deploymentId };
}
