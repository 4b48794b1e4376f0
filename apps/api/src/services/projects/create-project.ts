/** Creates a project owned by the caller. */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../auth/actor';
import type { AppDeps } from '../../app-deps';
import { assertGuestQuota } from '../guests/guest-quotas';
import { projectView } from '../views';

export async function createProject(deps: Pick<AppDeps, 'repos'>, actor: Actor, input: { name: string; description?: string }) {
  await assertGuestQuota(deps, actor.id, 'projects', 1);
  const p = await deps.repos.projects.create({ id: randomUUID(), name: input.name, description: input.description ?? '', ownerId: actor.id });
  return projectView(p, actor.name);
}
