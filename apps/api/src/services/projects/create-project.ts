/** Creates a project owned by the caller. */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../auth/actor';
import type { AppDeps } from '../../app-deps';
import { assertGuestQuota, guestQuotaLimit } from '../guests/guest-quotas';
import { projectView } from '../views';

export async function createProject(deps: Pick<AppDeps, 'repos'>, actor: Actor, input: { name: string; description?: string }) {
  // Answers early; only the repository's check, inside the insert's transaction, holds under parallel requests.
  await assertGuestQuota(deps, actor.id, 'projects', 1);
  const p = await deps.repos.projects.create({ id: randomUUID(), name: input.name, description: input.description ?? '', ownerId: actor.id }, await guestQuotaLimit(deps, actor.id, 'projects'));
  return projectView(p, actor.name);
}
