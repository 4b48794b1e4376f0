/** Service Repository entries in Prisma. */
import type { Db } from '../../db/open-database';
import type { DatabaseProvider } from '../../db/database-url';
import type { ServiceRepository } from '../ports';
import { ALL_DOMAINS, appendChange } from './change-events';
import { claimFunctionUrn } from './function-urn-claim';
import { mapPrismaErrors } from './prisma-errors';
import { LOCKING_TX, withTransientRetry } from './row-locks';

/**
 * Services (UDFs, Context Handlers) are bound into compiled PDPs, so each change appends a
 * change event for every domain (ALL_DOMAINS) in the same transaction.
 */
export function prismaServiceRepository(db: Db, provider: DatabaseProvider): ServiceRepository {
  return {
    create: (row, claim) =>
      mapPrismaErrors(`service "${row.id}"`, () =>
        withTransientRetry(() =>
          db.$transaction(async (tx) => {
            await claimFunctionUrn(tx, provider, claim);
            const created = await tx.service.create({ data: row });
            await appendChange(tx, provider, ALL_DOMAINS);
            return created;
          }, LOCKING_TX),
        ),
      ),
    findById: (id) => db.service.findUnique({ where: { id } }),
    list: async (f) => {
      const rows = await db.service.findMany({
        where: {
          ...(f.type !== undefined ? { type: f.type } : {}),
          ...(f.functionUrn !== undefined ? { functionUrn: f.functionUrn } : {}),
          ...(f.providerId !== undefined ? { providerId: f.providerId } : {}),
          ...(f.enabled !== undefined ? { enabled: f.enabled } : {}),
        },
        orderBy: { id: 'asc' },
      });
      // Case-insensitive search done here: SQLite and PostgreSQL differ on `mode: insensitive`.
      const q = f.q?.toLowerCase();
      return q === undefined ? rows : rows.filter((r) => r.id.toLowerCase().includes(q) || r.description.toLowerCase().includes(q));
    },
    update: (id, patch, claim) =>
      mapPrismaErrors('service', () =>
        withTransientRetry(() =>
          db.$transaction(async (tx) => {
            await claimFunctionUrn(tx, provider, claim);
            const updated = await tx.service.update({ where: { id }, data: patch });
            await appendChange(tx, provider, ALL_DOMAINS);
            return updated;
          }, LOCKING_TX),
        ),
      ),
    delete: (id) =>
      mapPrismaErrors('service', () =>
        db.$transaction(async (tx) => {
          await tx.service.delete({ where: { id } });
          await appendChange(tx, provider, ALL_DOMAINS);
        }),
      ),
  };
}
