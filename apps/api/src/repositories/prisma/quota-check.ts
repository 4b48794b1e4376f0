/**
 * Guest quotas checked inside the write's transaction (see QuotaLimit): lock the owner, count
 * what it holds now, refuse when the write would pass the limit.
 */
import type { Tx } from '../../db/open-database';
import type { DatabaseProvider } from '../../db/database-url';
import type { GuestUsage, QuotaLimit } from '../ports';
import { lockPrincipal } from './row-locks';

type Counted = keyof GuestUsage;

function count(tx: Tx, what: Counted, ownerId: string): Promise<number> {
  if (what === 'projects') return tx.project.count({ where: { ownerId } });
  const owned = { project: { ownerId } };
  if (what === 'domains') return tx.domain.count({ where: owned });
  if (what === 'policyVersions') return tx.policyVersion.count({ where: { domain: owned } });
  return tx.pipAttribute.count({ where: { domain: owned } });
}

/**
 * Locks the owner and throws `quota.exceeded(used)` when `used - releasing + adding` would pass
 * the limit. `adding`/`releasing` may be computed from the locked state (PIP upserts).
 */
export async function enforceQuota(tx: Tx, provider: DatabaseProvider, quota: QuotaLimit | undefined, what: Counted, change: () => Promise<{ adding: number; releasing?: number }> | { adding: number; releasing?: number }): Promise<void> {
  if (!quota) return;
  await lockPrincipal(tx, provider, quota.ownerId);
  const used = await count(tx, what, quota.ownerId);
  const { adding, releasing = 0 } = await change();
  if (used - releasing + adding > quota.limit) throw quota.exceeded(used);
}
