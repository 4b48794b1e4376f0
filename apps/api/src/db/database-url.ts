/**
 * Which database a DATABASE_URL names, shared by prisma.config.ts and the api: `postgres://` or
 * `postgresql://` → PostgreSQL; `file:` (or nothing: the embedded default) → SQLite.
 */
import { resolve } from 'node:path';

export type DatabaseProvider = 'sqlite' | 'postgresql';

/** The embedded default: a SQLite file under ./data, relative to the working directory. */
export const DEFAULT_DATABASE_URL = 'file:./data/safax.db';

export function providerOf(url: string): DatabaseProvider {
  return /^postgres(ql)?:\/\//i.test(url) ? 'postgresql' : 'sqlite';
}

/** SQLite URLs with a relative path are made absolute so every tool opens the same file. */
export function normaliseDatabaseUrl(url: string | undefined, cwd: string = process.cwd()): string {
  const u = url && url.trim() !== '' ? url.trim() : DEFAULT_DATABASE_URL;
  if (providerOf(u) === 'postgresql') return u;
  const path = u.replace(/^file:/, '');
  return `file:${resolve(cwd, path)}`;
}

/** Filesystem path of a SQLite URL. */
export function sqlitePath(url: string): string {
  return url.replace(/^file:/, '');
}
