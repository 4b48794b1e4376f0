/**
 * First start: when no admin exists, create principal "admin" with the given key (e.g. from
 * SAFAX_ADMIN_API_KEY) or a fresh one, which the caller shows once.
 */
import type { AppDeps } from '../../app-deps';
import { ApiError } from '../../errors/api-error';
import { createPrincipal } from './create-principal';

export async function bootstrapAdmin(deps: Pick<AppDeps, 'repos'>, givenKey?: string): Promise<{ created: boolean; apiKey?: string }> {
  if ((await deps.repos.principals.countWithRole('admin')) > 0) return { created: false };
  const name = (await deps.repos.principals.findByName('admin')) ? `admin-${Date.now()}` : 'admin';
  try {
    const { apiKey } = await createPrincipal(deps, { name, roles: ['admin'] }, givenKey);
    return { created: true, apiKey };
  } catch (e) {
    // Another replica bootstrapped at the same moment: its admin stands.
    if (e instanceof ApiError && e.code === 'conflict') return { created: false };
    throw e;
  }
}
