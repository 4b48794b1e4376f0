/** Guest principals in Prisma: created with their key and expiry, counted, purged when expired. */
import type { Db } from '../../db/open-database';
import type { DatabaseProvider } from '../../db/database-url';
import type { GuestRepository } from '../ports';
import { appendChange } from './change-events';
import { mapPrismaErrors } from './prisma-errors';

export const GUEST_ROLE_TEXT = 'guest';

export function prismaGuestRepository(db: Db, provider: DatabaseProvider): GuestRepository {
  return {
    create: (p, key, expiresAt) =>
      mapPrismaErrors(`principal "${p.name}"`, async () => {
        const row = await db.principal.create({
          data: { id: p.id, name: p.name, roles: GUEST_ROLE_TEXT, expiresAt, apiKeys: { create: [{ id: key.id, prefix: key.prefix, hash: key.hash, label: key.label }] } },
        });
        return { id: row.id, name: row.name, roles: ['guest'], createdAt: row.createdAt, expiresAt };
      }),
    countActive: (now) => db.principal.count({ where: { roles: GUEST_ROLE_TEXT, expiresAt: { gt: now } } }),
    // One transaction: the expired guests go with their projects, domains, PDP services and logs
    // (cascades); every domain they held is announced so other replicas drop its cached PDP.
    deleteExpired: (now) =>
      db.$transaction(async (tx) => {
        const expired = await tx.principal.findMany({ where: { expiresAt: { lte: now } }, select: { id: true } });
        if (expired.length === 0) return [];
        const ids = expired.map((e) => e.id);
        const domains = await tx.domain.findMany({ where: { project: { ownerId: { in: ids } } }, select: { id: true } });
        await tx.service.deleteMany({ where: { OR: [{ domainId: { in: domains.map((d) => d.id) } }, { registeredById: { in: ids } }] } });
        await tx.principal.deleteMany({ where: { id: { in: ids } } });
        for (const d of domains) await appendChange(tx, provider, d.id);
        return ids;
      }),
    usage: async (principalId) => {
      const inDomains = { domain: { project: { ownerId: principalId } } };
      const [projects, domains, policyVersions, pipAttributes] = await Promise.all([
        db.project.count({ where: { ownerId: principalId } }),
        db.domain.count({ where: { project: { ownerId: principalId } } }),
        db.policyVersion.count({ where: inDomains }),
        db.pipAttribute.count({ where: inDomains }),
      ]);
      return { projects, domains, policyVersions, pipAttributes };
    },
  };
}
