/**
 * What the parse tree says about protected columns, for the two questions RowDescription
 * cannot answer:
 *
 * 1. Output columns without an origin (expressions, set operations, RETURNING): does one derive
 *    from a protected column? The answer is "clean", a protection to apply (a plain reference
 *    to a protected column), or "suppress" whenever the proxy cannot tell.
 * 2. Protected columns used where their values leak without being released (WHERE ssn =
 *    '123-45-6789', ORDER BY ssn, a function of ssn in a join condition): denied, unless the
 *    configuration allows such predicates. Grouping and column = column equality (joins on a
 *    protected key) are allowed: pseudonyms keep equality, so their results are consistent.
 *
 * Names renamed through subqueries and CTEs are followed by a fixpoint over the derived
 * tables' target lists (over-approximating: every output name of a derived table computed from
 * a protected column is taken as protected).
 */
import { fieldsOf, list, nodeOf, str, stringNode, walk } from '../sql/ast';
import type { Ancestor, Fields } from '../sql/ast';
import type { Protection, ProtectionPlan } from './obligations';

export type OutputVerdict = { readonly kind: 'clean' } | { readonly kind: 'suppress' } | { readonly kind: 'protect'; readonly protection: Protection };

export interface StatementShape {
  readonly tree: unknown;
  readonly outputs?: readonly unknown[];
  readonly derivedOutput: boolean;
}

export interface RelationNames {
  /** Datasets (schema.table) a qualifier (alias or name) may denote; empty for derived tables and CTEs. */
  datasetsOf(qualifier: string): readonly string[];
  /** Every dataset the statement reads. */
  readonly datasets: readonly string[];
}

export interface StatementProtection {
  /** Set when a protected column is used in a way that leaks it (and predicates are not allowed). */
  readonly violation?: string;
  /** Verdict for an output field without an origin, by position. */
  outputVerdict(index: number, fieldCount: number): OutputVerdict;
}

const SUPPRESS: OutputVerdict = { kind: 'suppress' };
const CLEAN: OutputVerdict = { kind: 'clean' };

interface Ref {
  readonly qualifier?: string;
  readonly name?: string; // undefined for a star
}

function refOf(fields: Fields): Ref | undefined {
  const parts = list(fields.fields);
  const last = parts[parts.length - 1];
  const quals = parts.slice(0, -1).map(stringNode);
  if (quals.some((q) => q === undefined)) return undefined;
  const qualifier = quals.length === 0 ? undefined : (quals as string[]).join('.');
  if (fieldsOf(last, 'A_Star') !== undefined) return qualifier === undefined ? {} : { qualifier };
  const name = stringNode(last);
  if (name === undefined) return undefined;
  return qualifier === undefined ? { name } : { qualifier, name };
}

export function analyzeProtection(shape: StatementShape, plan: ProtectionPlan, names: RelationNames, allowPredicates: boolean): StatementProtection {
  const protectedDatasets = new Set(plan.datasets());
  const derivedAliases = new Set<string>();
  walk(shape.tree, (type, fields) => {
    if (type === 'RangeSubselect' || type === 'RangeFunction') {
      const alias = fields.alias as Fields | undefined;
      const a = alias !== undefined ? str(alias.aliasname) : undefined;
      if (a !== undefined) derivedAliases.add(a);
    } else if (type === 'CommonTableExpr') {
      const n = str(fields.ctename);
      if (n !== undefined) derivedAliases.add(n);
    }
  });
  const protectedNames = plan.columnNames();

  const mayBeProtected = (ref: Ref): boolean => {
    if (ref.name === undefined) {
      if (ref.qualifier === undefined) return true;
      const ds = names.datasetsOf(ref.qualifier);
      return ds.length === 0 || ds.some((d) => protectedDatasets.has(d));
    }
    if (ref.qualifier !== undefined) {
      const ds = names.datasetsOf(ref.qualifier);
      if (ds.length > 0) return ds.some((d) => plan.protectionOf(d, ref.name as string) !== undefined) || protectedNames.has(ref.name);
      return protectedNames.has(ref.name);
    }
    if (protectedNames.has(ref.name)) return true;
    // A whole-row reference (SELECT p FROM patients p) carries every column.
    if (derivedAliases.has(ref.name)) return true;
    const ds = names.datasetsOf(ref.name);
    return ds.some((d) => protectedDatasets.has(d));
  };

  const exprMayBeProtected = (expr: unknown): boolean => {
    let hit = false;
    walk(expr, (type, fields) => {
      if (hit) return false;
      if (type === 'ColumnRef') {
        const ref = refOf(fields);
        if (ref === undefined || mayBeProtected(ref)) hit = true;
        return false;
      }
      return true;
    });
    return hit;
  };

  // Fixpoint: output names of derived tables computed from protected columns become protected names.
  for (let round = 0; round < 8; round++) {
    const before = protectedNames.size;
    walk(shape.tree, (type, fields, key) => {
      if (type !== 'SelectStmt' || (key !== 'subquery' && key !== 'ctequery' && key !== 'larg' && key !== 'rarg')) return true;
      for (const t of list(fields.targetList)) {
        const rt = fieldsOf(t, 'ResTarget');
        if (rt === undefined || !exprMayBeProtected(rt.val)) continue;
        const alias = str(rt.name);
        const col = fieldsOf(rt.val, 'ColumnRef');
        const ref = col !== undefined ? refOf(col) : undefined;
        if (alias !== undefined) protectedNames.add(alias);
        else if (ref?.name !== undefined) protectedNames.add(ref.name);
        else if (ref !== undefined) protectedNames.add('*');
      }
      return true;
    });
    // Column alias lists (AS s(a, b), WITH t(a, b)) rename by position: all of them, when the body is protected.
    walk(shape.tree, (type, fields) => {
      if (type === 'RangeSubselect') {
        const colnames = list((fields.alias as Fields | undefined)?.colnames).map(stringNode);
        if (colnames.length > 0 && exprMayBeProtected(fields.subquery)) for (const c of colnames) if (c !== undefined) protectedNames.add(c);
      } else if (type === 'CommonTableExpr') {
        const colnames = list(fields.aliascolnames).map(stringNode);
        if (colnames.length > 0 && exprMayBeProtected(fields.ctequery)) for (const c of colnames) if (c !== undefined) protectedNames.add(c);
      }
      return true;
    });
    if (protectedNames.size === before) break;
  }
  const starTainted = protectedNames.has('*');

  let violation: string | undefined;
  if (!allowPredicates) {
    walk(shape.tree, (type, fields, key, ancestors) => {
      if (violation !== undefined) return false;
      if (type !== 'ColumnRef') return true;
      const ref = refOf(fields);
      if (ref === undefined || ref.name === undefined) return false;
      if (!(mayBeProtected(ref) || (starTainted && ref.qualifier !== undefined && names.datasetsOf(ref.qualifier).length === 0))) return false;
      const problem = usageProblem(key, ancestors, shape.tree);
      if (problem !== undefined) violation = `column ${ref.qualifier !== undefined ? `${ref.qualifier}.` : ''}${ref.name} is protected: it may not be used in ${problem}`;
      return false;
    });
  }

  const outputs = shape.outputs;
  const hasStar = outputs?.some((t) => {
    const col = fieldsOf(fieldsOf(t, 'ResTarget')?.val, 'ColumnRef');
    return col !== undefined && refOf(col)?.name === undefined;
  }) ?? true;

  return {
    ...(violation !== undefined ? { violation } : {}),
    outputVerdict(index, fieldCount) {
      if (outputs === undefined || hasStar || outputs.length !== fieldCount) return SUPPRESS;
      const expr = fieldsOf(outputs[index], 'ResTarget')?.val;
      if (expr === undefined) return SUPPRESS;
      if (shape.derivedOutput) return hasAnyColumn(expr) ? SUPPRESS : CLEAN;
      const col = fieldsOf(expr, 'ColumnRef');
      if (col !== undefined) {
        // A plain column without an origin (RETURNING): the protection of the column it names.
        const ref = refOf(col);
        if (ref === undefined || ref.name === undefined) return SUPPRESS;
        const candidates = ref.qualifier !== undefined ? names.datasetsOf(ref.qualifier) : names.datasets;
        if (ref.qualifier !== undefined && candidates.length === 0) return mayBeProtected(ref) ? SUPPRESS : CLEAN;
        const found = candidates.map((d) => plan.protectionOf(d, ref.name as string)).filter((p): p is Protection => p !== undefined);
        if (found.length === 0) return mayBeProtected(ref) ? SUPPRESS : CLEAN;
        const first = found[0] as Protection;
        return found.every((p) => JSON.stringify(p) === JSON.stringify(first)) ? { kind: 'protect', protection: first } : SUPPRESS;
      }
      return exprMayBeProtected(expr) ? SUPPRESS : CLEAN;
    },
  };
}

function hasAnyColumn(expr: unknown): boolean {
  let hit = false;
  walk(expr, (type) => {
    if (hit) return false;
    if (type === 'ColumnRef' || type === 'SubLink') hit = true;
    return !hit;
  });
  return hit;
}

const CONTEXT_KEYS = new Set(['targetList', 'whereClause', 'havingClause', 'quals', 'joinCondition', 'sortClause', 'groupClause', 'distinctClause', 'partitionClause', 'orderClause', 'returningList', 'exprs', 'valuesLists', 'fromClause', 'limitCount', 'limitOffset', 'args', 'cols', 'onConflictClause', 'mergeWhenClauses']);

/**
 * Where a protected column reference sits, and whether that leaks: undefined when allowed.
 * `key` is the field the ColumnRef sits under; ancestors run from the root to its parent.
 */
function usageProblem(key: string, ancestors: readonly Ancestor[], root: unknown): string | undefined {
  // The chain of (node, key-under-parent), nearest first, with the ColumnRef's own key.
  const keys = [key, ...[...ancestors].reverse().map((a) => a.key)];
  const nodes = [...ancestors].reverse();
  for (let i = 0; i < nodes.length; i++) {
    const k = keys[i] as string;
    const owner = nodes[i] as Ancestor;
    if (k === 'groupClause' || k === 'distinctClause' || k === 'partitionClause') return undefined;
    if (k === 'whereClause' || k === 'havingClause' || k === 'quals' || k === 'joinCondition') {
      const parent = nodes[0] as Ancestor;
      if (parent.type === 'A_Expr' && parent.fields.kind === 'AEXPR_OP' && isEquals(parent.fields.name) && fieldsOf(parent.fields.lexpr, 'ColumnRef') !== undefined && fieldsOf(parent.fields.rexpr, 'ColumnRef') !== undefined) return undefined;
      return k === 'havingClause' ? 'HAVING' : k === 'whereClause' ? 'WHERE' : 'a join condition';
    }
    if (k === 'sortClause' || k === 'orderClause') return 'ORDER BY';
    if (k === 'targetList' || k === 'exprs' || k === 'returningList') {
      // Top level: released through the output rules. In a derived table: followed by name. In a sublink: the sublink's place decides.
      const ownerIsRoot = nodeOf(root)?.fields === owner.fields;
      if (ownerIsRoot || k === 'exprs' || k === 'returningList') return undefined;
      const via = keys[i + 1];
      if (via === 'subquery' || via === 'ctequery') return undefined;
      if (via === 'larg' || via === 'rarg') {
        // An arm of a set operation: the set operation's own place decides.
        continue;
      }
      if (via === 'subselect') continue;
      return 'a nested query';
    }
    if (k === 'valuesLists' || k === 'limitCount' || k === 'limitOffset') return 'this position';
    if (!CONTEXT_KEYS.has(k)) continue;
  }
  return undefined;
}

function isEquals(name: unknown): boolean {
  const parts = list(name).map(stringNode);
  return parts.length === 1 && parts[0] === '=';
}
