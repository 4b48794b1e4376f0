/**
 * Names for principal ids the API returns (versions' authors, log callers, registrants,
 * owners): one lookup per distinct id. A deleted principal has no name (null).
 */
import type { AppDeps } from '../../app-deps';

export type NameOf = (id: string | null | undefined) => string | null;

export async function principalNames(deps: Pick<AppDeps, 'repos'>, ids: Iterable<string | null | undefined>): Promise<NameOf> {
  const distinct = [...new Set([...ids].filter((id): id is string => typeof id === 'string' && id !== ''))];
  const found = await Promise.all(distinct.map(async (id) => [id, (await deps.repos.principals.findById(id))?.name ?? null] as const));
  const names = new Map(found);
  return (id) => (id ? (names.get(id) ?? null) : null);
}
