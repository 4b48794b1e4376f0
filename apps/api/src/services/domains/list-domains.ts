/** Lists a project's domains. */
import type { AppDeps } from '../../app-deps';
import { domainView } from '../views';

export async function listDomains(deps: Pick<AppDeps, 'repos' | 'config'>, projectId: string) {
  return (await deps.repos.domains.listByProject(projectId)).map((d) => domainView(deps.config, d));
}
