/**
 * A function URN belongs to one provider (services/registry/function-urn-owner.ts): the write
 * that would make a udf service provide a URN checks, inside its own transaction and under a
 * lock on the URN, that no other provider's enabled udf service provides it. Two racing
 * registrations (concurrent PostgreSQL transactions, other replicas) thus queue: the first
 * commits, the second then sees it and is refused — exactly one wins.
 *
 * PostgreSQL: a transaction-scoped advisory lock keyed by the URN (no row exists to lock before
 * the first registration). SQLite: the file has one writer at a time; a transaction whose read
 * went stale fails as busy and is retried (withTransientRetry).
 */
import type { Tx } from '../../db/open-database';
import type { DatabaseProvider } from '../../db/database-url';
import type { UrnClaim } from '../ports';

export async function claimFunctionUrn(tx: Tx, provider: DatabaseProvider, claim: UrnClaim | undefined): Promise<void> {
  if (!claim) return;
  if (provider === 'postgresql') await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtextextended(${`safax:function-urn:${claim.functionUrn}`}, 0))) AS l`;
  const other = await tx.service.findFirst({
    where: { type: 'udf', functionUrn: claim.functionUrn, enabled: true, id: { not: claim.serviceId }, registeredById: { not: claim.providerId } },
    select: { id: true },
  });
  if (other) throw claim.taken();
}
