/**
 * The SQLite decision log's writer thread (started by SqliteLogAppender). better-sqlite3 is
 * synchronous: on the main thread every commit's fsync (~3 ms here) and every wait for another
 * process's write lock would stop all requests. Here they stop only this thread. What a batch
 * writes is in sqlite-log-writes.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { hmacSeal } from './chain-hash';
import { prepareAppend } from './sqlite-log-writes';

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
  const append = prepareAppend(db, hmacSeal(Buffer.from(data.key), data.checkpointEvery));

  port.on('message', (m: AppendRequest | 'close') => {
    if (m === 'close') {
      db.close();
      port.close();
      return;
    }
    try {
      const rows = m.rows.split('\n');
      takeTurn(() => append(rows));
      port.postMessage({ id: m.id, ok: true } satisfies AppendReply);
    } catch (err) {
      port.postMessage({ id: m.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies AppendReply);
    }
  });
}

start(workerData as ThreadData);
