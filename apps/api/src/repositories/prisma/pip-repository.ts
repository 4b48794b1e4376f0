/** Sample PIP attributes per domain in Prisma. */
import type { Db } from '../../db/open-database';
import type { DatabaseProvider } from '../../db/database-url';
import { appendChange } from './change-events';
import type { PipAttributeRecord, PipRepository } from '../ports';

function parseValues(text: string): string[] {
  const v: unknown = JSON.parse(text);
  return Array.isArray(v) ? v.map(String) : [];
}

function toRecord(row: { category: string; entityId: string; attributeId: string; datatype: string; values: string }): PipAttributeRecord {
  return { category: row.category, entityId: row.entityId, attributeId: row.attributeId, datatype: row.datatype, values: parseValues(row.values) };
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
    upsertMany: (domainId, rows, replace) =>
      db.$transaction(async (tx) => {
        if (replace) await tx.pipAttribute.deleteMany({ where: { domainId } });
        for (const r of rows) {
          const key = { domainId, category: r.category, entityId: r.entityId, attributeId: r.attributeId };
          const data = { datatype: r.datatype, values: JSON.stringify(r.values) };
          await tx.pipAttribute.upsert({ where: { domainId_category_entityId_attributeId: key }, create: { ...key, ...data }, update: data });
        }
        await appendChange(tx, provider, domainId);
        return rows.length;
      }),
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
