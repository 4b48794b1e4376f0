/** Deletes a principal (its keys, projects and memberships go with it); never the last admin. */
import type { AppDeps } from '../../app-deps';
import { conflict, notFound } from '../../errors/api-error';

export async function deletePrincipal(deps: Pick<AppDeps, 'repos' | 'pdps'>, id: string): Promise<void> {
  const current = await deps.repos.principals.findById(id);
  if (!current) throw notFound('principal');
  if (current.roles.includes('admin') && (await deps.repos.principals.countWithRole('admin')) <= 1) throw conflict('the last admin cannot be deleted');
  await deps.repos.principals.delete(id);
  // Projects, domains and memberships cascade away; cached PDPs may refer to them.
  deps.pdps.invalidateAll();
}
