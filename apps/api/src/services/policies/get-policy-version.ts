/** Fetches one stored version of a policy, or its latest (`version` = "latest"). */
import type { AppDeps } from '../../app-deps';
import { notFound } from '../../errors/api-error';
import { principalNames } from '../principals/principal-names';
import { loadDomainPolicies } from './domain-context';

export async function getPolicyVersion(deps: Pick<AppDeps, 'repos'>, domainId: string, policyId: string, version: string) {
  const { active } = await loadDomainPolicies(deps, domainId);
  const v = version === 'latest' ? await deps.repos.policies.findLatest(domainId, policyId) : await deps.repos.policies.findVersion(domainId, policyId, version);
  if (!v) throw notFound('policy version');
  return {
    policyId: v.policyId,
    version: v.version,
    kind: v.kind,
    active: active.some((a) => a.id === v.id),
    createdAt: v.createdAt.toISOString(),
    createdBy: v.createdBy,
    createdByName: (await principalNames(deps, [v.createdBy]))(v.createdBy),
    text: v.text,
  };
}
