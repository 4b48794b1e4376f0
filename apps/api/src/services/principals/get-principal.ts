/** Reads one principal. */
import type { AppDeps } from '../../app-deps';
import { notFound } from '../../errors/api-error';
import { principalView } from '../views';

export async function getPrincipal(deps: Pick<AppDeps, 'repos'>, id: string) {
  const p = await deps.repos.principals.findById(id);
  if (!p) throw notFound('principal');
  return principalView(p);
}
