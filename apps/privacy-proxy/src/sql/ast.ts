/**
 * Generic access to libpg-query parse trees. A node is `{ TypeName: { ...fields } }`; lists are
 * arrays of nodes. The analysers walk trees generically (the typed union of @pgsql/types is
 * large and changes between PostgreSQL versions), reading only the fields they know.
 */

export type AstNode = Readonly<Record<string, unknown>>;
export type Fields = Readonly<Record<string, unknown>>;

/** The type name and fields of a node, or undefined when the value is not a node. */
export function nodeOf(value: unknown): { type: string; fields: Fields } | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const type = keys[0] as string;
  const fields = (value as Record<string, unknown>)[type];
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) return undefined;
  if (!/^[A-Z]/.test(type)) return undefined;
  return { type, fields: fields as Fields };
}

export function fieldsOf(value: unknown, type: string): Fields | undefined {
  const n = nodeOf(value);
  return n !== undefined && n.type === type ? n.fields : undefined;
}

export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `{ String: { sval } }` → sval. */
export function stringNode(value: unknown): string | undefined {
  const f = fieldsOf(value, 'String');
  return f === undefined ? undefined : (str(f.sval) ?? '');
}

/** A list of String nodes (qualified names) → their values; undefined when one is not a String (e.g. A_Star). */
export function names(value: unknown): string[] | undefined {
  const out: string[] = [];
  for (const item of list(value)) {
    const s = stringNode(item);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

/**
 * Visits every node under `root` depth-first. The visitor sees the node's type, fields, the
 * field of its parent it sits under, and the chain of ancestor nodes (root first); returning
 * false skips the node's children.
 */
export interface Ancestor {
  readonly type: string;
  readonly fields: Fields;
  /** The field of its parent under which this ancestor sits. */
  readonly key: string;
}

export function walk(root: unknown, visit: (type: string, fields: Fields, key: string, ancestors: readonly Ancestor[]) => boolean | void): void {
  const ancestors: Ancestor[] = [];
  const go = (value: unknown, key: string): void => {
    if (Array.isArray(value)) {
      for (const item of value) go(item, key);
      return;
    }
    const n = nodeOf(value);
    if (n === undefined) {
      // Plain objects inside nodes (e.g. a ReturningClause without a wrapper) are walked too.
      if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) go(v, k);
      return;
    }
    if (visit(n.type, n.fields, key, ancestors) === false) return;
    ancestors.push({ type: n.type, fields: n.fields, key });
    for (const [k, v] of Object.entries(n.fields)) if (v !== null && typeof v === 'object') go(v, k);
    ancestors.pop();
  };
  go(root, '');
}
