/** Lists a principal's API keys (prefix and label only). */
import type { AppDeps } from '../../app-deps';

export async function listApiKeys(deps: Pick<AppDeps, 'repos'>, principalId: string) {
  return (await deps.repos.principals.listKeys(principalId)).map((k) => ({
    id: k.id,
    prefix: k.prefix,
    label: k.label,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  }));
}
