/**
 * The PAP's gate: compiles the active set a change would produce, with the domain's PDP
 * configuration, before anything is stored. An invalid set throws XacmlError (→ 400
 * invalid-policy naming the error). In compatibility mode, returns the leniencies the set
 * needed (the upload reports them as warnings).
 */
import { compilePdp, type CompatibilityWarning } from '@safax/xacml';
import type { AppDeps } from '../../app-deps';
import { pdpOptions, policyLimits, policySources } from '../../pdp/pdp-registry';
import type { PdpConfigRecord } from '../../repositories/ports';

export interface CandidateDoc {
  readonly policyId: string;
  readonly version: string;
  readonly text: string;
}

export function compileCandidate(
  deps: Pick<AppDeps, 'functionProviderFor' | 'config'>,
  domainId: string,
  config: Pick<PdpConfigRecord, 'rootCombiningAlgorithm' | 'rootPolicyIds' | 'returnPolicyIdList' | 'xpath' | 'compatibilityMode'> & Partial<Pick<PdpConfigRecord, 'trustedServices'>>,
  docs: readonly CandidateDoc[],
): readonly CompatibilityWarning[] {
  if (docs.length === 0) return [];
  const functionProvider = deps.functionProviderFor?.(domainId, config.trustedServices);
  return compilePdp(policySources(docs), pdpOptions(config, { limits: policyLimits(deps.config), ...(functionProvider ? { functionProvider } : {}) })).warnings;
}
