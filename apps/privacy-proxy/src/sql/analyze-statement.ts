/**
 * What one parsed statement does, as the PEP needs it: its class (select / insert / update /
 * delete / ddl / other), the objects it touches with the action on each (relations, functions,
 * schemas), the columns it names, whether its rows go to the client, and reasons to refuse it
 * whatever the PDP says. Pure: names are not resolved here (see resolve-uses.ts).
 *
 * Over-approximation is the rule wherever SQL is ambiguous without the catalog: a qualified
 * column is attributed to every relation with that alias anywhere in the statement, CTE scopes
 * follow PostgreSQL exactly (a relation is never mistaken for a CTE), and anything not
 * understood is refused rather than guessed.
 */
import { fieldsOf, list, names, nodeOf, str, stringNode } from './ast';
import type { Fields } from './ast';

export type StatementClass = 'select' | 'insert' | 'update' | 'delete' | 'ddl' | 'other';
export type UseAction = 'read' | 'insert' | 'update' | 'delete' | 'ddl' | 'execute';
export type ObjectKind = 'relation' | 'function' | 'schema';

export interface ObjectName {
  readonly schema?: string;
  readonly name: string;
}

export interface ObjectUse {
  readonly kind: ObjectKind;
  readonly object: ObjectName;
  readonly action: UseAction;
  /** Columns named for this object (qualified references, INSERT/UPDATE column lists). */
  readonly columns: Set<string>;
  /** `*`, `t.*`, INSERT without a column list: every column. */
  allColumns: boolean;
  /** The rows read go to the client as a result set (top-level SELECT, or RETURNING of this target). */
  releasedToClient: boolean;
  /** A temporary relation created by this statement. */
  readonly temporary?: boolean;
}

/** Statements that need no decision when the configuration lists their kind as harmless. */
export const HARMLESS_KINDS = ['set', 'reset', 'show', 'transaction', 'select-constants', 'discard', 'deallocate', 'cursor', 'listen', 'notify', 'lock', 'checkpoint'] as const;
export type HarmlessKind = (typeof HARMLESS_KINDS)[number];

export interface ColumnRef {
  /** Alias or relation name (`p` in `p.ssn`, `public.patients` in `public.patients.ssn`), absent when unqualified. */
  readonly qualifier?: string;
  readonly name: string;
}

export interface StatementFacts {
  /** Node type, e.g. SelectStmt. */
  readonly nodeType: string;
  readonly statementClass: StatementClass;
  /** Set when the statement needs no decision if its kind is configured harmless. */
  readonly harmless?: HarmlessKind;
  readonly uses: ObjectUse[];
  /** Column references not attributed to a relation (unqualified, or qualified by an unknown alias). */
  readonly looseColumns: Set<string>;
  /** Alias or relation name → the relations it may denote (every scope). */
  readonly aliases: Map<string, ObjectName[]>;
  /** Result rows go to the client through RowDescription/DataRow. */
  readonly returnsRows: boolean;
  /** Why the statement is refused whatever the PDP says. */
  readonly refusal?: string;
  /** The statement node, for the protection checks that need the tree. */
  readonly tree: unknown;
  /** Top-level output expressions when known (SELECT target list, RETURNING list). */
  readonly outputs?: readonly unknown[];
  /** The top-level output is computed from derived tables or set operations (renaming the proxy cannot follow). */
  readonly derivedOutput: boolean;
  /** Changes the catalog: cached names and columns are dropped afterwards. */
  readonly changesCatalog: boolean;
  /** Temporary relations created / dropped, DISCARD of temporary objects. */
  readonly tempCreated: readonly string[];
  readonly tempDropped: readonly string[];
  readonly discardsTemp: boolean;
  /** SQL-level PREPARE (name + inner statement) and EXECUTE (name). */
  readonly sqlPrepare?: { readonly name: string; readonly inner: StatementFacts };
  readonly sqlExecute?: string;
  readonly sqlDeallocate?: string | 'all';
  /** SET name = value / RESET name (lower-case name; value undefined for RESET or a non-constant). */
  readonly setting?: { readonly name: string; readonly value?: string };
}

export interface AnalyzeOptions {
  /** Function names (lower case, unqualified) refused anywhere: they read files or run SQL text the proxy cannot see. */
  readonly deniedFunctions: ReadonlySet<string>;
  /** Settings a client may not change (lower case). */
  readonly protectedSettings: ReadonlySet<string>;
}

const SET_OPS_NONE = 'SETOP_NONE';

class Collector {
  readonly uses: ObjectUse[] = [];
  readonly looseColumns = new Set<string>();
  readonly refs: ColumnRef[] = [];
  readonly stars: (string | undefined)[] = [];
  readonly aliases = new Map<string, ObjectName[]>();
  refusal: string | undefined;
  nestedWrite = false;

  constructor(readonly options: AnalyzeOptions) {}

  refuse(reason: string): void {
    this.refusal ??= reason;
  }

  use(kind: ObjectKind, object: ObjectName, action: UseAction, extra: { columns?: Iterable<string>; all?: boolean; released?: boolean; temporary?: boolean } = {}): ObjectUse {
    const existing = this.uses.find((u) => u.kind === kind && u.action === action && u.object.name === object.name && u.object.schema === object.schema);
    if (existing !== undefined) {
      for (const c of extra.columns ?? []) existing.columns.add(c);
      if (extra.all === true) existing.allColumns = true;
      if (extra.released === true) existing.releasedToClient = true;
      return existing;
    }
    const u: ObjectUse = { kind, object, action, columns: new Set(extra.columns ?? []), allColumns: extra.all === true, releasedToClient: extra.released === true, ...(extra.temporary === true ? { temporary: true } : {}) };
    this.uses.push(u);
    return u;
  }

  alias(name: string, object: ObjectName): void {
    const known = this.aliases.get(name) ?? [];
    if (!known.some((o) => o.name === object.name && o.schema === object.schema)) known.push(object);
    this.aliases.set(name, known);
  }
}

/** RangeVar → object name (catalog name, relation). */
function rangeVarName(f: Fields): ObjectName {
  const schema = str(f.schemaname);
  const name = str(f.relname) ?? '';
  return schema !== undefined && schema !== '' ? { schema, name } : { name };
}

function qualifiedName(parts: readonly string[]): ObjectName | undefined {
  if (parts.length === 1) return { name: parts[0] as string };
  if (parts.length === 2) return { schema: parts[0] as string, name: parts[1] as string };
  if (parts.length === 3) return { schema: parts[1] as string, name: parts[2] as string }; // catalog.schema.name
  return undefined;
}

/**
 * Walks a query subtree collecting relations read, column references and function calls,
 * with PostgreSQL's CTE scoping. `skip` names fields of the root not to walk (DML targets).
 */
function collectQuery(c: Collector, value: unknown, scope: ReadonlySet<string>, released: boolean): void {
  if (Array.isArray(value)) {
    for (const v of value) collectQuery(c, v, scope, released);
    return;
  }
  const n = nodeOf(value);
  if (n === undefined) {
    if (value !== null && typeof value === 'object') for (const v of Object.values(value)) collectQuery(c, v, scope, released);
    return;
  }
  const { type, fields } = n;
  switch (type) {
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
      // A data-modifying statement inside a query (WITH d AS (DELETE ... RETURNING ...)).
      c.nestedWrite = true;
      collectDml(c, type, fields, scope, false);
      return;
    case 'RangeVar': {
      const name = rangeVarName(fields);
      if (name.schema === undefined && scope.has(name.name)) {
        const alias = str(fieldsOf(fields.alias, 'Alias')?.aliasname ?? (fields.alias as Fields | undefined)?.aliasname);
        if (alias !== undefined) c.aliases.set(alias, c.aliases.get(alias) ?? []);
        return;
      }
      c.use('relation', name, 'read', { released });
      registerAlias(c, fields, name);
      return;
    }
    case 'ColumnRef':
      columnRef(c, fields);
      return;
    case 'FuncCall':
      functionCall(c, fields);
      collectQuery(c, fields.args, scope, released);
      collectQuery(c, fields.agg_order, scope, released);
      collectQuery(c, fields.agg_filter, scope, released);
      collectQuery(c, fields.over, scope, released);
      return;
    default:
      break;
  }
  const withClause = fieldsOf(fields.withClause, 'WithClause') ?? (fields.withClause as Fields | undefined);
  let inner = scope;
  if (withClause !== undefined && typeof withClause === 'object') {
    const ctes = list(withClause.ctes).map((x) => fieldsOf(x, 'CommonTableExpr')).filter((x): x is Fields => x !== undefined);
    const recursive = withClause.recursive === true;
    const all = new Set(scope);
    for (const cte of ctes) all.add(str(cte.ctename) ?? '');
    const seen = new Set(scope);
    for (const cte of ctes) {
      // Non-recursive: a CTE sees the ones before it; recursive: all of them.
      collectQuery(c, cte.ctequery, recursive ? all : seen, released);
      seen.add(str(cte.ctename) ?? '');
    }
    inner = all;
  }
  for (const [key, v] of Object.entries(fields)) {
    if (key === 'withClause') continue;
    if (v !== null && typeof v === 'object') collectQuery(c, v, inner, released);
  }
}

function registerAlias(c: Collector, fields: Fields, name: ObjectName): void {
  const alias = fieldsOf(fields.alias, 'Alias') ?? (fields.alias as Fields | undefined);
  const aliasName = alias !== undefined ? str(alias.aliasname) : undefined;
  if (aliasName !== undefined) c.alias(aliasName, name);
  else {
    c.alias(name.name, name);
    if (name.schema !== undefined) c.alias(`${name.schema}.${name.name}`, name);
  }
}

function columnRef(c: Collector, fields: Fields): void {
  const parts = list(fields.fields);
  const last = parts[parts.length - 1];
  const qualifierParts = parts.slice(0, -1).map(stringNode);
  if (qualifierParts.some((p) => p === undefined)) return;
  const qualifier = qualifierParts.length === 0 ? undefined : (qualifierParts as string[]).join('.');
  if (fieldsOf(last, 'A_Star') !== undefined) {
    c.stars.push(qualifier);
    return;
  }
  const name = stringNode(last);
  if (name === undefined) return;
  c.refs.push(qualifier === undefined ? { name } : { qualifier, name });
}

function functionCall(c: Collector, fields: Fields): void {
  const parts = names(fields.funcname);
  if (parts === undefined || parts.length === 0) return;
  const object = qualifiedName(parts);
  if (object === undefined) return;
  if (c.options.deniedFunctions.has(object.name.toLowerCase())) c.refuse(`function ${object.name} is not allowed through the proxy`);
}

function collectDml(c: Collector, type: string, fields: Fields, scope: ReadonlySet<string>, topLevel: boolean): ObjectName | undefined {
  const withClause = (fields.withClause as Fields | undefined) ?? undefined;
  let inner = scope;
  if (withClause !== undefined) {
    // Reuse the query walker for the WITH list: it computes the scope the body sees.
    const ctes = list(withClause.ctes).map((x) => fieldsOf(x, 'CommonTableExpr')).filter((x): x is Fields => x !== undefined);
    const recursive = withClause.recursive === true;
    const all = new Set(scope);
    for (const cte of ctes) all.add(str(cte.ctename) ?? '');
    const seen = new Set(scope);
    for (const cte of ctes) {
      collectQuery(c, cte.ctequery, recursive ? all : seen, false);
      seen.add(str(cte.ctename) ?? '');
    }
    inner = all;
  }
  const relation = fieldsOf(fields.relation, 'RangeVar') ?? (fields.relation as Fields | undefined);
  if (relation === undefined) {
    c.refuse(`${type} without a target relation`);
    return undefined;
  }
  const target = rangeVarName(relation);
  registerAlias(c, relation, target);
  const returning = returningList(fields);
  switch (type) {
    case 'InsertStmt': {
      const cols = list(fields.cols).map((x) => str(fieldsOf(x, 'ResTarget')?.name)).filter((x): x is string => x !== undefined);
      c.use('relation', target, 'insert', { columns: cols, all: cols.length === 0 });
      collectQuery(c, fields.selectStmt, inner, false);
      const conflict = fieldsOf(fields.onConflictClause, 'OnConflictClause') ?? (fields.onConflictClause as Fields | undefined);
      if (conflict !== undefined && conflict.action === 'ONCONFLICT_UPDATE') {
        const setCols = list(conflict.targetList).map((x) => str(fieldsOf(x, 'ResTarget')?.name)).filter((x): x is string => x !== undefined);
        c.use('relation', target, 'update', { columns: setCols });
        collectQuery(c, conflict.targetList, inner, false);
        collectQuery(c, conflict.whereClause, inner, false);
      }
      break;
    }
    case 'UpdateStmt': {
      const setCols = list(fields.targetList).map((x) => str(fieldsOf(x, 'ResTarget')?.name)).filter((x): x is string => x !== undefined);
      c.use('relation', target, 'update', { columns: setCols });
      collectQuery(c, fields.targetList, inner, false);
      collectQuery(c, fields.fromClause, inner, false);
      collectQuery(c, fields.whereClause, inner, false);
      break;
    }
    case 'DeleteStmt':
      c.use('relation', target, 'delete');
      collectQuery(c, fields.usingClause, inner, false);
      collectQuery(c, fields.whereClause, inner, false);
      break;
    case 'MergeStmt': {
      for (const w of list(fields.mergeWhenClauses)) {
        const wf = fieldsOf(w, 'MergeWhenClause');
        const cmd = str(wf?.commandType);
        if (cmd === 'CMD_INSERT') c.use('relation', target, 'insert', { all: true });
        else if (cmd === 'CMD_UPDATE') c.use('relation', target, 'update', { all: true });
        else if (cmd === 'CMD_DELETE') c.use('relation', target, 'delete');
        collectQuery(c, wf?.targetList, inner, false);
        collectQuery(c, wf?.values, inner, false);
        collectQuery(c, wf?.condition, inner, false);
      }
      collectQuery(c, fields.sourceRelation, inner, false);
      collectQuery(c, fields.joinCondition, inner, false);
      break;
    }
    default:
      break;
  }
  if (returning.length > 0) {
    // RETURNING reads the target: a read use whose rows go to the client (when top level).
    c.use('relation', target, 'read', { released: topLevel });
    collectQuery(c, returning, inner, false);
  }
  return target;
}

function returningList(fields: Fields): unknown[] {
  const clause = fieldsOf(fields.returningClause, 'ReturningClause') ?? (fields.returningClause as Fields | undefined);
  if (clause !== undefined && typeof clause === 'object') return [...list(clause.exprs)];
  return [...list(fields.returningList)];
}

/** True when a SELECT has no FROM and computes only from constants, parameters and function calls. */
function isConstantSelect(fields: Fields): boolean {
  if (str(fields.op) !== undefined && fields.op !== SET_OPS_NONE) return false;
  if (list(fields.fromClause).length > 0 || fields.intoClause !== undefined || fields.withClause !== undefined) return false;
  if (list(fields.valuesLists).length > 0) return false;
  let constant = true;
  const check = (v: unknown): void => {
    if (!constant) return;
    if (Array.isArray(v)) return v.forEach(check);
    const n = nodeOf(v);
    if (n === undefined) {
      if (v !== null && typeof v === 'object') Object.values(v).forEach(check);
      return;
    }
    if (n.type === 'ColumnRef' || n.type === 'SubLink' || n.type === 'SelectStmt' || n.type === 'RangeVar') {
      constant = false;
      return;
    }
    Object.values(n.fields).forEach(check);
  };
  check(fields.targetList);
  check(fields.whereClause);
  return constant;
}

/** A SELECT whose output columns come from derived tables or set operations. */
function hasDerivedOutput(fields: Fields): boolean {
  if (str(fields.op) !== undefined && fields.op !== SET_OPS_NONE) return true;
  if (list(fields.valuesLists).length > 0) return false;
  let derived = false;
  const scan = (v: unknown): void => {
    if (derived) return;
    if (Array.isArray(v)) return v.forEach(scan);
    const n = nodeOf(v);
    if (n === undefined) return;
    if (n.type === 'RangeSubselect' || n.type === 'RangeFunction' || n.type === 'RangeTableFunc' || n.type === 'RangeTableSample') derived = n.type !== 'RangeTableSample';
    else if (n.type === 'JoinExpr') {
      scan(n.fields.larg);
      scan(n.fields.rarg);
    } else if (n.type === 'RangeVar') {
      // A CTE reference is derived too; decided by the caller with the CTE names.
    }
  };
  scan(fields.fromClause);
  return derived || fields.withClause !== undefined;
}

function settingName(fields: Fields): string {
  return (str(fields.name) ?? '').toLowerCase();
}

export function analyzeStatement(stmt: unknown, options: AnalyzeOptions): StatementFacts {
  const facts = analyzeNode(stmt, options);
  if (facts.refusal !== undefined) return facts;
  // Function calls anywhere (defaults, CHECK constraints, view bodies included) meet the deny list.
  const denied = functionCalls(stmt).find((f) => options.deniedFunctions.has(f.name.toLowerCase()));
  return denied === undefined ? facts : { ...facts, refusal: `function ${denied.name} is not allowed through the proxy` };
}

function analyzeNode(stmt: unknown, options: AnalyzeOptions): StatementFacts {
  const c = new Collector(options);
  const n = nodeOf(stmt);
  const base = {
    looseColumns: c.looseColumns,
    aliases: c.aliases,
    tree: stmt,
    derivedOutput: false,
    changesCatalog: false,
    tempCreated: [] as string[],
    tempDropped: [] as string[],
    discardsTemp: false,
  };
  const finish = (statementClass: StatementClass, extra: Partial<StatementFacts> = {}): StatementFacts => {
    attributeColumns(c);
    const refusal = extra.refusal ?? c.refusal;
    return {
      ...base,
      nodeType: n?.type ?? 'unknown',
      statementClass,
      uses: c.uses,
      returnsRows: false,
      ...extra,
      ...(refusal !== undefined ? { refusal } : {}),
    };
  };
  if (n === undefined) return finish('other', { refusal: 'empty statement' });
  const { type, fields } = n;
  switch (type) {
    case 'SelectStmt': {
      const into = fields.intoClause as Fields | undefined;
      collectQuery(c, { SelectStmt: { ...fields, intoClause: undefined } }, new Set(), into === undefined);
      if (into !== undefined) {
        // SELECT ... INTO creates a table from the rows: a DDL on the new table.
        const rel = fieldsOf((into as Fields).rel, 'RangeVar') ?? ((into as Fields).rel as Fields | undefined);
        if (rel === undefined) return finish('ddl', { refusal: 'SELECT INTO without a target' });
        const target = rangeVarName(rel);
        const temporary = rel.relpersistence === 't';
        c.use('relation', temporary ? { schema: 'pg_temp', name: target.name } : target, 'ddl', { temporary });
        return finish('ddl', { changesCatalog: true, tempCreated: temporary ? [target.name] : [] });
      }
      if (c.nestedWrite) for (const u of c.uses) u.releasedToClient = false;
      const outputs = str(fields.op) === undefined || fields.op === SET_OPS_NONE ? list(fields.targetList) : undefined;
      return finish('select', {
        returnsRows: true,
        ...(isConstantSelect(fields) && c.uses.length === 0 ? { harmless: 'select-constants' as const } : {}),
        ...(outputs !== undefined && list(fields.valuesLists).length === 0 ? { outputs } : {}),
        derivedOutput: hasDerivedOutput(fields) || c.nestedWrite,
        changesCatalog: c.nestedWrite,
      });
    }
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt': {
      collectDml(c, type, fields, new Set(), true);
      const returning = returningList(fields);
      const cls: StatementClass = type === 'InsertStmt' ? 'insert' : type === 'UpdateStmt' ? 'update' : type === 'DeleteStmt' ? 'delete' : 'update';
      return finish(cls, { returnsRows: returning.length > 0, ...(returning.length > 0 ? { outputs: returning } : {}), derivedOutput: fields.withClause !== undefined });
    }
    case 'CopyStmt': {
      if (str(fields.filename) !== undefined || fields.is_program === true) return finish('other', { refusal: 'COPY to or from a server file or program is not allowed through the proxy' });
      const isFrom = fields.is_from === true;
      const rel = fieldsOf(fields.relation, 'RangeVar') ?? (fields.relation as Fields | undefined);
      if (rel !== undefined) {
        const target = rangeVarName(rel);
        registerAlias(c, rel, target);
        const cols = list(fields.attlist).map(stringNode).filter((x): x is string => x !== undefined);
        c.use('relation', target, isFrom ? 'insert' : 'read', { columns: cols, all: cols.length === 0 });
      }
      if (fields.query !== undefined) collectQuery(c, fields.query, new Set(), false);
      if (isFrom && fields.whereClause !== undefined) collectQuery(c, fields.whereClause, new Set(), false);
      return finish(isFrom ? 'insert' : 'select');
    }
    case 'TransactionStmt':
      return finish('other', { harmless: 'transaction' });
    case 'VariableSetStmt': {
      const name = settingName(fields);
      const kind = str(fields.kind);
      if (name === 'transaction' || name === 'session characteristics' || name === 'transaction snapshot') return finish('other', { harmless: 'transaction' });
      if (options.protectedSettings.has(name) && kind !== 'VAR_RESET' && kind !== 'VAR_SET_DEFAULT') return finish('other', { refusal: `the proxy keeps ${name} fixed: it cannot be changed by a client` });
      if (kind === 'VAR_RESET_ALL') return finish('other', { harmless: 'reset', setting: { name: '*' } });
      const first = list(fields.args)[0];
      const constant = fieldsOf(first, 'A_Const');
      const value = constant === undefined ? undefined : (str((constant.sval as Fields | undefined)?.sval) ?? (typeof (constant.ival as Fields | undefined)?.ival === 'number' ? String((constant.ival as Fields).ival) : undefined));
      const setting = kind === 'VAR_SET_VALUE' && value !== undefined ? { name, value } : { name };
      return finish('other', { harmless: kind === 'VAR_RESET' ? 'reset' : 'set', setting });
    }
    case 'VariableShowStmt':
      return finish('other', { harmless: 'show', returnsRows: true });
    case 'DiscardStmt':
      return finish('other', { harmless: 'discard', discardsTemp: fields.target === 'DISCARD_ALL' || fields.target === 'DISCARD_TEMP', changesCatalog: true });
    case 'DeallocateStmt': {
      const name = str(fields.name);
      return finish('other', { harmless: 'deallocate', sqlDeallocate: name === undefined || fields.isall === true ? 'all' : name });
    }
    case 'FetchStmt':
      return finish('other', { harmless: 'cursor', returnsRows: fields.ismove !== true });
    case 'ClosePortalStmt':
      return finish('other', { harmless: 'cursor' });
    case 'ListenStmt':
    case 'UnlistenStmt':
      return finish('other', { harmless: 'listen' });
    case 'NotifyStmt':
      return finish('other', { harmless: 'notify' });
    case 'CheckPointStmt':
      return finish('other', { harmless: 'checkpoint' });
    case 'LockStmt':
      for (const r of list(fields.relations)) {
        const rf = fieldsOf(r, 'RangeVar');
        if (rf !== undefined) c.use('relation', rangeVarName(rf), 'update');
      }
      return finish('other', { harmless: 'lock' });
    case 'DeclareCursorStmt':
    case 'ExplainStmt': {
      // The rows of a cursor (FETCH) or of a plan do not come through this statement's result: reads are not released.
      const inner = analyzeNode(fields.query, options);
      for (const u of inner.uses) u.releasedToClient = false;
      const { outputs: _outputs, sqlPrepare: _prepare, ...rest } = inner;
      return { ...rest, nodeType: type, returnsRows: type === 'ExplainStmt', tree: stmt, derivedOutput: true };
    }
    case 'PrepareStmt': {
      const name = str(fields.name) ?? '';
      const inner = analyzeNode(fields.query, options);
      return finish(inner.statementClass, { sqlPrepare: { name, inner }, ...(inner.refusal !== undefined ? { refusal: inner.refusal } : {}) });
    }
    case 'ExecuteStmt': {
      collectQuery(c, fields.params, new Set(), false);
      return finish('other', { sqlExecute: str(fields.name) ?? '' });
    }
    case 'CallStmt': {
      const call = fieldsOf(fields.funccall, 'FuncCall');
      if (call === undefined) return finish('other', { refusal: 'CALL without a procedure' });
      const parts = names(call.funcname);
      const object = parts !== undefined ? qualifiedName(parts) : undefined;
      if (object === undefined) return finish('other', { refusal: 'CALL of an unreadable procedure name' });
      if (options.deniedFunctions.has(object.name.toLowerCase())) c.refuse(`procedure ${object.name} is not allowed through the proxy`);
      c.use('function', object, 'execute');
      collectQuery(c, call.args, new Set(), false);
      return finish('other');
    }
    case 'DoStmt':
      return finish('other', { refusal: 'anonymous code blocks (DO) are not allowed: the proxy cannot see what they read' });
    default:
      return analyzeDdl(c, type, fields, finish);
  }
}

type Finish = (statementClass: StatementClass, extra?: Partial<StatementFacts>) => StatementFacts;

const RELATION_OBJECTS = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_SEQUENCE', 'OBJECT_INDEX', 'OBJECT_FOREIGN_TABLE']);
const FUNCTION_OBJECTS = new Set(['OBJECT_FUNCTION', 'OBJECT_PROCEDURE', 'OBJECT_ROUTINE', 'OBJECT_AGGREGATE']);

function objectNameOf(objtype: string | undefined, object: unknown): { kind: ObjectKind; name: ObjectName } | undefined {
  if (objtype === undefined) return undefined;
  if (RELATION_OBJECTS.has(objtype)) {
    const parts = names(fieldsOf(object, 'List')?.items ?? object);
    const name = parts !== undefined ? qualifiedName(parts) : undefined;
    return name === undefined ? undefined : { kind: 'relation', name };
  }
  if (FUNCTION_OBJECTS.has(objtype)) {
    const owa = fieldsOf(object, 'ObjectWithArgs');
    const parts = names(owa?.objname);
    const name = parts !== undefined ? qualifiedName(parts) : undefined;
    return name === undefined ? undefined : { kind: 'function', name };
  }
  if (objtype === 'OBJECT_SCHEMA') {
    const s = stringNode(object);
    return s === undefined ? undefined : { kind: 'schema', name: { name: s } };
  }
  if (objtype === 'OBJECT_COLUMN') {
    const parts = names(fieldsOf(object, 'List')?.items ?? object);
    if (parts === undefined || parts.length < 2) return undefined;
    const name = qualifiedName(parts.slice(0, -1));
    return name === undefined ? undefined : { kind: 'relation', name };
  }
  return undefined;
}

function analyzeDdl(c: Collector, type: string, fields: Fields, finish: Finish): StatementFacts {
  const ddl = (kind: ObjectKind, name: ObjectName, extra: { temporary?: boolean } = {}) => c.use(kind, name, 'ddl', extra);
  const relationOf = (v: unknown): ObjectName | undefined => {
    const f = fieldsOf(v, 'RangeVar') ?? (v as Fields | undefined);
    return f !== undefined && typeof f === 'object' && typeof f.relname === 'string' ? rangeVarName(f) : undefined;
  };
  const done = (extra: Partial<StatementFacts> = {}) => finish('ddl', { changesCatalog: true, ...extra });
  switch (type) {
    case 'CreateStmt': {
      const rel = fieldsOf(fields.relation, 'RangeVar') ?? (fields.relation as Fields | undefined);
      const name = rel !== undefined ? rangeVarName(rel) : undefined;
      if (rel === undefined || name === undefined) return finish('ddl', { refusal: 'CREATE TABLE without a name' });
      const temporary = rel.relpersistence === 't' || name.schema === 'pg_temp';
      ddl('relation', temporary ? { schema: 'pg_temp', name: name.name } : name, { temporary });
      // LIKE and INHERITS copy structure (and, for LIKE INCLUDING, defaults): a read of the source's definition, not its rows.
      for (const inh of list(fields.inhRelations)) {
        const r = relationOf(inh);
        if (r !== undefined) ddl('relation', r);
      }
      return done({ tempCreated: temporary ? [name.name] : [] });
    }
    case 'CreateTableAsStmt': {
      const into = fields.into as Fields | undefined;
      const rel = into !== undefined ? (fieldsOf(into.rel, 'RangeVar') ?? (into.rel as Fields | undefined)) : undefined;
      const name = rel !== undefined ? rangeVarName(rel) : undefined;
      if (rel === undefined || name === undefined) return finish('ddl', { refusal: 'CREATE TABLE AS without a name' });
      const temporary = rel.relpersistence === 't';
      ddl('relation', temporary ? { schema: 'pg_temp', name: name.name } : name, { temporary });
      collectQuery(c, fields.query, new Set(), false);
      return done({ tempCreated: temporary ? [name.name] : [] });
    }
    case 'ViewStmt': {
      const name = relationOf(fields.view);
      if (name === undefined) return finish('ddl', { refusal: 'CREATE VIEW without a name' });
      ddl('relation', name);
      collectQuery(c, fields.query, new Set(), false);
      return done();
    }
    case 'IndexStmt':
    case 'AlterTableStmt':
    case 'ClusterStmt':
    case 'CreateTrigStmt':
    case 'RuleStmt':
    case 'RefreshMatViewStmt': {
      const name = relationOf(fields.relation);
      if (name === undefined) return finish('ddl', { refusal: `${type} without a relation` });
      ddl('relation', name);
      if (type === 'CreateTrigStmt') {
        const fn = names(fields.funcname);
        const fname = fn !== undefined ? qualifiedName(fn) : undefined;
        if (fname !== undefined) c.use('function', fname, 'execute');
      }
      if (type === 'RuleStmt') return finish('ddl', { refusal: 'rules are not allowed through the proxy: they rewrite statements it has decided' });
      return done();
    }
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt': {
      const name = relationOf(fields.table);
      if (name === undefined) return finish('ddl', { refusal: `${type} without a table` });
      ddl('relation', name);
      return done();
    }
    case 'CreateSeqStmt':
    case 'AlterSeqStmt': {
      const name = relationOf(fields.sequence);
      if (name === undefined) return finish('ddl', { refusal: `${type} without a sequence` });
      ddl('relation', name);
      return done();
    }
    case 'TruncateStmt':
      for (const r of list(fields.relations)) {
        const name = relationOf(r);
        if (name === undefined) return finish('ddl', { refusal: 'TRUNCATE of an unreadable relation name' });
        ddl('relation', name);
      }
      return done();
    case 'DropStmt': {
      const objtype = str(fields.removeType);
      const dropped: string[] = [];
      for (const o of list(fields.objects)) {
        const obj = objectNameOf(objtype, o);
        if (obj === undefined) return finish('ddl', { refusal: `DROP of ${objtype ?? 'an unknown object type'} is not supported by the proxy` });
        ddl(obj.kind, obj.name);
        if (obj.kind === 'relation' && (obj.name.schema === undefined || obj.name.schema === 'pg_temp')) dropped.push(obj.name.name);
      }
      return done({ tempDropped: dropped });
    }
    case 'RenameStmt': {
      const rel = relationOf(fields.relation);
      const obj = rel !== undefined ? { kind: 'relation' as const, name: rel } : objectNameOf(str(fields.renameType), fields.object);
      if (obj === undefined) return finish('ddl', { refusal: 'RENAME of an object the proxy cannot name' });
      ddl(obj.kind, obj.name);
      return done();
    }
    case 'CommentStmt': {
      const obj = objectNameOf(str(fields.objtype), fields.object);
      if (obj === undefined) return finish('ddl', { refusal: 'COMMENT on an object the proxy cannot name' });
      ddl(obj.kind, obj.name);
      return done();
    }
    case 'CreateSchemaStmt': {
      const name = str(fields.schemaname);
      if (name === undefined || list(fields.schemaElts).length > 0) return finish('ddl', { refusal: 'CREATE SCHEMA with elements (or without a name) is not supported by the proxy' });
      ddl('schema', { name });
      return done();
    }
    case 'CreateFunctionStmt': {
      const parts = names(fields.funcname);
      const name = parts !== undefined ? qualifiedName(parts) : undefined;
      if (name === undefined) return finish('ddl', { refusal: 'CREATE FUNCTION without a name' });
      ddl('function', name);
      return done();
    }
    case 'GrantStmt': {
      if (fields.targtype !== 'ACL_TARGET_OBJECT') return finish('ddl', { refusal: 'GRANT/REVOKE on ALL objects in a schema is not supported by the proxy' });
      for (const o of list(fields.objects)) {
        const rel = relationOf(o);
        const obj = rel !== undefined ? { kind: 'relation' as const, name: rel } : objectNameOf(str(fields.objtype), o);
        if (obj === undefined) return finish('ddl', { refusal: 'GRANT/REVOKE on an object the proxy cannot name' });
        ddl(obj.kind, obj.name);
      }
      return done();
    }
    default:
      return finish('other', { refusal: `statements of type ${type} are not supported by the proxy` });
  }
}

/** Qualified references go to the relations their qualifier names; the rest stay loose. */
function attributeColumns(c: Collector): void {
  const targetsOf = (qualifier: string): ObjectUse[] => {
    const objects = c.aliases.get(qualifier) ?? [];
    return c.uses.filter((u) => u.kind === 'relation' && objects.some((o) => o.name === u.object.name && o.schema === u.object.schema));
  };
  for (const ref of c.refs) {
    if (ref.qualifier === undefined) {
      c.looseColumns.add(ref.name);
      continue;
    }
    const targets = targetsOf(ref.qualifier);
    if (targets.length === 0) continue; // a CTE, subquery or function alias: its own references were collected inside
    for (const u of targets) u.columns.add(ref.name);
  }
  for (const star of c.stars) {
    if (star === undefined) {
      for (const u of c.uses) if (u.kind === 'relation' && u.action === 'read') u.allColumns = true;
      continue;
    }
    for (const u of targetsOf(star)) u.allColumns = true;
  }
}

/** Function calls of a statement (for the resolver: built-in or user-defined). */
export function functionCalls(stmt: unknown): ObjectName[] {
  const out: ObjectName[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    const n = nodeOf(v);
    if (n === undefined) {
      if (v !== null && typeof v === 'object') Object.values(v).forEach(visit);
      return;
    }
    if (n.type === 'FuncCall') {
      const parts = names(n.fields.funcname);
      const name = parts !== undefined ? qualifiedName(parts) : undefined;
      if (name !== undefined) out.push(name);
    }
    // Function bodies of CREATE FUNCTION are text, never walked.
    Object.values(n.fields).forEach(visit);
  };
  visit(stmt);
  return out;
}
