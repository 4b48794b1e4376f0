/**
 * The SQLite decision log's write: one batch of row texts joins its domains' hash chains in one
 * IMMEDIATE transaction (the write lock is taken before the chain heads are read, so processes
 * sharing the file extend each chain one after the other).
 */
import type { Database } from 'better-sqlite3';
import { GENESIS, canonicalOf, chainHashOf, checkpointMessage, headMessage } from './chain-hash';
import type { LogSeal } from '../repositories/ports';

/** Dates as Prisma's SQLite adapter stores them (ISO 8601 with an explicit offset). */
const stored = (iso: string) => `${iso.slice(0, -1)}+00:00`;

const COLUMNS = ['txId', 'domainId', 'time', 'callerId', 'format', 'decision', 'statusCode', 'request', 'response', 'obligations', 'policies', 'calls', 'durationMs', 'trace', 'testedBy', 'subject', 'action', 'resource', 'seq', 'hash'];

/** Appends row texts (see rowText in chain-hash.ts), in arrival order; throws SQLITE_BUSY (having written nothing) while another connection holds the write lock. */
export type AppendRows = (rows: readonly string[]) => void;

export function prepareAppend(db: Database, seal: Pick<LogSeal, 'sign' | 'checkpointEvery'>): AppendRows {
  // The domain and its chain head in one statement (a head goes with its domain: cascade).
  const readHead = db.prepare('SELECT c."seq" AS "seq", c."hash" AS "hash" FROM "Domain" d LEFT JOIN "DecisionLogChain" c ON c."domainId" = d."id" WHERE d."id" = ?');
  const createHead = db.prepare('INSERT INTO "DecisionLogChain" ("domainId", "seq", "hash", "signature", "updatedAt") VALUES (?, 0, ?, \'\', ?)');
  const updateHead = db.prepare('UPDATE "DecisionLogChain" SET "seq" = ?, "hash" = ?, "signature" = ?, "updatedAt" = ? WHERE "domainId" = ?');
  const insertRow = db.prepare(`INSERT INTO "DecisionLog" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
  const insertCheckpoint = db.prepare('INSERT INTO "DecisionLogCheckpoint" ("domainId", "seq", "hash", "time", "kind", "signature") VALUES (?, ?, ?, ?, \'periodic\', ?)');

  const append = db.transaction((rows: readonly string[]) => {
    const groups = new Map<string, { row: string; cols: unknown[] }[]>();
    for (const row of rows) {
      const cols = JSON.parse(row) as unknown[];
      const domainId = cols[1] as string;
      const g = groups.get(domainId);
      if (g) g.push({ row, cols });
      else groups.set(domainId, [{ row, cols }]);
    }
    const now = new Date();
    const nowText = stored(now.toISOString());
    for (const [domainId, list] of groups) {
      const found = readHead.get(domainId) as { seq: number | null; hash: string | null } | undefined;
      // A domain deleted meanwhile took its log with it.
      if (found === undefined) continue;
      let head = found.seq === null || found.hash === null ? undefined : { seq: found.seq, hash: found.hash };
      if (!head) {
        createHead.run(domainId, GENESIS, nowText);
        head = { seq: 0, hash: GENESIS };
      }
      let { seq, hash } = head;
      for (const { row, cols } of list) {
        seq++;
        hash = chainHashOf(hash, canonicalOf(seq, row));
        cols[2] = stored(cols[2] as string);
        cols.push(seq, hash);
        insertRow.run(cols);
        if (seq % seal.checkpointEvery === 0) insertCheckpoint.run(domainId, seq, hash, nowText, seal.sign(checkpointMessage(domainId, seq, hash, 'periodic', now)));
      }
      updateHead.run(seq, hash, seal.sign(headMessage(domainId, seq, hash)), nowText, domainId);
    }
  });
  return (rows) => append.immediate(rows);
}
