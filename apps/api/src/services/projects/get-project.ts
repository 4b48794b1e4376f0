/** Reads one project. */
import type { AppDeps } from '../../app-deps';
import { notFound } from '../../errors/api-error';
import { principalNames } from '../principals/principal-names';
import { projectView } from '../views';

export async function getProject(deps: Pick<AppDeps, 'repos'>, id: string) {
  const p = await deps.repos.projects.findById(id);
  if (!p) throw notFound('project');
  const nameOf = await principalNames(deps, [p.ownerId]);
  return projectView(p, nameOf(p.ownerId));
}
