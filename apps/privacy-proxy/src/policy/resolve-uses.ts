/**
 * Names as PostgreSQL resolves them, under the search path the proxy pins on every upstream
 * session (`search_path` = one schema, which clients cannot change): an unqualified relation
 * is a temporary table this session created, else a system relation of pg_catalog, else a
 * relation of that schema. A name this session may have created as temporary is asked both
 * ways (pg_temp.x and schema.x), since a temporary table can vanish at commit unseen.
 * Unqualified functions are built-in when pg_catalog has one of that name; others belong to
 * the schema and are decided as resources of type `function`.
 */
import type { Catalog } from '../catalog/catalog';
import { functionCalls } from '../sql/analyze-statement';
import type { ObjectKind, ObjectName, StatementFacts, UseAction } from '../sql/analyze-statement';
import type { RelationNames } from '../protect/statement-protection';

export interface ResolvedUse {
  readonly kind: ObjectKind;
  /** `schema.name` (functions and relations), or the schema name. */
  readonly id: string;
  readonly action: UseAction;
  readonly columns: readonly string[];
  readonly releasedToClient: boolean;
}

export interface ResolveContext {
  readonly defaultSchema: string;
  readonly tempTables: ReadonlySet<string>;
  readonly catalog: Catalog;
  /** Relations anyone may read without a decision (schema-only system catalogs). */
  readonly publicRelations: ReadonlySet<string>;
}

export interface ResolvedStatement {
  /** Uses that need a decision. */
  readonly uses: readonly ResolvedUse[];
  readonly names: RelationNames;
  /** Only built-in functions and public relations: a SELECT of this kind needs no decision. */
  readonly needsNoDecision: boolean;
}

/** Written when every column is read but the proxy cannot list them (relay mode). */
export const ALL_COLUMNS = '*';

function relationIds(o: ObjectName, ctx: ResolveContext): string[] {
  if (o.schema !== undefined) return [`${o.schema}.${o.name}`];
  if (ctx.tempTables.has(o.name)) return [`pg_temp.${o.name}`, `${ctx.defaultSchema}.${o.name}`];
  if (ctx.catalog.isSystemRelation(o.name)) return [`pg_catalog.${o.name}`];
  return [`${ctx.defaultSchema}.${o.name}`];
}

export async function resolveStatement(facts: StatementFacts, ctx: ResolveContext): Promise<ResolvedStatement> {
  const out = new Map<string, { kind: ObjectKind; id: string; action: UseAction; columns: Set<string>; all: boolean; released: boolean }>();
  const add = (kind: ObjectKind, id: string, action: UseAction, columns: Iterable<string>, all: boolean, released: boolean) => {
    const key = `${kind}\u0000${id}\u0000${action}`;
    const e = out.get(key);
    if (e === undefined) out.set(key, { kind, id, action, columns: new Set(columns), all, released });
    else {
      for (const c of columns) e.columns.add(c);
      e.all ||= all;
      e.released ||= released;
    }
  };
  const aliasTargets = new Map<string, string[]>();
  for (const [alias, objects] of facts.aliases) aliasTargets.set(alias, objects.flatMap((o) => relationIds(o, ctx)));

  for (const u of facts.uses) {
    const ids = u.kind === 'relation' ? (u.temporary === true ? [`pg_temp.${u.object.name}`] : relationIds(u.object, ctx)) : u.kind === 'schema' ? [u.object.name] : [`${u.object.schema ?? ctx.defaultSchema}.${u.object.name}`];
    for (const id of ids) add(u.kind, id, u.action, u.columns, u.allColumns, u.releasedToClient);
  }
  for (const f of functionCalls(facts.tree)) {
    if (f.schema === 'pg_catalog') continue;
    if (f.schema === undefined && ctx.catalog.isBuiltinFunction(f.name)) continue;
    if (facts.uses.some((u) => u.kind === 'function' && u.action === 'ddl' && u.object.name === f.name)) continue;
    add('function', `${f.schema ?? ctx.defaultSchema}.${f.name}`, 'execute', [], false, false);
  }

  // Unqualified columns: to the relations that have them (catalog), else to every relation used.
  const relationEntries = [...out.values()].filter((e) => e.kind === 'relation' && e.action !== 'ddl' && e.action !== 'insert');
  const catalogColumns = new Map<string, readonly string[] | undefined>();
  for (const e of [...out.values()].filter((x) => x.kind === 'relation' && x.action !== 'ddl')) {
    if (catalogColumns.has(e.id)) continue;
    const [schema, ...rest] = e.id.split('.');
    catalogColumns.set(e.id, ctx.catalog.available && schema !== 'pg_temp' ? await ctx.catalog.columnsOf(schema as string, rest.join('.')) : undefined);
  }
  for (const name of facts.looseColumns) {
    const having = relationEntries.filter((e) => catalogColumns.get(e.id)?.includes(name) === true);
    for (const e of having.length > 0 ? having : relationEntries.filter((x) => catalogColumns.get(x.id) === undefined)) e.columns.add(name);
  }
  for (const e of out.values()) {
    if (!e.all) continue;
    const cols = catalogColumns.get(e.id);
    if (cols !== undefined) for (const c of cols) e.columns.add(c);
    else e.columns.add(ALL_COLUMNS);
  }

  const all = [...out.values()];
  const uses: ResolvedUse[] = all
    .filter((e) => !(e.kind === 'relation' && e.action === 'read' && ctx.publicRelations.has(e.id)))
    .map((e) => ({ kind: e.kind, id: e.id, action: e.action, columns: [...e.columns].sort(), releasedToClient: e.released }));
  const datasets = all.filter((e) => e.kind === 'relation').map((e) => e.id);
  return {
    uses,
    names: {
      datasets: [...new Set(datasets)],
      datasetsOf: (q) => aliasTargets.get(q) ?? [],
    },
    needsNoDecision: uses.length === 0,
  };
}
