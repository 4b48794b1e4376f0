/** Principals and their API keys (hashes only) in Prisma. */
import type { Db } from '../../db/open-database';
import type { DatabaseProvider } from '../../db/database-url';
import { appendChange } from './change-events';
import { ALL_ROLES } from '../ports';
import type { ApiKeyRecord, NewApiKey, PrincipalRecord, PrincipalRepository, Role } from '../ports';
import { mapPrismaErrors } from './prisma-errors';

/** How precisely an API key's lastUsedAt is kept. */
const KEY_USE_RESOLUTION_MS = 60_000;

interface PrincipalRow {
  id: string;
  name: string;
  roles: string;
  createdAt: Date;
  expiresAt: Date | null;
}

export function parseRoles(text: string): Role[] {
  return text.split(' ').filter((r): r is Role => (ALL_ROLES as readonly string[]).includes(r));
}

function toRecord(row: PrincipalRow): PrincipalRecord {
  return { id: row.id, name: row.name, roles: parseRoles(row.roles), createdAt: row.createdAt, ...(row.expiresAt !== null ? { expiresAt: row.expiresAt } : {}) };
}

function keyRecord(row: { id: string; principalId: string; prefix: string; label: string; createdAt: Date; lastUsedAt: Date | null }): ApiKeyRecord {
  return { id: row.id, principalId: row.principalId, prefix: row.prefix, label: row.label, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt };
}

export function prismaPrincipalRepository(db: Db, provider: DatabaseProvider): PrincipalRepository {
  return {
    create: (p, key) =>
      mapPrismaErrors(`principal "${p.name}"`, async () =>
        toRecord(
          await db.principal.create({
            data: { id: p.id, name: p.name, roles: [...new Set(p.roles)].join(' '), apiKeys: { create: [{ id: key.id, prefix: key.prefix, hash: key.hash, label: key.label }] } },
          }),
        ),
      ),
    findById: async (id) => {
      const row = await db.principal.findUnique({ where: { id } });
      return row ? toRecord(row) : null;
    },
    findByName: async (name) => {
      const row = await db.principal.findUnique({ where: { name } });
      return row ? toRecord(row) : null;
    },
    findByKeyHash: async (hash) => {
      const key = await db.apiKey.findUnique({ where: { hash }, include: { principal: true } });
      // An expired guest's keys stop working at once (the row goes at the next purge).
      if (!key || (key.principal.expiresAt !== null && key.principal.expiresAt.getTime() <= Date.now())) return null;
      // Usage to the minute: one small write per key and minute at most, not one per call.
      const now = new Date();
      if (key.lastUsedAt === null || now.getTime() - key.lastUsedAt.getTime() >= KEY_USE_RESOLUTION_MS) {
        await db.apiKey.updateMany({ where: { id: key.id }, data: { lastUsedAt: now } });
      }
      return toRecord(key.principal);
    },
    list: async () => (await db.principal.findMany({ orderBy: { name: 'asc' } })).map(toRecord),
    updateRoles: async (id, roles) => {
      const n = await db.principal.updateMany({ where: { id }, data: { roles: [...new Set(roles)].join(' ') } });
      if (n.count === 0) return null;
      const row = await db.principal.findUnique({ where: { id } });
      return row ? toRecord(row) : null;
    },
    // One transaction: the services it registered go with it; its projects, domains, PDP
    // services, keys and memberships cascade; every domain it touched is announced as changed.
    delete: (id) =>
      db.$transaction(async (tx) => {
        const touched = await tx.domain.findMany({
          where: { OR: [{ project: { ownerId: id } }, { project: { collaborators: { some: { principalId: id } } } }, { controllers: { some: { principalId: id } } }] },
          select: { id: true },
        });
        await tx.service.deleteMany({ where: { registeredById: id, domainId: null } });
        const n = await tx.principal.deleteMany({ where: { id } });
        for (const d of touched) await appendChange(tx, provider, d.id);
        return n.count > 0;
      }),
    countWithRole: async (role) => {
      // roles is a space-separated list; pad so "admin" never matches a longer role name.
      const rows = await db.principal.findMany({ where: { roles: { contains: role } }, select: { roles: true } });
      return rows.filter((r) => parseRoles(r.roles).includes(role)).length;
    },
    addKey: (principalId, key) =>
      mapPrismaErrors('principal', async () => keyRecord(await db.apiKey.create({ data: { id: key.id, principalId, prefix: key.prefix, hash: key.hash, label: key.label } }))),
    listKeys: async (principalId) => (await db.apiKey.findMany({ where: { principalId }, orderBy: { createdAt: 'asc' } })).map(keyRecord),
    deleteKey: async (principalId, keyId) => (await db.apiKey.deleteMany({ where: { id: keyId, principalId } })).count > 0,
  } satisfies PrincipalRepository;
}

export type { NewApiKey };
