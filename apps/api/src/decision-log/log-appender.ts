/**
 * Where the decision log writer hands its batches: straight to the database driver, not
 * through Prisma (its interactive transaction and query compiler cost more than the write on a
 * path every decision takes). One appender per process; each batch joins its domains' hash
 * chains in one transaction.
 */
import type { Database } from '../db/open-database';
import { sqlitePath } from '../db/database-url';
import type { DecisionLogEntry } from '../repositories/ports';
import type { KeyedSeal } from './chain-hash';
import { PgLogAppender } from './pg-log-appender';
import { SqliteLogAppender } from './sqlite-log-appender';

export interface LogAppender {
  /**
   * Appends the entries to their domains' chains (positions and hashes from the chain head,
   * the head re-signed, periodic checkpoints where due) and resolves once committed. Entries
   * of a domain that no longer exists are skipped: their log went with the domain.
   */
  insertMany(entries: readonly DecisionLogEntry[]): Promise<void>;
  close(): Promise<void>;
}

export function openLogAppender(database: Pick<Database, 'provider' | 'url'>, seal: KeyedSeal): LogAppender {
  return database.provider === 'postgresql' ? new PgLogAppender(database.url, seal) : new SqliteLogAppender(sqlitePath(database.url), seal);
}

/** Entries grouped by domain, each group in arrival order (the order of its chain). */
export function byDomain<T extends { readonly domainId: string }>(entries: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const e of entries) {
    const g = groups.get(e.domainId);
    if (g) g.push(e);
    else groups.set(e.domainId, [e]);
  }
  return groups;
}
