/**
 * A fresh database per test file, for either provider: a temp SQLite file, or a new database
 * on the PostgreSQL at 127.0.0.1:5432 (SAFAX_TEST_PG_URL), dropped afterwards. The schema is
 * created from the committed migrations, exactly what `prisma migrate deploy` applies.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { DatabaseProvider } from '../../src/db/database-url';

export const PROVIDERS: readonly DatabaseProvider[] = ['sqlite', 'postgresql'];
export const PG_ADMIN_URL = process.env.SAFAX_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

export function migrationSql(provider: DatabaseProvider): string[] {
  const dir = join(REPO_ROOT, 'prisma', provider, 'migrations');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => readFileSync(join(dir, name, 'migration.sql'), 'utf8'));
}

export interface TestDatabase {
  readonly provider: DatabaseProvider;
  readonly url: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createTestDatabase(provider: DatabaseProvider, migrate = true): Promise<TestDatabase> {
  if (provider === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'safax-test-'));
    const file = join(dir, 'test.db');
    if (migrate) {
      const db = new Database(file);
      for (const sql of migrationSql('sqlite')) db.exec(sql);
      db.close();
    }
    return { provider, url: `file:${file}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `safax_t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(PG_ADMIN_URL, name);
  if (migrate) {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      for (const sql of migrationSql('postgresql')) await c.query(sql);
    } finally {
      await c.end();
    }
  }
  return {
    provider,
    url,
    drop: async () => {
      const a = new Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}
