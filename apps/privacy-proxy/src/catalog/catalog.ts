/**
 * What the proxy needs to know of the upstream catalog: system relation and built-in function
 * names (to resolve unqualified names as PostgreSQL does), the columns of a relation (to list
 * the columns a `*` reads), and relation names by OID (to tell which output column comes from
 * which table, from RowDescription). Read through the proxy's own service connection, cached
 * with a TTL and dropped when a statement through this proxy changes the catalog.
 */
import { LRUCache } from 'lru-cache';
import type { Pool } from 'pg';

export interface RelationInfo {
  readonly schema: string;
  readonly name: string;
  /** attnum → column name. */
  readonly columns: ReadonlyMap<number, string>;
}

export interface Catalog {
  /** False when the proxy has no catalog access (relay mode): callers over-approximate. */
  readonly available: boolean;
  isSystemRelation(name: string): boolean;
  isBuiltinFunction(name: string): boolean;
  columnsOf(schema: string, name: string): Promise<readonly string[] | undefined>;
  relationByOid(oid: number): Promise<RelationInfo | undefined>;
  invalidate(): void;
  close(): Promise<void>;
}

/**
 * Relay mode: no catalog (the upstream is the data-owning proxy, which has one). System names
 * follow PostgreSQL's reserved `pg_` prefix; unqualified functions are left to the owning
 * proxy, which tells built-in from user-defined ones.
 */
export function noCatalog(): Catalog {
  return {
    available: false,
    isSystemRelation: (name) => name.startsWith('pg_'),
    isBuiltinFunction: () => true,
    columnsOf: async () => undefined,
    relationByOid: async () => undefined,
    invalidate: () => undefined,
    close: async () => undefined,
  };
}

const TEMP_SCHEMA = /^pg_temp_\d+$/;

export async function createPgCatalog(pool: Pool, options: { ttlMs: number; maxEntries: number }): Promise<Catalog> {
  const [rels, funcs] = await Promise.all([
    pool.query<{ relname: string }>(`SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relnamespace = 'pg_catalog'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p', 'f')`),
    pool.query<{ proname: string }>(`SELECT DISTINCT p.proname FROM pg_catalog.pg_proc p WHERE p.pronamespace = 'pg_catalog'::regnamespace`),
  ]);
  const systemRelations = new Set(rels.rows.map((r) => r.relname));
  const builtinFunctions = new Set(funcs.rows.map((r) => r.proname));
  const byName = new LRUCache<string, { columns: readonly string[] | null }>({ max: options.maxEntries, ttl: options.ttlMs });
  const byOid = new LRUCache<number, { info: RelationInfo | null }>({ max: options.maxEntries, ttl: options.ttlMs });
  return {
    available: true,
    isSystemRelation: (name) => systemRelations.has(name),
    isBuiltinFunction: (name) => builtinFunctions.has(name),
    async columnsOf(schema, name) {
      const key = `${schema}\u0000${name}`;
      const hit = byName.get(key);
      if (hit !== undefined) return hit.columns ?? undefined;
      const r = await pool.query<{ attname: string }>(
        `SELECT a.attname FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
        [schema, name],
      );
      const columns = r.rows.length === 0 ? null : r.rows.map((x) => x.attname);
      byName.set(key, { columns });
      return columns ?? undefined;
    },
    async relationByOid(oid) {
      const hit = byOid.get(oid);
      if (hit !== undefined) return hit.info ?? undefined;
      const r = await pool.query<{ nspname: string; relname: string; attnum: number; attname: string }>(
        `SELECT n.nspname, c.relname, a.attnum, a.attname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped WHERE c.oid = $1`,
        [oid],
      );
      const first = r.rows[0];
      const info = first === undefined ? null : { schema: TEMP_SCHEMA.test(first.nspname) ? 'pg_temp' : first.nspname, name: first.relname, columns: new Map(r.rows.map((x) => [Number(x.attnum), x.attname])) };
      byOid.set(oid, { info });
      return info ?? undefined;
    },
    invalidate() {
      byName.clear();
      byOid.clear();
    },
    async close() {
      await pool.end();
    },
  };
}
