/** Revokes one API key; a principal keeps at least one. */
import type { AppDeps } from '../../app-deps';
import { conflict, notFound } from '../../errors/api-error';

export async function deleteApiKey(deps: Pick<AppDeps, 'repos'>, principalId: string, keyId: string): Promise<void> {
  const keys = await deps.repos.principals.listKeys(principalId);
  if (!keys.some((k) => k.id === keyId)) throw notFound('API key');
  if (keys.length <= 1) throw conflict('a principal keeps at least one API key');
  await deps.repos.principals.deleteKey(principalId, keyId);
}
