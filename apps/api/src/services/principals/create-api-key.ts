/** Issues another API key for a principal; the key is in the answer only. */
import { newApiKey } from '../../auth/api-keys';
import type { AppDeps } from '../../app-deps';

export async function createApiKey(deps: Pick<AppDeps, 'repos'>, principalId: string, label: string) {
  const { key, stored } = newApiKey(label);
  const rec = await deps.repos.principals.addKey(principalId, stored);
  return { id: rec.id, prefix: rec.prefix, label: rec.label, createdAt: rec.createdAt.toISOString(), apiKey: key };
}
