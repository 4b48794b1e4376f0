/**
 * Prisma CLI configuration (run with `--config prisma/prisma.config.ts`): picks the rendered
 * schema and migrations of the provider DATABASE_URL names, and connects through the JS driver
 * adapters so no engine binary is ever downloaded (see docs/toolchain notes).
 */
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= '/bin/false';
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= '/bin/false';

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';
import { normaliseDatabaseUrl, providerOf, sqlitePath } from '../apps/api/src/db/database-url';

const url = normaliseDatabaseUrl(process.env.DATABASE_URL);
process.env.DATABASE_URL = url;
const provider = process.env.SAFAX_DB_PROVIDER === 'postgresql' || process.env.SAFAX_DB_PROVIDER === 'sqlite' ? process.env.SAFAX_DB_PROVIDER : providerOf(url);

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: join(__dirname, provider, 'schema.prisma'),
  migrations: { path: join(__dirname, provider, 'migrations') },
  adapter: async () => {
    // A short idle timeout lets the CLI exit as soon as it is done (the pool would otherwise linger ~10 s).
    if (provider === 'postgresql') return new PrismaPg({ connectionString: url, idleTimeoutMillis: 50 });
    mkdirSync(dirname(sqlitePath(url)), { recursive: true });
    return new PrismaBetterSQLite3({ url });
  },
});
