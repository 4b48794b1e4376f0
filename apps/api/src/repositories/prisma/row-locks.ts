/**
 * Row locks that serialise read-check-write sequences across connections and replicas.
 * PostgreSQL: `SELECT … FOR NO KEY UPDATE` inside the caller's transaction, so the next writer
 * waits for this one's commit and then reads what it committed (READ COMMITTED re-reads per
 * statement). NO KEY: rows that merely reference the locked one (decision-log entries, keys)
 * are not held up — their foreign-key checks take KEY SHARE, which this lock leaves free. SQLite: a no-op — the driver adapter runs one interactive transaction at a time
 * per process, and a file's writers are serialised by SQLite itself.
 *
 * Lock order, to keep deadlocks out: the domain first, then its owner (guest quotas).
 */
import type { Tx } from '../../db/open-database';
import type { DatabaseProvider } from '../../db/database-url';

export async function lockDomain(tx: Tx, provider: DatabaseProvider, domainId: string): Promise<void> {
  if (provider === 'postgresql') await tx.$queryRaw`SELECT "id" FROM "Domain" WHERE "id" = ${domainId} FOR NO KEY UPDATE`;
}

export async function lockPrincipal(tx: Tx, provider: DatabaseProvider, principalId: string): Promise<void> {
  if (provider === 'postgresql') await tx.$queryRaw`SELECT "id" FROM "Principal" WHERE "id" = ${principalId} FOR NO KEY UPDATE`;
}

const ATTEMPTS = 5;

/**
 * PostgreSQL deadlock or serialization failure (and Prisma's P2034 "write conflict"), or SQLite
 * busy (another process holds the file's write lock past busy_timeout, or a snapshot went stale).
 */
export function isTransientConflict(e: unknown): boolean {
  const text = e instanceof Error ? `${e.message} ${String((e as { code?: unknown }).code ?? '')}` : String(e);
  return /P2034|40P01|40001|deadlock detected|could not serialize|SQLITE_BUSY|database is locked/i.test(text);
}

/** Runs `op` again (a few times, with jitter) when it failed on a transient conflict. */
export async function withTransientRetry<T>(op: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (e) {
      if (attempt >= ATTEMPTS || !isTransientConflict(e)) throw e;
      await new Promise((r) => setTimeout(r, 10 * attempt + Math.floor(Math.random() * 20)));
    }
  }
}

/** Interactive transactions that may queue on a lock behind other writers (20 parallel writers wait for each other). */
export const LOCKING_TX = { maxWait: 30_000, timeout: 30_000 } as const;
