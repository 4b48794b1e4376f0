/** Sample PIP attributes per domain in Prisma. */
import type { Db, Tx } from '../../db/open-database';
import { Prisma } from '../../generated/sqlite/client';
import type { DatabaseProvider } from '../../db/database-url';
import { appendChange } from './change-events';
import { enforceQuota } from './quota-check';
import { LOCKING_TX, withTransientRetry } from './row-locks';
import type { PipAttributeRecord, PipRepository } from '../ports';

function parseValues(text: string): string[] {
  const v: unknown = JSON.parse(text);
  return Array.isArray(v) ? v.map(String) : [];
}

function toRecord(row: { category: string; entityId: string; attributeId: string; datatype: string; values: string }): PipAttributeRecord {
  return { category: row.category, entityId: row.entityId, attributeId: row.attributeId, datatype: row.datatype, values: parseValues(row.values) };
}

/** Rows per multi-row upsert: 6 parameters each stays well below SQLite's and PostgreSQL's limits. */
const UPSERT_CHUNK = 1000;

const keyOf = (r: { category: string; entityId: string; attributeId: string }): string => `${r.category}\u0000${r.entityId}\u0000${r.attributeId}`;

/** One row per key, the last one given winning (what upserting them in order would leave). */
function lastPerKey(rows: readonly PipAttributeRecord[]): PipAttributeRecord[] {
  const byKey = new Map<string, PipAttributeRecord>();
  for (const r of rows) {
    const k = keyOf(r);
    byKey.delete(k);
    byKey.set(k, r);
  }
  return [...byKey.values()];
}

/** One multi-row `INSERT … ON CONFLICT DO UPDATE` (both databases speak it). */
async function upsertChunk(tx: Tx, domainId: string, chunk: readonly PipAttributeRecord[]): Promise<void> {
  if (chunk.length === 0) return;
  const values = chunk.map((r) => Prisma.sql`(${domainId}, ${r.category}, ${r.entityId}, ${r.attributeId}, ${r.datatype}, ${JSON.stringify(r.values)})`);
  await tx.$executeRaw`INSERT INTO "PipAttribute" ("domainId", "category", "entityId", "attributeId", "datatype", "values") VALUES ${Prisma.join(values)}
    ON CONFLICT ("domainId", "category", "entityId", "attributeId") DO UPDATE SET "datatype" = excluded."datatype", "values" = excluded."values"`;
}

/** PIP data is cached with the domain's PDP, so every change appends a change event. */
export function prismaPipRepository(db: Db, provider: DatabaseProvider): PipRepository {
  return {
    list: async (domainId, f) =>
      (
        await db.pipAttribute.findMany({
          where: { domainId, ...(f.category !== undefined ? { category: f.category } : {}), ...(f.entityId !== undefined ? { entityId: f.entityId } : {}) },
          orderBy: [{ category: 'asc' }, { entityId: 'asc' }, { attributeId: 'asc' }],
        })
      ).map(toRecord),
    upsertMany: async (domainId, rows, replace, quota) => {
      const unique = lastPerKey(rows);
      const chunks: PipAttributeRecord[][] = [];
      for (let i = 0; i < unique.length; i += UPSERT_CHUNK) chunks.push(unique.slice(i, i + UPSERT_CHUNK));
      if (quota || provider === 'postgresql') {
        // PostgreSQL locks rows, not the database: one transaction keeps the upload atomic
        // without holding up other tenants. A guest's quota is counted under the owner's lock.
        await withTransientRetry(() =>
          db.$transaction(async (tx) => {
            await enforceQuota(tx, provider, quota, 'pipAttributes', async () => {
              const existing = await tx.pipAttribute.findMany({ where: { domainId }, select: { category: true, entityId: true, attributeId: true } });
              if (replace) return { adding: unique.length, releasing: existing.length };
              const have = new Set(existing.map(keyOf));
              return { adding: unique.filter((r) => !have.has(keyOf(r))).length };
            });
            if (replace) await tx.pipAttribute.deleteMany({ where: { domainId } });
            for (const chunk of chunks) await upsertChunk(tx, domainId, chunk);
            await appendChange(tx, provider, domainId);
          }, LOCKING_TX),
        );
        return rows.length;
      }
      // SQLite has one writer per file (and the adapter one transaction per process): a short
      // transaction per chunk, then a turn of the event loop, so decision-log commits and other
      // tenants' writes interleave. The PDP reloads the data only after the last chunk's change event.
      if (chunks.length === 0 && replace) chunks.push([]);
      for (const [i, chunk] of chunks.entries()) {
        await withTransientRetry(() =>
          db.$transaction(async (tx) => {
            if (i === 0 && replace) await tx.pipAttribute.deleteMany({ where: { domainId } });
            await upsertChunk(tx, domainId, chunk);
            if (i === chunks.length - 1) await appendChange(tx, provider, domainId);
          }, LOCKING_TX),
        );
        if (i < chunks.length - 1) await new Promise((r) => setImmediate(r));
      }
      if (chunks.length === 0) await db.$transaction((tx) => appendChange(tx, provider, domainId));
      return rows.length;
    },
    deleteMatching: (domainId, f) =>
      db.$transaction(async (tx) => {
        const n = await tx.pipAttribute.deleteMany({
          where: {
            domainId,
            ...(f.category !== undefined ? { category: f.category } : {}),
            ...(f.entityId !== undefined ? { entityId: f.entityId } : {}),
            ...(f.attributeId !== undefined ? { attributeId: f.attributeId } : {}),
          },
        });
        await appendChange(tx, provider, domainId);
        return n.count;
      }),
    listAll: async (domainId) => (await db.pipAttribute.findMany({ where: { domainId } })).map(toRecord),
    lookup: async (domainId, category, entityId, attributeId, datatype) => {
      const row = await db.pipAttribute.findUnique({ where: { domainId_category_entityId_attributeId: { domainId, category, entityId, attributeId } } });
      return row && row.datatype === datatype ? parseValues(row.values) : [];
    },
  };
}
