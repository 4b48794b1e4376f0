/** Decision log entries in Prisma (written in batches by the write-behind logger). */
import type { Db } from '../../db/open-database';
import type { DatabaseProvider } from '../../db/database-url';
import { Prisma } from '../../generated/sqlite/client';
import type { DecisionLogEntry, DecisionLogRepository, DecisionTraceEntry, ExternalCall } from '../ports';

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

/**
 * Case-insensitive "contains": SQLite's LIKE already ignores ASCII case; PostgreSQL needs
 * Prisma's insensitive mode (which the SQLite client's types do not know of).
 */
function textSearch(provider: DatabaseProvider): (text: string) => { contains: string } {
  return provider === 'postgresql' ? (text) => ({ contains: text, mode: 'insensitive' }) as { contains: string } : (text) => ({ contains: text });
}

/** Rows per INSERT: 18 parameters each stays far below SQLite's and PostgreSQL's limits. */
const INSERT_CHUNK = 200;

export function prismaDecisionLogRepository(db: Db, provider: DatabaseProvider): DecisionLogRepository {
  const search = textSearch(provider);
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
      const timeFilter = { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) };
      const rows = await db.decisionLog.findMany({
        where: {
          domainId,
          ...(f.decision !== undefined ? { decision: f.decision } : {}),
          ...(f.txId !== undefined ? { txId: f.txId } : {}),
          ...(f.callerId !== undefined ? { callerId: f.callerId } : {}),
          ...(f.from || f.to ? { time: timeFilter } : {}),
          AND: [
            ...(f.text !== undefined ? [{ OR: [{ subject: search(f.text) }, { action: search(f.text) }, { resource: search(f.text) }, { txId: search(f.text) }] }] : []),
            ...(page.cursor ? [{ OR: [{ time: { lt: page.cursor.time } }, { time: page.cursor.time, txId: { lt: page.cursor.txId } }] }] : []),
          ],
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
