/**
 * Grant and revoke: one new version of the managed rights policy, computed from the version in
 * force while the domain is locked (so concurrent changes on any replica all land), compiled
 * with the domain's other active policies and PDP configuration, stored and activated in one
 * transaction. Nothing to change (a grant already held, a revocation of nothing) stores nothing.
 */
import { randomUUID } from 'node:crypto';
import { MANAGED_RIGHTS_POLICY_ID } from '@safax/contracts';
import type { DatasetRight, RightsConditions, RightsSubject } from '@safax/contracts';
import { XacmlError } from '@safax/xacml';
import type { Actor } from '../../auth/actor';
import type { AppDeps } from '../../app-deps';
import { ApiError } from '../../errors/api-error';
import { assertDomainGuestQuota } from '../guests/guest-quotas';
import { compileCandidate } from '../policies/compile-candidate';
import { deploymentView } from '../policies/deployment-view';
import { loadDomainPolicies } from '../policies/domain-context';
import { applyGrant, applyRevoke, generateManagedPolicy } from './managed-policy';
import type { RightsChange } from './managed-policy';
import { readActiveRights } from './read-active-rights';
import { rightsWarnings } from './rights-view';

type Deps = Pick<AppDeps, 'repos' | 'pdps' | 'functionProviderFor' | 'config'>;

/** The next integer version after the highest stored one ("1" first). */
export function nextManagedVersion(latest: string | null): string {
  if (latest === null) return '1';
  const head = Number.parseInt(latest.split('.')[0] ?? '0', 10);
  return String((Number.isFinite(head) ? head : 0) + 1);
}

async function changeRights(deps: Deps, actor: Actor, domainId: string, compute: (current: DatasetRight[]) => RightsChange) {
  await loadDomainPolicies(deps, domainId); // 404 for an unknown domain before anything else
  await assertDomainGuestQuota(deps, domainId, 'policyVersions', 1);
  let result: DatasetRight[] = [];
  let inForce: string | null = null;
  let warnings: string[] = [];
  const stored = await deps.repos.managedPolicies.change(domainId, MANAGED_RIGHTS_POLICY_ID, actor.id, (state) => {
    const current = readActiveRights(state.active);
    const next = compute(current.rights);
    result = next.rights;
    inForce = current.version;
    warnings = rightsWarnings(state.config);
    if (!next.changed) return null;
    const version = nextManagedVersion(state.latestVersion);
    const text = generateManagedPolicy(next.rights, version);
    const candidate = [...state.active.filter((v) => v.policyId !== MANAGED_RIGHTS_POLICY_ID), { policyId: MANAGED_RIGHTS_POLICY_ID, version, text }];
    try {
      compileCandidate(deps, domainId, state.config, candidate);
    } catch (e) {
      if (e instanceof XacmlError) throw new ApiError('invalid-policy', `the rights would not compile with the domain's active policies: ${e.message}`, e.issues);
      throw e;
    }
    return { id: randomUUID(), policyId: MANAGED_RIGHTS_POLICY_ID, version, kind: 'Policy', text };
  });
  if (stored) deps.pdps.invalidate(domainId);
  return {
    changed: stored !== null,
    policyId: MANAGED_RIGHTS_POLICY_ID,
    version: stored ? stored.version.version : inForce,
    deployment: stored ? deploymentView(stored.deployment) : null,
    items: result,
    warnings,
  };
}

export function grantRights(deps: Deps, actor: Actor, domainId: string, grant: DatasetRight) {
  return changeRights(deps, actor, domainId, (current) => applyGrant(current, grant));
}

export function revokeRights(deps: Deps, actor: Actor, domainId: string, revoke: { subject: RightsSubject; dataset: string; actions?: DatasetRight['actions'] | undefined; conditions?: RightsConditions | undefined }) {
  return changeRights(deps, actor, domainId, (current) => applyRevoke(current, revoke));
}
