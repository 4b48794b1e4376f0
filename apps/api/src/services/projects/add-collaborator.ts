/** Lets another principal manage the project's domains with the owner. */
import type { AppDeps } from '../../app-deps';
import { conflict } from '../../errors/api-error';
import { getProject } from './get-project';
import { resolveGrantee } from './resolve-principal';

export async function addCollaborator(deps: Pick<AppDeps, 'repos' | 'pdps'>, projectId: string, principal: string) {
  const p = await resolveGrantee(deps, principal);
  const project = await getProject(deps, projectId);
  if (project.ownerId === p.id) throw conflict('the owner is not a collaborator of its own project');
  await deps.repos.projects.addCollaborator(projectId, p.id);
  deps.pdps.invalidateAll();
  return getProject(deps, projectId);
}
