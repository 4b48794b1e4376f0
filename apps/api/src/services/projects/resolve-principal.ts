/**
 * Finds the principal an owner names (by id or, failing that, by name: owners know their
 * collaborators and controllers by name).
 *
 * Naming someone is no oracle for who exists: a principal that may not be given access
 * (a guest) answers exactly like a name nobody has, and on removal an unknown name answers
 * like a principal that holds no such access.
 */
import type { AppDeps } from '../../app-deps';
import { notFound } from '../../errors/api-error';
import type { PrincipalRecord } from '../../repositories/ports';

async function findPrincipal(deps: Pick<AppDeps, 'repos'>, idOrName: string): Promise<PrincipalRecord | null> {
  return (await deps.repos.principals.findById(idOrName)) ?? (await deps.repos.principals.findByName(idOrName));
}

/** A principal who may become a collaborator or domains controller; 404 `principal not found` otherwise. */
export async function resolveGrantee(deps: Pick<AppDeps, 'repos'>, idOrName: string): Promise<PrincipalRecord> {
  const p = await findPrincipal(deps, idOrName);
  // Guests never reach anyone else's data, nor anyone theirs.
  if (!p || p.roles.includes('guest')) throw notFound('principal');
  return p;
}

/** The principal whose access is withdrawn; `notFoundAs` names what is missing either way. */
export async function resolveHolder(deps: Pick<AppDeps, 'repos'>, idOrName: string, notFoundAs: string): Promise<PrincipalRecord> {
  const p = await findPrincipal(deps, idOrName);
  if (!p) throw notFound(notFoundAs);
  return p;
}

/** Any principal by id or name; 404 `principal not found` when none. */
export async function resolvePrincipal(deps: Pick<AppDeps, 'repos'>, idOrName: string): Promise<PrincipalRecord> {
  return resolveHolder(deps, idOrName, 'principal');
}
