/**
 * The SQLite decision log's writer thread (started by SqliteLogAppender). better-sqlite3 is
 * synchronous: on the main thread every commit's fsync (~3 ms here) and every wait for another
 * process's write lock would stop all requests. Here they stop only this thread.
 * Each batch is one IMMEDIATE transaction: the write lock is taken before the chain heads are
 * read, so cluster workers sharing the file extend each chain one after the other.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { GENESIS, canonicalOf, chainHashOf, checkpointMessage, headMessage, hmacSeal } from './chain-hash';

export interface ThreadData {
  readonly path: string;
  readonly key: Uint8Array;
  readonly checkpointEvery: number;
}
/** A batch: row texts (see rowText in chain-hash.ts), one per line, in arrival order. */
export interface AppendRequest {
  readonly id: number;
  readonly rows: string;
}
export type AppendReply = { readonly id: number; readonly ok: true } | { readonly id: number; readonly ok: false; readonly error: string };

/** Dates as Prisma's SQLite adapter stores them (ISO 8601 with an explicit offset). */
const stored = (iso: string) => `${iso.slice(0, -1)}+00:00`;

const COLUMNS = ['txId', 'domainId', 'time', 'callerId', 'format', 'decision', 'statusCode', 'request', 'response', 'obligations', 'policies', 'calls', 'durationMs', 'trace', 'testedBy', 'subject', 'action', 'resource', 'seq', 'hash'];

/** How long a batch waits for the write lock in all; its retries start 0.1 ms apart and back off to 1 ms. */
const LOCK_WAIT_MS = 5000;
const FIRST_RETRY_MS = 0.1;
const LAST_RETRY_MS = 1;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs a write transaction, retrying while another connection (another cluster worker's log
 * thread) holds the write lock. Blocking is this thread's job: it only writes the log. A
 * failed attempt has written nothing (the transaction rolled back), so retrying is safe.
 */
function takeTurn(write: () => void): void {
  const until = Date.now() + LOCK_WAIT_MS;
  for (let wait = FIRST_RETRY_MS; ; wait = Math.min(LAST_RETRY_MS, wait * 2)) {
    try {
      write();
      return;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() >= until) throw err;
      Atomics.wait(pause, 0, 0, wait);
    }
  }
}

function start(data: ThreadData): void {
  const port = parentPort;
  if (!port) throw new Error('sqlite-log-thread runs as a worker thread');
  // No busy timeout: SQLite's own waits for a lock held by another process's writer sleep 1,
  // then 2, then 5 ms..., far longer than the other writer's commit takes; takeTurn retries
  // on a finer step. synchronous stays FULL: a commit is on disk before the entry's decision
  // is answered.
  const db = new Database(data.path, { timeout: 0 });
  takeTurn(() => db.pragma('journal_mode = WAL'));
  const seal = hmacSeal(Buffer.from(data.key), data.checkpointEvery);
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

  port.on('message', (m: AppendRequest | 'close') => {
    if (m === 'close') {
      db.close();
      port.close();
      return;
    }
    try {
      const rows = m.rows.split('\n');
      takeTurn(() => append.immediate(rows));
      port.postMessage({ id: m.id, ok: true } satisfies AppendReply);
    } catch (err) {
      port.postMessage({ id: m.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies AppendReply);
    }
  });
}

start(workerData as ThreadData);
