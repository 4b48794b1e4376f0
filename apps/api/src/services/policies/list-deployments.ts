/** The history of active sets, newest first. */
import type { AppDeps } from '../../app-deps';
import { deploymentView } from './deployment-view';

export async function listDeployments(deps: Pick<AppDeps, 'repos'>, domainId: string) {
  return (await deps.repos.policies.listDeployments(domainId)).map(deploymentView);
}
