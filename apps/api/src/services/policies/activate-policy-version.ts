/** Makes a stored version the active one of its policy (compiled first). */
import type { Actor } from '../../auth/actor';
import type { AppDeps } from '../../app-deps';
import { ApiError, notFound } from '../../errors/api-error';
import { XacmlError } from '@safax/xacml';
import { compileCandidate } from './compile-candidate';
import { deploymentView } from './deployment-view';
import { loadDomainPolicies } from './domain-context';
import { serialisedPapWrite } from './serialised-pap-write';

export function activatePolicyVersion(deps: Pick<AppDeps, 'repos' | 'pdps' | 'functionProviderFor' | 'config'>, actor: Actor, domainId: string, policyId: string, version: string) {
  return serialisedPapWrite(domainId, () => activate(deps, actor, domainId, policyId, version));
}

async function activate(deps: Pick<AppDeps, 'repos' | 'pdps' | 'functionProviderFor' | 'config'>, actor: Actor, domainId: string, policyId: string, version: string) {
  const { config, active, activeDeploymentId } = await loadDomainPolicies(deps, domainId);
  const v = version === 'latest' ? await deps.repos.policies.findLatest(domainId, policyId) : await deps.repos.policies.findVersion(domainId, policyId, version);
  if (!v) throw notFound('policy version');
  const next = [...active.filter((a) => a.policyId !== policyId), v];
  try {
    compileCandidate(deps, domainId, config, next);
  } catch (e) {
    if (e instanceof XacmlError) throw new ApiError('invalid-policy', e.message, e.issues);
    throw e;
  }
  const d = await deps.repos.policies.publish(domainId, { newVersions: [], activeVersionIds: next.map((n) => n.id), reason: 'activate', by: actor.id, expectedActiveDeploymentId: activeDeploymentId });
  deps.pdps.invalidate(domainId);
  return d ? deploymentView(d) : null;
}
