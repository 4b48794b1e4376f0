/** Context Handler registrations (domain × domains controller → service) in Prisma. */
import type { Db } from '../../db/open-database';
import type { ContextHandlerRepository } from '../ports';
import { mapPrismaErrors } from './prisma-errors';

export function prismaContextHandlerRepository(db: Db): ContextHandlerRepository {
  return {
    upsert: (r) =>
      mapPrismaErrors('context handler', () =>
        db.contextHandler.upsert({ where: { domainId_principalId: { domainId: r.domainId, principalId: r.principalId } }, create: r, update: { serviceId: r.serviceId } }),
      ),
    find: (domainId, principalId) => db.contextHandler.findUnique({ where: { domainId_principalId: { domainId, principalId } } }),
    list: (domainId) => db.contextHandler.findMany({ where: { domainId }, orderBy: { createdAt: 'asc' } }),
    delete: async (domainId, principalId) => (await db.contextHandler.deleteMany({ where: { domainId, principalId } })).count > 0,
  };
}
