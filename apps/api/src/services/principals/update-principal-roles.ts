/** Replaces a principal's roles; the last admin cannot lose the admin role. */
import type { AppDeps } from '../../app-deps';
import { conflict, notFound } from '../../errors/api-error';
import type { Role } from '../../repositories/ports';
import { principalView } from '../views';

export async function updatePrincipalRoles(deps: Pick<AppDeps, 'repos'>, id: string, roles: readonly Role[]) {
  const current = await deps.repos.principals.findById(id);
  if (!current) throw notFound('principal');
  if (current.roles.includes('admin') && !roles.includes('admin') && (await deps.repos.principals.countWithRole('admin')) <= 1) {
    throw conflict('the last admin keeps the admin role');
  }
  const p = await deps.repos.principals.updateRoles(id, roles);
  if (!p) throw notFound('principal');
  return principalView(p);
}
