/** Removes a collaborator from a project; returns the project and who was removed. */
import type { AppDeps } from '../../app-deps';
import { notFound } from '../../errors/api-error';
import { getProject } from './get-project';
import { resolveHolder } from './resolve-principal';

export async function removeCollaborator(deps: Pick<AppDeps, 'repos' | 'pdps'>, projectId: string, principal: string) {
  const p = await resolveHolder(deps, principal, 'collaborator');
  if (!(await deps.repos.projects.removeCollaborator(projectId, p.id))) throw notFound('collaborator');
  deps.pdps.invalidateAll();
  return { project: await getProject(deps, projectId), principal: { id: p.id, name: p.name } };
}
