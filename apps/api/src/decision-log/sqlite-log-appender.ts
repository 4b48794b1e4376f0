/**
 * The SQLite decision log appender: batches go to a writer thread (sqlite-log-thread.ts) with
 * its own connection to the database file, so neither commits (fsync) nor waits for another
 * process's write lock ever block the event loop. Entries travel as row texts, built here
 * once per entry and sent as one text per batch: they are both what the thread binds and what
 * the chain hashes.
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DecisionLogEntry } from '../repositories/ports';
import { entryRowText } from './chain-hash';
import type { KeyedSeal } from './chain-hash';
import type { LogAppender } from './log-appender';
import type { AppendReply, AppendRequest, ThreadData } from './sqlite-log-thread';

interface Pending {
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * The thread's module: compiled JavaScript next to this one, or when run from source (tsx,
 * jest's transform) the TypeScript file loaded through tsx's require hook, registered in the
 * thread first (a worker does not inherit its parent's loaders).
 */
function threadEntry(): { code: string; eval: boolean } {
  const ext = extname(__filename);
  const file = join(__dirname, `sqlite-log-thread${ext}`);
  if (ext !== '.ts') return { code: file, eval: false };
  return { code: `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(file)});`, eval: true };
}

export class SqliteLogAppender implements LogAppender {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(
    private readonly path: string,
    private readonly seal: KeyedSeal,
  ) {}

  insertMany(entries: readonly DecisionLogEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    // One string per batch (row texts hold no raw newline: JSON escapes them): copied, not cloned field by field.
    const rows = entries.map(entryRowText).join('\n');
    const id = this.nextId++;
    const worker = this.thread();
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Held while a batch is out: a shutdown's last flush must not let the process exit first.
      worker.ref();
      worker.postMessage({ id, rows } satisfies AppendRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    const exited = new Promise<void>((r) => worker.once('exit', () => r()));
    worker.postMessage('close');
    await exited;
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const entry = threadEntry();
    const data: ThreadData = { path: this.path, key: new Uint8Array(this.seal.key), checkpointEvery: this.seal.checkpointEvery };
    const worker = new Worker(entry.code, { eval: entry.eval, workerData: data });
    worker.on('message', (m: AppendReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      if (m.ok) p.resolve();
      else p.reject(new Error(`decision log: ${m.error}`));
    });
    // The thread died (it should not): fail what it held; the next batch starts a new one.
    const fail = (err: unknown) => {
      if (this.worker === worker) this.worker = null;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`decision log writer thread exited (${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }
}
