/** Reads the change feed that replicas poll to invalidate their PDP caches. */
import type { Db } from '../../db/open-database';
import type { ChangeFeedRepository } from '../ports';

export function prismaChangeFeedRepository(db: Db): ChangeFeedRepository {
  return {
    latestSeq: async () => (await db.changeEvent.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } }))?.seq ?? 0,
    since: (seq) => db.changeEvent.findMany({ where: { seq: { gt: seq } }, orderBy: { seq: 'asc' }, select: { seq: true, domainId: true }, take: 1000 }),
    countFor: (domainId) => db.changeEvent.count({ where: { domainId } }),
    prune: async (olderThan) => void (await db.changeEvent.deleteMany({ where: { at: { lt: olderThan } } })),
  };
}
