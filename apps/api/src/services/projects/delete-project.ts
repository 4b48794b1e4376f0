/** Deletes a project with its domains, their PDPs, policies, logs and PDP services. */
import type { AppDeps } from '../../app-deps';

export async function deleteProject(deps: Pick<AppDeps, 'repos' | 'pdps'>, id: string): Promise<void> {
  const domainIds = await deps.repos.projects.delete(id);
  for (const d of domainIds) deps.pdps.invalidate(d);
}
