/** The dataset rights in force in a domain: those of the managed policy's active version. */
import { MANAGED_RIGHTS_POLICY_ID } from '@safax/contracts';
import type { AppDeps } from '../../app-deps';
import { loadDomainPolicies } from '../policies/domain-context';
import { readActiveRights } from './read-active-rights';
import { filterRights, rightsWarnings } from './rights-view';
import type { RightsFilter, RightsView } from './rights-view';

export async function listRights(deps: Pick<AppDeps, 'repos'>, domainId: string, filter: RightsFilter = {}): Promise<RightsView> {
  const { config, active } = await loadDomainPolicies(deps, domainId);
  const { version, rights } = readActiveRights(active);
  return { policyId: MANAGED_RIGHTS_POLICY_ID, version, items: filterRights(rights, filter), warnings: rightsWarnings(config) };
}
