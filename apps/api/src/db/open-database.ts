/**
 * Opens the database DATABASE_URL names through Prisma's JS driver adapters. Both generated
 * clients come from the same data model, so the PostgreSQL client is used through the SQLite
 * client's type (`Db`): their model APIs are identical by construction (prisma/render-schemas.ts).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from '../generated/sqlite/client';
import { PrismaClient as PgClient } from '../generated/postgresql/client';
import { normaliseDatabaseUrl, providerOf, sqlitePath } from './database-url';
import type { DatabaseProvider } from './database-url';

export type Db = SqliteClient;
/** The client handed to `$transaction(async (tx) => ...)` callbacks. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export interface Database {
  readonly prisma: Db;
  readonly provider: DatabaseProvider;
  readonly url: string;
  close(): Promise<void>;
}

export function openDatabase(rawUrl: string | undefined): Database {
  const url = normaliseDatabaseUrl(rawUrl);
  const provider = providerOf(url);
  let prisma: Db;
  if (provider === 'postgresql') {
    // Same generated model API (see module comment); only the query compiler differs.
    prisma = new PgClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) }) as unknown as Db;
  } else {
    mkdirSync(dirname(sqlitePath(url)), { recursive: true });
    prisma = new SqliteClient({ adapter: new PrismaBetterSQLite3({ url }) });
  }
  return { prisma, provider, url, close: () => prisma.$disconnect() };
}
