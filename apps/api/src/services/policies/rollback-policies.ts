/**
 * Rolls the active set back to an earlier deployment (default: the one before the active
 * one). History stays linear: the rollback is itself a new deployment.
 */
import { XacmlError } from '@safax/xacml';
import type { Actor } from '../../auth/actor';
import type { AppDeps } from '../../app-deps';
import { ApiError, conflict, notFound } from '../../errors/api-error';
import { compileCandidate } from './compile-candidate';
import { deploymentView } from './deployment-view';
import { serialisedPapWrite } from './serialised-pap-write';

export function rollbackPolicies(deps: Pick<AppDeps, 'repos' | 'pdps' | 'functionProviderFor' | 'config'>, actor: Actor, domainId: string, toNumber?: number) {
  return serialisedPapWrite(domainId, () => rollback(deps, actor, domainId, toNumber));
}

async function rollback(deps: Pick<AppDeps, 'repos' | 'pdps' | 'functionProviderFor' | 'config'>, actor: Actor, domainId: string, toNumber?: number) {
  const config = await deps.repos.domains.getConfig(domainId);
  if (!config) throw notFound('domain');
  const all = await deps.repos.policies.listDeployments(domainId);
  const current = all.find((d) => d.active);
  let targetNumber = toNumber;
  if (targetNumber === undefined) {
    const before = all.filter((d) => current === undefined || d.number < current.number);
    if (before.length === 0) throw conflict('no earlier deployment to roll back to');
    targetNumber = Math.max(...before.map((d) => d.number));
  }
  const target = await deps.repos.policies.findDeployment(domainId, targetNumber);
  if (!target) throw notFound('deployment');
  if (target.active) throw conflict(`deployment ${target.number} is already active`);
  const versions = await Promise.all(target.policies.map((p) => deps.repos.policies.findVersion(domainId, p.policyId, p.version)));
  const docs = versions.filter((v): v is NonNullable<typeof v> => v !== null);
  try {
    compileCandidate(deps, domainId, config, docs);
  } catch (e) {
    if (e instanceof XacmlError) throw new ApiError('invalid-policy', `deployment ${target.number} does not compile with the current PDP configuration: ${e.message}`, e.issues);
    throw e;
  }
  const d = await deps.repos.policies.publish(domainId, { newVersions: [], activeVersionIds: target.versionIds, reason: 'rollback', by: actor.id, expectedActiveDeploymentId: current?.id ?? null });
  deps.pdps.invalidate(domainId);
  return d ? deploymentView(d) : null;
}
