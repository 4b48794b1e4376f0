/** Decision log entries in Prisma, written in batches by the log writer, hash-chained per domain. */
import type { Db, Tx } from '../../db/open-database';
import type { DatabaseProvider } from '../../db/database-url';
import { GENESIS, chainHash, checkpointMessage, headMessage, storedColumns } from '../../decision-log/chain-hash';
import { Prisma } from '../../generated/sqlite/client';
import type { DecisionLogEntry, DecisionLogFilter, DecisionLogRepository, DecisionTraceEntry, ExternalCall, StoredDecisionRow } from '../ports';
import { LOCKING_TX, withTransientRetry } from './row-locks';

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

/** Rows per INSERT: 20 parameters each stays far below SQLite's and PostgreSQL's limits. */
const INSERT_CHUNK = 200;

function storedRow(e: DecisionLogEntry, seq: number): StoredDecisionRow {
  return { ...storedColumns(e), seq };
}

/** Entries grouped by domain, each group in arrival order, domains sorted (a fixed lock order). */
function byDomain(entries: readonly DecisionLogEntry[]): [string, DecisionLogEntry[]][] {
  const groups = new Map<string, DecisionLogEntry[]>();
  for (const e of entries) {
    const g = groups.get(e.domainId);
    if (g) g.push(e);
    else groups.set(e.domainId, [e]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Locks a domain's chain head (created at GENESIS the first time) and reads it, in one
 * statement: the no-op DO UPDATE takes the row lock on PostgreSQL and RETURNING reads it.
 */
async function lockHead(tx: Tx, domainId: string, now: Date): Promise<{ seq: number; hash: string }> {
  const rows = await tx.$queryRaw<{ seq: number | bigint; hash: string }[]>`INSERT INTO "DecisionLogChain" ("domainId", "seq", "hash", "signature", "updatedAt") VALUES (${domainId}, 0, ${GENESIS}, '', ${now})
    ON CONFLICT ("domainId") DO UPDATE SET "seq" = "DecisionLogChain"."seq" RETURNING "seq", "hash"`;
  const head = rows[0];
  if (!head) throw new Error(`decision log of ${domainId}: no chain head`);
  return { seq: Number(head.seq), hash: head.hash };
}

async function insertRows(tx: Tx, rows: readonly (StoredDecisionRow & { hash: string })[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    // One multi-row INSERT per chunk: createMany costs ~0.2 ms of CPU per row, this a few µs.
    // Prisma.sql binds every value (placeholders per provider; dates in Prisma's own format).
    const values = rows
      .slice(i, i + INSERT_CHUNK)
      .map(
        (e) =>
          Prisma.sql`(${e.txId}, ${e.domainId}, ${e.time}, ${e.callerId}, ${e.format}, ${e.decision}, ${e.statusCode}, ${e.request}, ${e.response}, ${e.obligations}, ${e.policies}, ${e.calls}, ${e.durationMs}, ${e.trace}, ${e.testedBy}, ${e.subject}, ${e.action}, ${e.resource}, ${e.seq}, ${e.hash})`,
      );
    await tx.$executeRaw`INSERT INTO "DecisionLog" ("txId", "domainId", "time", "callerId", "format", "decision", "statusCode", "request", "response", "obligations", "policies", "calls", "durationMs", "trace", "testedBy", "subject", "action", "resource", "seq", "hash") VALUES ${Prisma.join(values)}`;
  }
}

export function prismaDecisionLogRepository(db: Db, provider: DatabaseProvider): DecisionLogRepository {
  return {
    // SQLite: through an interactive transaction, which the adapter runs one at a time — a bare
    // statement would run inside whatever transaction another caller has open on the connection.
    insertMany: (entries, seal) =>
      withTransientRetry(() =>
        db.$transaction(async (tx) => {
          const groups = byDomain(entries);
          const ids = groups.map(([id]) => id);
          if (ids.length === 0) return;
          // Entries of a domain deleted meanwhile go with it; KEY SHARE keeps the others' domains until commit.
          // Raw statements throughout: a durable commit is on every decision's path.
          const present =
            provider === 'postgresql'
              ? await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Domain" WHERE "id" IN (${Prisma.join(ids)}) FOR KEY SHARE`
              : await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Domain" WHERE "id" IN (${Prisma.join(ids)})`;
          const live = new Set(present.map((d) => d.id));
          const now = new Date();
          for (const [domainId, list] of groups) {
            if (!live.has(domainId)) continue;
            let { seq, hash } = await lockHead(tx, domainId, now);
            const rows: (StoredDecisionRow & { hash: string })[] = [];
            const checkpoints: { domainId: string; seq: number; hash: string; time: Date; kind: string; signature: string }[] = [];
            for (const e of list) {
              const row = storedRow(e, ++seq);
              hash = chainHash(hash, row);
              rows.push({ ...row, hash });
              if (seal && seq % seal.checkpointEvery === 0) checkpoints.push({ domainId, seq, hash, time: now, kind: 'periodic', signature: seal.sign(checkpointMessage(domainId, seq, hash, 'periodic', now)) });
            }
            await insertRows(tx, rows);
            await tx.$executeRaw`UPDATE "DecisionLogChain" SET "seq" = ${seq}, "hash" = ${hash}, "signature" = ${seal ? seal.sign(headMessage(domainId, seq, hash)) : ''}, "updatedAt" = ${now} WHERE "domainId" = ${domainId}`;
            if (checkpoints.length > 0) await tx.decisionLogCheckpoint.createMany({ data: checkpoints });
          }
        }, LOCKING_TX),
      ),
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
