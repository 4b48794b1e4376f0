/** Takes a policy out of the active set (compiled first: others may reference it); versions stay for rollback. */
import { XacmlError } from '@safax/xacml';
import type { Actor } from '../../auth/actor';
import type { AppDeps } from '../../app-deps';
import { ApiError, notFound } from '../../errors/api-error';
import { compileCandidate } from './compile-candidate';
import { deploymentView } from './deployment-view';
import { loadDomainPolicies } from './domain-context';
import { serialisedPapWrite } from './serialised-pap-write';

export function removePolicy(deps: Pick<AppDeps, 'repos' | 'pdps' | 'functionProviderFor' | 'config'>, actor: Actor, domainId: string, policyId: string) {
  return serialisedPapWrite(domainId, () => remove(deps, actor, domainId, policyId));
}

async function remove(deps: Pick<AppDeps, 'repos' | 'pdps' | 'functionProviderFor' | 'config'>, actor: Actor, domainId: string, policyId: string) {
  const { config, active, activeDeploymentId } = await loadDomainPolicies(deps, domainId);
  if (!active.some((a) => a.policyId === policyId)) throw notFound('active policy');
  const next = active.filter((a) => a.policyId !== policyId);
  try {
    compileCandidate(deps, domainId, config, next);
  } catch (e) {
    if (e instanceof XacmlError) throw new ApiError('invalid-policy', `removing ${policyId} leaves an invalid active set: ${e.message}`, e.issues);
    throw e;
  }
  const d = await deps.repos.policies.publish(domainId, { newVersions: [], activeVersionIds: next.map((n) => n.id), reason: 'delete', by: actor.id, expectedActiveDeploymentId: activeDeploymentId });
  deps.pdps.invalidate(domainId);
  return d ? deploymentView(d) : null;
}
