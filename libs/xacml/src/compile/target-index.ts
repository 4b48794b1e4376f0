/**
 * Compile-time index of the children of a Policy (rules) or PolicySet (policies, policy sets,
 * references) by the attribute values their targets require, so that a request evaluates only
 * the children that can apply, whatever the shape of the policy.
 *
 * A child is *guarded* on a dimension (an attribute designator + an equality's key space) when
 * one AnyOf of its target demands, in every AllOf, an equality match of that attribute with a
 * literal: the AnyOf — so the target — is NoMatch unless the request's bag holds one of those
 * literals. Skipping such a child is exact, because a child whose target does not match is
 * NotApplicable, which no combining algorithm counts, and the candidates keep document order
 * (first-applicable, ordered-*, obligation order).
 *
 * The children are arranged in a decision tree: each node splits on the dimension whose
 * literals partition its children best (smallest expected candidate list), recursively on
 * the other dimensions, until a node is small. Children not guarded on a node's dimension stay
 * candidates on every branch. Where a split cannot decide (the bag is Indeterminate, or empty
 * while some guard's designator has MustBePresent), every child under it stays a candidate.
 */
import { parseValue, STANDARD_DATATYPES } from '../datatypes/registry';
import type { Datatype } from '../datatypes/datatype';
import { STANDARD_FUNCTIONS } from '../functions/registry';
import { F1, F3 } from '../functions/ids';
import type { MatchNode, TargetNode } from '../model/policy-ast';
import { DT } from '../model/identifiers';
import { IndeterminateError } from '../model/status';
import type { AttributeValue } from '../model/values';
import { attributeRef, type AttributeRef, type EvalState } from '../evaluate/eval-state';
import type { FunctionLookup } from './scope';

export interface Candidates<T> {
  /** The children that may apply to the request, in document order. */
  select(s: EvalState): readonly T[];
}

export interface IndexOptions {
  /** Below this many children a linear scan is as fast as the index (default 8). */
  readonly minChildren?: number;
}

/** Below this many children a node is not split further. */
const LEAF_MAX = 4;
/** A split must at least shrink the expected candidate list to this share of the node. */
const MIN_GAIN = 0.75;

// ------------------------------------------------------------------------- key spaces

/** How a match function compares: which datatype, and the key under which equal values coincide. */
interface KeySpace {
  readonly name: string;
  readonly datatype: string;
  /** equal(a, b) ⇔ keyOf(a) === keyOf(b), for the function's own notion of equality. */
  readonly keyOf: (value: unknown) => string;
}

/** Equality functions by id: each an exact key equality over its datatype. */
const EQUALITIES: ReadonlyMap<string, KeySpace> = (() => {
  const m = new Map<string, KeySpace>();
  const typed: readonly [string, string][] = [
    [`${F1}string-equal`, DT.string],
    [`${F1}boolean-equal`, DT.boolean],
    [`${F1}integer-equal`, DT.integer],
    [`${F1}double-equal`, DT.double],
    [`${F1}date-equal`, DT.date],
    [`${F1}time-equal`, DT.time],
    [`${F1}dateTime-equal`, DT.dateTime],
    [`${F3}dayTimeDuration-equal`, DT.dayTimeDuration],
    [`${F1}dayTimeDuration-equal`, DT.dayTimeDuration],
    [`${F3}yearMonthDuration-equal`, DT.yearMonthDuration],
    [`${F1}yearMonthDuration-equal`, DT.yearMonthDuration],
    [`${F1}anyURI-equal`, DT.anyURI],
    [`${F1}x500Name-equal`, DT.x500Name],
    [`${F1}rfc822Name-equal`, DT.rfc822Name],
    [`${F1}hexBinary-equal`, DT.hexBinary],
    [`${F1}base64Binary-equal`, DT.base64Binary],
  ];
  for (const [id, datatype] of typed) {
    // The functions compare with the datatype's `equal`, whose `key` is exact by contract.
    const dt = STANDARD_DATATYPES.get(datatype) as Datatype | undefined;
    const key = dt?.key;
    if (!dt || !key) continue;
    m.set(id, { name: datatype, datatype, keyOf: (v) => key.call(dt, v) });
  }
  // string-equal-ignore-case: equal ⇔ equal after toLowerCase (the engine's definition).
  m.set(`${F3}string-equal-ignore-case`, { name: `${DT.string} ignore-case`, datatype: DT.string, keyOf: (v) => (v as string).toLowerCase() });
  return m;
})();

// ------------------------------------------------------------------------- guards

/** An attribute (designator without MustBePresent) seen through one key space. */
interface Dimension {
  readonly id: string;
  readonly ref: AttributeRef;
  readonly space: KeySpace;
}

interface Guard {
  readonly dim: Dimension;
  readonly keys: readonly string[];
  /** Some chosen match's designator has MustBePresent: an empty bag is Indeterminate, not NoMatch. */
  readonly strict: boolean;
}

type Dimensions = Map<string, Dimension>;

function indexableMatch(m: MatchNode, functions: FunctionLookup, dims: Dimensions): { dim: Dimension; key: string; strict: boolean } | undefined {
  const a = m.attribute;
  if (a.kind !== 'Designator') return undefined;
  const space = EQUALITIES.get(m.matchId);
  // The id must denote the standard function, not something a provider put under it.
  if (!space || functions.get(m.matchId) !== STANDARD_FUNCTIONS.get(m.matchId)) return undefined;
  if (m.value.datatype !== space.datatype || a.datatype !== space.datatype) return undefined;
  let key: string;
  try {
    key = space.keyOf((parseValue(space.datatype, m.value.lexical) as AttributeValue).value);
  } catch {
    return undefined;
  }
  const ref = attributeRef(a.category, a.attributeId, a.datatype, a.issuer, false);
  const id = `${ref.bagKey}\u0001${space.name}`;
  let dim = dims.get(id);
  if (!dim) {
    dim = { id, ref, space };
    dims.set(id, dim);
  }
  return { dim, key, strict: a.mustBePresent };
}

/** Every guard a target offers, one per dimension (the one with the fewest keys). */
function guardsOf(target: TargetNode, functions: FunctionLookup, dims: Dimensions): Guard[] {
  const out = new Map<string, Guard>();
  for (const anyOf of target) {
    let common: Map<string, { dim: Dimension; keys: Set<string>; strict: boolean }> | undefined;
    for (const allOf of anyOf) {
      const here = new Map<string, { dim: Dimension; key: string; strict: boolean }>();
      for (const m of allOf) {
        const g = indexableMatch(m, functions, dims);
        // One match per AllOf suffices: the AllOf needs every one of them anyway.
        if (g && !here.has(g.dim.id)) here.set(g.dim.id, g);
      }
      if (!common) {
        common = new Map([...here].map(([id, g]) => [id, { dim: g.dim, keys: new Set([g.key]), strict: g.strict }]));
      } else {
        for (const [id, c] of common) {
          const g = here.get(id);
          if (!g) common.delete(id);
          else {
            c.keys.add(g.key);
            c.strict ||= g.strict;
          }
        }
      }
      if (common.size === 0) break;
    }
    for (const [id, c] of common ?? []) {
      const prev = out.get(id);
      if (!prev || prev.keys.length > c.keys.size) out.set(id, { dim: c.dim, keys: [...c.keys], strict: c.strict });
    }
  }
  return [...out.values()];
}

// ------------------------------------------------------------------------- the tree

/** A candidate list: child positions in document order, and the children when precomputed. */
interface Pick<T> {
  readonly idx: readonly number[];
  readonly items?: readonly T[];
}

interface TreeNode<T> {
  select(s: EvalState): Pick<T>;
}

class Leaf<T> implements TreeNode<T> {
  readonly pick: Pick<T>;
  constructor(idx: readonly number[], children: readonly T[]) {
    this.pick = { idx, items: idx.map((i) => children[i]!) };
  }
  select(): Pick<T> {
    return this.pick;
  }
}

class Split<T> implements TreeNode<T> {
  constructor(
    private readonly dim: Dimension,
    private readonly buckets: ReadonlyMap<string, TreeNode<T>>,
    /** Children not guarded on the dimension. */
    private readonly rest: TreeNode<T> | undefined,
    /** When the bag is empty: `rest` plus the children whose guard is strict. */
    private readonly whenEmpty: TreeNode<T> | undefined,
    /** Every child under this node, for a bag that cannot be evaluated. */
    private readonly all: Pick<T>,
  ) {}

  select(s: EvalState): Pick<T> {
    let values: readonly AttributeValue[];
    try {
      values = s.bag(this.dim.ref).values;
    } catch (e) {
      // The guarded targets would be Indeterminate, not NoMatch: they all stay candidates.
      if (e instanceof IndeterminateError) return this.all;
      throw e;
    }
    if (values.length === 0) return this.whenEmpty ? this.whenEmpty.select(s) : NONE_PICK;
    const keyOf = this.dim.space.keyOf;
    let hit: Pick<T> | undefined;
    let more: Pick<T>[] | undefined;
    let seen: TreeNode<T> | undefined;
    for (const v of values) {
      const node = this.buckets.get(keyOf(v.value));
      if (!node || node === seen) continue;
      if (!hit) {
        hit = node.select(s);
        seen = node;
      } else (more ??= []).push(node.select(s));
    }
    const rest = this.rest?.select(s);
    if (!hit) return rest ?? NONE_PICK;
    if (!more && (!rest || rest.idx.length === 0)) return hit;
    const parts = [hit, ...(more ?? [])];
    if (rest) parts.push(rest);
    return { idx: mergeSorted(parts) };
  }
}

const NONE_PICK: Pick<never> = Object.freeze({ idx: Object.freeze([]) as readonly number[], items: Object.freeze([]) as readonly never[] });

/** Union of sorted position lists, sorted, without duplicates (a child may sit in several buckets). */
function mergeSorted(parts: readonly Pick<unknown>[]): number[] {
  const nonEmpty = parts.filter((p) => p.idx.length > 0);
  if (nonEmpty.length === 1) return nonEmpty[0]!.idx as number[];
  if (nonEmpty.length === 2) {
    const a = nonEmpty[0]!.idx;
    const b = nonEmpty[1]!.idx;
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const x = a[i]!;
      const y = b[j]!;
      if (x < y) {
        out.push(x);
        i++;
      } else if (y < x) {
        out.push(y);
        j++;
      } else {
        out.push(x);
        i++;
        j++;
      }
    }
    while (i < a.length) out.push(a[i++]!);
    while (j < b.length) out.push(b[j++]!);
    return out;
  }
  const all: number[] = [];
  for (const p of nonEmpty) for (const i of p.idx) all.push(i);
  all.sort((x, y) => x - y);
  const out: number[] = [];
  for (const i of all) if (out.length === 0 || out[out.length - 1] !== i) out.push(i);
  return out;
}

class TreeBuilder<T> {
  constructor(
    private readonly children: readonly T[],
    private readonly guards: readonly (readonly Guard[])[],
  ) {}

  build(list: readonly number[], used: ReadonlySet<string>): TreeNode<T> | undefined {
    if (list.length === 0) return undefined;
    if (list.length <= LEAF_MAX) return new Leaf(list, this.children);
    const best = this.bestDimension(list, used);
    if (!best) return new Leaf(list, this.children);

    const bucketLists = new Map<string, number[]>();
    const rest: number[] = [];
    const strict: number[] = [];
    for (const i of list) {
      const g = this.guards[i]!.find((x) => x.dim === best);
      if (!g) {
        rest.push(i);
        continue;
      }
      if (g.strict) strict.push(i);
      for (const k of g.keys) {
        const b = bucketLists.get(k);
        if (b) b.push(i);
        else bucketLists.set(k, [i]);
      }
    }
    const next = new Set(used).add(best.id);
    const buckets = new Map<string, TreeNode<T>>();
    for (const [k, b] of bucketLists) buckets.set(k, this.build(b, next)!);
    const restNode = this.build(rest, next);
    const whenEmpty = strict.length === 0 ? restNode : this.build(mergeSorted([{ idx: rest }, { idx: strict }]), next);
    return new Split(best, buckets, restNode, whenEmpty, new Leaf(list, this.children).pick);
  }

  /**
   * The dimension that minimises the expected candidate count: the unguarded children plus
   * the size of the bucket a request lands in (buckets weighted by their size).
   */
  private bestDimension(list: readonly number[], used: ReadonlySet<string>): Dimension | undefined {
    const stats = new Map<string, { dim: Dimension; guarded: number; sizes: Map<string, number> }>();
    for (const i of list) {
      for (const g of this.guards[i]!) {
        if (used.has(g.dim.id)) continue;
        let st = stats.get(g.dim.id);
        if (!st) stats.set(g.dim.id, (st = { dim: g.dim, guarded: 0, sizes: new Map() }));
        st.guarded++;
        for (const k of g.keys) st.sizes.set(k, (st.sizes.get(k) ?? 0) + 1);
      }
    }
    let best: Dimension | undefined;
    let bestCost = list.length * MIN_GAIN;
    for (const st of stats.values()) {
      let squares = 0;
      let total = 0;
      for (const n of st.sizes.values()) {
        squares += n * n;
        total += n;
      }
      const cost = list.length - st.guarded + squares / total;
      if (cost < bestCost) {
        bestCost = cost;
        best = st.dim;
      }
    }
    return best;
  }
}

/** Indexes `children` by their `targets`; evaluation order and results are those of a plain scan. */
export function indexChildren<T>(children: readonly T[], targets: readonly TargetNode[], functions: FunctionLookup, options: IndexOptions = {}): Candidates<T> {
  const all: Candidates<T> = { select: () => children };
  if (children.length < (options.minChildren ?? 8)) return all;
  const dims: Dimensions = new Map();
  const guards = targets.map((t) => guardsOf(t, functions, dims));
  if (dims.size === 0) return all;
  const root = new TreeBuilder(children, guards).build(children.map((_, i) => i), new Set());
  if (!root || root instanceof Leaf) return all;
  return {
    select(s) {
      const p = root.select(s);
      return p.items ?? p.idx.map((i) => children[i]!);
    },
  };
}

/** The key space of an indexed equality function (for tests and diagnostics). */
export function equalityKeySpace(functionId: string): { readonly datatype: string; keyOf(value: unknown): string } | undefined {
  return EQUALITIES.get(functionId);
}
