/** The history of active sets, newest first. */
import type { AppDeps } from '../../app-deps';
import { principalNames } from '../principals/principal-names';
import { deploymentView } from './deployment-view';

export async function listDeployments(deps: Pick<AppDeps, 'repos'>, domainId: string) {
  const list = await deps.repos.policies.listDeployments(domainId);
  const nameOf = await principalNames(deps, list.map((d) => d.createdBy));
  return list.map((d) => ({ ...deploymentView(d), createdByName: nameOf(d.createdBy) }));
}
