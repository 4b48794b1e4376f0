/** Projects and their collaborators in Prisma. */
import type { Db } from '../../db/open-database';
import type { DatabaseProvider } from '../../db/database-url';
import type { ProjectRecord, ProjectRepository } from '../ports';
import { appendChange } from './change-events';
import { mapPrismaErrors } from './prisma-errors';
import { enforceQuota } from './quota-check';
import { LOCKING_TX, withTransientRetry } from './row-locks';

const include = { collaborators: { select: { principalId: true, principal: { select: { name: true } } }, orderBy: { createdAt: 'asc' } } } as const;

function toRecord(row: { id: string; name: string; description: string; ownerId: string; createdAt: Date; collaborators: { principalId: string; principal: { name: string } }[] }): ProjectRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    ownerId: row.ownerId,
    createdAt: row.createdAt,
    collaboratorIds: row.collaborators.map((c) => c.principalId),
    collaborators: row.collaborators.map((c) => ({ id: c.principalId, name: c.principal.name })),
  };
}

export function prismaProjectRepository(db: Db, provider: DatabaseProvider): ProjectRepository {
  return {
    create: (p, quota) =>
      mapPrismaErrors(`project "${p.name}"`, async () => {
        if (!quota) return toRecord(await db.project.create({ data: p, include }));
        // Counted and inserted under the owner's lock: parallel creations of one guest queue here.
        const row = await withTransientRetry(() =>
          db.$transaction(async (tx) => {
            await enforceQuota(tx, provider, quota, 'projects', () => ({ adding: 1 }));
            return tx.project.create({ data: p, include });
          }, LOCKING_TX),
        );
        return toRecord(row);
      }),
    findById: async (id) => {
      const row = await db.project.findUnique({ where: { id }, include });
      return row ? toRecord(row) : null;
    },
    list: async (visibleTo) => {
      const where = visibleTo === undefined ? {} : { OR: [{ ownerId: visibleTo }, { collaborators: { some: { principalId: visibleTo } } }] };
      return (await db.project.findMany({ where, include, orderBy: { createdAt: 'asc' } })).map(toRecord);
    },
    update: (id, patch) => mapPrismaErrors('project', async () => toRecord(await db.project.update({ where: { id }, data: patch, include }))),
    delete: (id) =>
      mapPrismaErrors('project', () =>
        db.$transaction(async (tx) => {
          const domains = await tx.domain.findMany({ where: { projectId: id }, select: { id: true } });
          const ids = domains.map((d) => d.id);
          await tx.service.deleteMany({ where: { domainId: { in: ids } } });
          await tx.project.delete({ where: { id } });
          for (const d of ids) await appendChange(tx, provider, d);
          return ids;
        }),
      ),
    addCollaborator: (projectId, principalId) =>
      mapPrismaErrors('collaborator', async () => {
        await db.$transaction(async (tx) => {
          await tx.projectCollaborator.upsert({ where: { projectId_principalId: { projectId, principalId } }, create: { projectId, principalId }, update: {} });
          const domains = await tx.domain.findMany({ where: { projectId }, select: { id: true } });
          for (const d of domains) await appendChange(tx, provider, d.id);
        });
      }),
    removeCollaborator: (projectId, principalId) =>
      db.$transaction(async (tx) => {
        const n = await tx.projectCollaborator.deleteMany({ where: { projectId, principalId } });
        const domains = await tx.domain.findMany({ where: { projectId }, select: { id: true } });
        for (const d of domains) await appendChange(tx, provider, d.id);
        return n.count > 0;
      }),
  };
}
