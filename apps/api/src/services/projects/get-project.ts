/** Reads one project. */
import type { AppDeps } from '../../app-deps';
import { notFound } from '../../errors/api-error';
import { projectView } from '../views';

export async function getProject(deps: Pick<AppDeps, 'repos'>, id: string) {
  const p = await deps.repos.projects.findById(id);
  if (!p) throw notFound('project');
  return projectView(p);
}
