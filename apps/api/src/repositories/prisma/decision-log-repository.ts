/** Decision log entries in Prisma (written in batches by the write-behind logger). */
import type { Db } from '../../db/open-database';
import type { DatabaseProvider } from '../../db/database-url';
import { Prisma } from '../../generated/sqlite/client';
import type { DecisionLogEntry, DecisionLogFilter, DecisionLogRepository, DecisionTraceEntry, ExternalCall } from '../ports';

interface Row {
  txId: string;
  domainId: string;
  time: Date;
  callerId: string | null;
  format: string;
  decision: string;
  statusCode: string;
  request: string | null;
  response: string | null;
  obligations: string;
  policies: string;
  calls: string;
  durationMs: number;
  trace: string | null;
  testedBy: string | null;
  subject: string | null;
  action: string | null;
  resource: string | null;
}

function list(text: string): string[] {
  const v: unknown = JSON.parse(text);
  return Array.isArray(v) ? v.map(String) : [];
}

function calls(text: string): ExternalCall[] {
  const v: unknown = JSON.parse(text);
  return Array.isArray(v) ? (v as ExternalCall[]) : [];
}

function trace(text: string | null): DecisionTraceEntry[] | null {
  if (text === null) return null;
  const v: unknown = JSON.parse(text);
  return Array.isArray(v) ? (v as DecisionTraceEntry[]) : null;
}

function toEntry(r: Row): DecisionLogEntry {
  return { ...r, obligations: list(r.obligations), policies: list(r.policies), calls: calls(r.calls), trace: trace(r.trace) };
}

/** Columns the log's text search looks in. */
const SEARCHED = ['subject', 'action', 'resource', 'txId'] as const;

/**
 * Text search needs what Prisma's `contains` lacks: it does not escape LIKE's % and _, and is
 * case-sensitive on PostgreSQL. So a search first selects the page's transaction ids with a
 * plain substring test (strpos/instr on lower-cased text, no pattern), then reads those rows.
 */
async function searchTxIds(db: Db, provider: DatabaseProvider, domainId: string, f: DecisionLogFilter & { text: string }, page: { limit: number; cursor?: { time: Date; txId: string } }): Promise<string[]> {
  const contains = (column: string) =>
    provider === 'postgresql' ? Prisma.sql`strpos(lower(coalesce(${Prisma.raw(`"${column}"`)}, '')), lower(${f.text})) > 0` : Prisma.sql`instr(lower(coalesce(${Prisma.raw(`"${column}"`)}, '')), lower(${f.text})) > 0`;
  const where = [Prisma.sql`"domainId" = ${domainId}`, Prisma.sql`(${Prisma.join(SEARCHED.map(contains), ' OR ')})`];
  if (f.decision !== undefined) where.push(Prisma.sql`"decision" = ${f.decision}`);
  if (f.txId !== undefined) where.push(Prisma.sql`"txId" = ${f.txId}`);
  if (f.callerId !== undefined) where.push(Prisma.sql`"callerId" = ${f.callerId}`);
  if (f.from) where.push(Prisma.sql`"time" >= ${f.from}`);
  if (f.to) where.push(Prisma.sql`"time" <= ${f.to}`);
  if (page.cursor) where.push(Prisma.sql`("time" < ${page.cursor.time} OR ("time" = ${page.cursor.time} AND "txId" < ${page.cursor.txId}))`);
  const rows = await db.$queryRaw<{ txId: string }[]>`SELECT "txId" FROM "DecisionLog" WHERE ${Prisma.join(where, ' AND ')} ORDER BY "time" DESC, "txId" DESC LIMIT ${page.limit}`;
  return rows.map((r) => r.txId);
}

/** Rows per INSERT: 18 parameters each stays far below SQLite's and PostgreSQL's limits. */
const INSERT_CHUNK = 200;

export function prismaDecisionLogRepository(db: Db, provider: DatabaseProvider): DecisionLogRepository {
  return {
    // One multi-row INSERT per chunk: createMany costs ~0.2 ms of CPU per row, this a few µs,
    // and the log writer shares the event loop with decisions. Prisma.sql binds every value
    // (placeholders per provider; the stored date format is the one Prisma itself writes).
    insertMany: async (entries) => {
      for (let i = 0; i < entries.length; i += INSERT_CHUNK) {
        const rows = entries.slice(i, i + INSERT_CHUNK).map(
          (e) =>
            Prisma.sql`(${e.txId}, ${e.domainId}, ${e.time}, ${e.callerId}, ${e.format}, ${e.decision}, ${e.statusCode}, ${e.request}, ${e.response}, ${JSON.stringify(e.obligations)}, ${JSON.stringify(e.policies)}, ${JSON.stringify(e.calls)}, ${e.durationMs}, ${e.trace ? JSON.stringify(e.trace) : null}, ${e.testedBy ?? null}, ${e.subject ?? null}, ${e.action ?? null}, ${e.resource ?? null})`,
        );
        await db.$executeRaw`INSERT INTO "DecisionLog" ("txId", "domainId", "time", "callerId", "format", "decision", "statusCode", "request", "response", "obligations", "policies", "calls", "durationMs", "trace", "testedBy", "subject", "action", "resource") VALUES ${Prisma.join(rows)}`;
      }
    },
    query: async (domainId, f, page) => {
      if (f.text !== undefined) {
        const ids = await searchTxIds(db, provider, domainId, { ...f, text: f.text }, page);
        if (ids.length === 0) return [];
        const rows = await db.decisionLog.findMany({ where: { domainId, txId: { in: ids } }, orderBy: [{ time: 'desc' }, { txId: 'desc' }] });
        return rows.map(toEntry);
      }
      const timeFilter = { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) };
      const rows = await db.decisionLog.findMany({
        where: {
          domainId,
          ...(f.decision !== undefined ? { decision: f.decision } : {}),
          ...(f.txId !== undefined ? { txId: f.txId } : {}),
          ...(f.callerId !== undefined ? { callerId: f.callerId } : {}),
          ...(f.from || f.to ? { time: timeFilter } : {}),
          ...(page.cursor
            ? { OR: [{ time: { lt: page.cursor.time } }, { time: page.cursor.time, txId: { lt: page.cursor.txId } }] }
            : {}),
        },
        orderBy: [{ time: 'desc' }, { txId: 'desc' }],
        take: page.limit,
      });
      return rows.map(toEntry);
    },
    find: async (domainId, txId) => {
      const row = await db.decisionLog.findFirst({ where: { domainId, txId } });
      return row ? toEntry(row) : null;
    },
  };
}
