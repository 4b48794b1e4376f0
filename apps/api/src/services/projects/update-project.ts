/** Renames or re-describes a project. */
import type { AppDeps } from '../../app-deps';
import { projectView } from '../views';

export async function updateProject(deps: Pick<AppDeps, 'repos'>, id: string, patch: { name?: string; description?: string }) {
  return projectView(await deps.repos.projects.update(id, patch));
}
