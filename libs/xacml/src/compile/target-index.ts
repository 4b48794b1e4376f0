/**
 * Compile-time index of children (rules, or policies) by the attribute value their target
 * requires, so a request only evaluates the children that can apply. A child is "guarded" when
 * one of its AnyOf demands, in every AllOf, equality of the same attribute with a literal: it
 * can only match if the request's bag holds one of those literals. Unguarded children are
 * always candidates. Skipping a child is safe because a child whose target does not match is
 * NotApplicable, which no combining algorithm counts.
 */
import { parseValue } from '../datatypes/registry';
import type { Datatype } from '../datatypes/datatype';
import type { TargetNode } from '../model/policy-ast';
import { DT } from '../model/identifiers';
import { IndeterminateError } from '../model/status';
import type { Bag } from '../model/values';
import { attributeRef, type AttributeRef, type EvalState } from '../evaluate/eval-state';

const EQUALITY_FN = /^urn:oasis:names:tc:xacml:1\.0:function:([a-zA-Z0-9]+)-equal$/;

/** Below this many children a linear scan is as fast as the index. */
const MIN_CHILDREN = 8;

interface Guard {
  readonly ref: AttributeRef;
  readonly keys: readonly string[];
}

export function guardOf(target: TargetNode): Guard | undefined {
  for (const anyOf of target) {
    let ref: AttributeRef | undefined;
    const keys: string[] = [];
    let ok = anyOf.length > 0;
    for (const allOf of anyOf) {
      const found = allOf.find((m) => {
        const a = m.attribute;
        if (a.kind !== 'Designator' || a.mustBePresent || a.datatype === DT.double) return false;
        const fm = EQUALITY_FN.exec(m.matchId);
        if (!fm || m.value.datatype !== a.datatype) return false;
        // The function must be the equality of the attribute's own datatype (string-equal on #string...).
        return a.datatype.slice(Math.max(a.datatype.lastIndexOf('#'), a.datatype.lastIndexOf(':')) + 1) === fm[1];
      });
      if (!found || found.attribute.kind !== 'Designator') {
        ok = false;
        break;
      }
      const a = found.attribute;
      const r = attributeRef(a.category, a.attributeId, a.datatype, a.issuer, false);
      if (ref && ref.bagKey !== r.bagKey) {
        ok = false;
        break;
      }
      ref = r;
      const key = literalKey(a.datatype, found.value.lexical);
      if (key === undefined) {
        ok = false;
        break;
      }
      keys.push(key);
    }
    if (ok && ref) return { ref, keys };
  }
  return undefined;
}

function literalKey(datatype: string, lexical: string): string | undefined {
  try {
    const v = parseValue(datatype, lexical);
    const dt = v.datatype as Datatype;
    return dt.key ? dt.key(v.value) : undefined;
  } catch {
    return undefined;
  }
}

export interface Candidates<T> {
  select(s: EvalState): readonly T[];
}

export function indexChildren<T>(children: readonly T[], targets: readonly TargetNode[]): Candidates<T> {
  const all: Candidates<T> = { select: () => children };
  if (children.length < MIN_CHILDREN) return all;
  const guards = targets.map(guardOf);
  const counts = new Map<string, number>();
  for (const g of guards) if (g) counts.set(g.ref.bagKey, (counts.get(g.ref.bagKey) ?? 0) + 1);
  let best: string | undefined;
  for (const [k, n] of counts) if (!best || n > counts.get(best)!) best = k;
  if (!best || counts.get(best)! < MIN_CHILDREN / 2) return all;

  const ref = guards.find((g) => g?.ref.bagKey === best)!.ref;
  const buckets = new Map<string, number[]>();
  const unguarded: number[] = [];
  guards.forEach((g, i) => {
    if (!g || g.ref.bagKey !== best) {
      unguarded.push(i);
      return;
    }
    for (const k of new Set(g.keys)) {
      const b = buckets.get(k);
      if (b) b.push(i);
      else buckets.set(k, [i]);
    }
  });
  const unguardedChildren = unguarded.map((i) => children[i]!);
  return {
    select(s) {
      let bag: Bag;
      try {
        bag = s.bag(ref);
      } catch (e) {
        // The guarded targets would be Indeterminate, not NoMatch: evaluate every child.
        if (e instanceof IndeterminateError) return children;
        throw e;
      }
      if (bag.values.length === 0) return unguardedChildren;
      const picked: number[] = [...unguarded];
      for (const v of bag.values) {
        const dt = v.datatype as Datatype;
        const hit = dt.key ? buckets.get(dt.key(v.value)) : undefined;
        if (hit) picked.push(...hit);
      }
      if (picked.length === unguarded.length) return unguardedChildren;
      // Document order matters to combining algorithms (first-applicable, obligation order).
      picked.sort((a, b) => a - b);
      const out: T[] = [];
      let last = -1;
      for (const i of picked) {
        if (i !== last) out.push(children[i]!);
        last = i;
      }
      return out;
    },
  };
}
