/**
 * Changes a domain's PDP configuration. The active policies are compiled with the new
 * configuration first (a root id that does not exist, an unknown algorithm → 400); then it is
 * stored and the PDP re-initialised.
 */
import { COMBINING_ALGORITHMS, XacmlError } from '@safax/xacml';
import type { AppDeps } from '../../app-deps';
import { ApiError } from '../../errors/api-error';
import type { PdpConfigInput } from '../../repositories/ports';
import { compileCandidate } from '../policies/compile-candidate';
import { loadDomainPolicies } from '../policies/domain-context';
import { getPdpConfig } from './get-pdp-config';

/** A pin names an enabled udf service that provides the URN it is pinned for. */
async function checkTrustedServices(deps: Pick<AppDeps, 'repos'>, pins: Readonly<Record<string, string>>): Promise<void> {
  for (const [urn, serviceId] of Object.entries(pins)) {
    const s = await deps.repos.services.findById(serviceId);
    if (!s || s.type !== 'udf' || s.functionUrn !== urn) {
      throw new ApiError('bad-request', `trustedServices: service ${serviceId} is not a udf service providing ${urn}`, { functionUrn: urn, serviceId });
    }
    if (!s.enabled) throw new ApiError('bad-request', `trustedServices: service ${serviceId} (for ${urn}) is disabled`, { functionUrn: urn, serviceId });
  }
}

export async function updatePdpConfig(deps: Pick<AppDeps, 'repos' | 'config' | 'pdps' | 'functionProviderFor'>, domainId: string, patch: Partial<PdpConfigInput>) {
  const { config, active } = await loadDomainPolicies(deps, domainId);
  const next: PdpConfigInput = {
    rootCombiningAlgorithm: patch.rootCombiningAlgorithm ?? config.rootCombiningAlgorithm,
    rootPolicyIds: patch.rootPolicyIds ?? config.rootPolicyIds,
    returnPolicyIdList: patch.returnPolicyIdList ?? config.returnPolicyIdList,
    xpath: patch.xpath ?? config.xpath,
    compatibilityMode: patch.compatibilityMode ?? config.compatibilityMode,
    evaluationTimeoutMs: patch.evaluationTimeoutMs ?? config.evaluationTimeoutMs,
    logDetail: patch.logDetail ?? config.logDetail,
    logRetentionDays: patch.logRetentionDays !== undefined ? patch.logRetentionDays : config.logRetentionDays,
    trustedServices: patch.trustedServices ?? config.trustedServices,
  };
  if (!COMBINING_ALGORITHMS.policy.includes(next.rootCombiningAlgorithm)) {
    throw new ApiError('bad-request', `unknown policy-combining algorithm ${next.rootCombiningAlgorithm}`, { known: [...COMBINING_ALGORITHMS.policy] });
  }
  if (patch.trustedServices) await checkTrustedServices(deps, patch.trustedServices);
  const present = new Set(active.map((a) => a.policyId));
  const missing = next.rootPolicyIds.filter((id) => !present.has(id));
  if (missing.length > 0) throw new ApiError('bad-request', `root policies not in the active set: ${missing.join(', ')}`, { missing });
  try {
    compileCandidate(deps, domainId, next, active);
  } catch (e) {
    if (e instanceof XacmlError) throw new ApiError('invalid-policy', `the active policies do not compile with this configuration: ${e.message}`, e.issues);
    throw e;
  }
  await deps.repos.domains.updateConfig(domainId, next);
  deps.pdps.invalidate(domainId);
  return getPdpConfig(deps, domainId);
}
