/**
 * Keeps API-key lookups off the decision path: `findByKeyHash` answers from memory for
 * `ttlMs`. Any write through this repository clears the cache at once; on another replica a
 * revoked key or changed role is honoured after at most `ttlMs`.
 */
import type { PrincipalRecord, PrincipalRepository } from './ports';

export function cachingPrincipalRepository(inner: PrincipalRepository, ttlMs: number, now: () => number = Date.now): PrincipalRepository {
  if (ttlMs <= 0) return inner;
  const byHash = new Map<string, { value: PrincipalRecord | null; expires: number }>();
  const MAX_ENTRIES = 10_000;
  const clearing =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } finally {
        byHash.clear();
      }
    };
  return {
    ...inner,
    findByKeyHash: async (hash) => {
      const hit = byHash.get(hash);
      if (hit && hit.expires > now()) return hit.value;
      const value = await inner.findByKeyHash(hash);
      if (byHash.size >= MAX_ENTRIES) byHash.clear();
      // A guest's entry never outlives the guest.
      const until = value?.expiresAt ? Math.min(now() + ttlMs, value.expiresAt.getTime()) : now() + ttlMs;
      byHash.set(hash, { value, expires: until });
      return value;
    },
    create: clearing(inner.create),
    updateRoles: clearing(inner.updateRoles),
    delete: clearing(inner.delete),
    addKey: clearing(inner.addKey),
    deleteKey: clearing(inner.deleteKey),
  };
}
