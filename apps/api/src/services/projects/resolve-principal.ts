/** Finds a principal by id or, failing that, by name (owners know their collaborators by name). */
import type { AppDeps } from '../../app-deps';
import { notFound } from '../../errors/api-error';
import type { PrincipalRecord } from '../../repositories/ports';

export async function resolvePrincipal(deps: Pick<AppDeps, 'repos'>, idOrName: string): Promise<PrincipalRecord> {
  const p = (await deps.repos.principals.findById(idOrName)) ?? (await deps.repos.principals.findByName(idOrName));
  if (!p) throw notFound('principal');
  return p;
}
