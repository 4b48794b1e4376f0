/** Lists the projects the caller may see: admins all, others those they own or collaborate on. */
import { isAdmin } from '../../auth/actor';
import type { Actor } from '../../auth/actor';
import type { AppDeps } from '../../app-deps';
import { principalNames } from '../principals/principal-names';
import { projectView } from '../views';

export async function listProjects(deps: Pick<AppDeps, 'repos'>, actor: Actor) {
  const projects = await deps.repos.projects.list(isAdmin(actor) ? undefined : actor.id);
  const nameOf = await principalNames(deps, projects.map((p) => p.ownerId));
  return projects.map((p) => projectView(p, nameOf(p.ownerId)));
}
