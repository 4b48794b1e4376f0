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
import { IndeterminateError } from '../model/status';
import type { AttributeValue } from '../model/values';
import type { AttributeRef, EvalState } from '../evaluate/eval-state';
import { keySpaceOf, type KeySpace } from './equalities';
import type { TargetShape } from './target';
import { Footprint } from './scope';

export interface Candidates<T> {
  /** The children that may apply to the request, in document order. */
  select(s: EvalState): readonly T[];
}

export interface IndexOptions {
  /** Below this many children a linear scan is as fast as the index (default 8). */
  readonly minChildren?: number;
  /** Told what the index holds in memory. */
  readonly footprint?: Footprint;
}

/** Below this many children a node is not split further. */
const LEAF_MAX = 4;
/** A split must at least shrink the expected candidate list to this share of the node. */
const MIN_GAIN = 0.75;

// ------------------------------------------------------------------------- guards

/** An attribute (its designator without MustBePresent) seen through one key space. */
interface Dimension {
  readonly ref: AttributeRef;
  readonly space: KeySpace;
}

interface Guard {
  readonly dim: Dimension;
  readonly keys: readonly string[];
  /** Some chosen match's designator has MustBePresent: an empty bag is Indeterminate, not NoMatch. */
  readonly strict: boolean;
}

/** Dimensions of one index, by the designator's bag key and the key space. */
class Dimensions {
  private readonly byKey = new Map<string, Map<KeySpace, Dimension>>();
  private readonly lenient = new Map<string, AttributeRef>();
  size = 0;

  of(ref: AttributeRef, space: KeySpace): Dimension {
    let spaces = this.byKey.get(ref.bagKey);
    if (!spaces) this.byKey.set(ref.bagKey, (spaces = new Map()));
    let dim = spaces.get(space);
    if (!dim) {
      // The index reads the bag without MustBePresent: an empty bag is a fact, not an error.
      let lenient = this.lenient.get(ref.bagKey);
      if (!lenient) this.lenient.set(ref.bagKey, (lenient = ref.mustBePresent ? { ...ref, mustBePresent: false } : ref));
      dim = { ref: lenient, space };
      spaces.set(space, dim);
      this.size++;
    }
    return dim;
  }
}

interface Found {
  readonly dim: Dimension;
  readonly key: string;
  readonly strict: boolean;
}

/** The indexable matches of one AllOf, one per dimension (the AllOf needs every one anyway). */
function indexableMatches(allOf: TargetShape[number][number], dims: Dimensions): Found[] {
  const out: Found[] = [];
  for (const m of allOf) {
    if (!m) continue;
    const space = keySpaceOf(m.fn);
    if (!space || m.literal.datatype.id !== space.datatype || m.ref.datatype !== space.datatype) continue;
    const dim = dims.of(m.ref, space);
    if (out.some((f) => f.dim === dim)) continue;
    out.push({ dim, key: space.keyOf(m.literal.value), strict: m.ref.mustBePresent });
  }
  return out;
}

/** Every guard a target offers, one per dimension (the one with the fewest keys). */
function guardsOf(target: TargetShape, dims: Dimensions): Guard[] {
  const out: Guard[] = [];
  const keep = (g: Guard): void => {
    const i = out.findIndex((x) => x.dim === g.dim);
    if (i < 0) out.push(g);
    else if (out[i]!.keys.length > g.keys.length) out[i] = g;
  };
  for (const anyOf of target) {
    if (anyOf.length === 0) continue;
    // Dimensions every AllOf of this AnyOf constrains, with the keys any of them accepts.
    let common: { dim: Dimension; keys: string[]; strict: boolean }[] = indexableMatches(anyOf[0]!, dims).map((f) => ({ dim: f.dim, keys: [f.key], strict: f.strict }));
    for (let i = 1; i < anyOf.length && common.length > 0; i++) {
      const here = indexableMatches(anyOf[i]!, dims);
      common = common.filter((c) => {
        const f = here.find((x) => x.dim === c.dim);
        if (!f) return false;
        if (!c.keys.includes(f.key)) c.keys.push(f.key);
        c.strict ||= f.strict;
        return true;
      });
    }
    for (const c of common) keep(c);
  }
  return out;
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
  /** Nodes and child positions built (the index's memory). */
  nodes = 0;
  entries = 0;

  constructor(
    private readonly children: readonly T[],
    private readonly guards: readonly (readonly Guard[])[],
  ) {}

  build(list: readonly number[], used: ReadonlySet<Dimension>): TreeNode<T> | undefined {
    if (list.length === 0) return undefined;
    this.nodes++;
    this.entries += list.length;
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
    const next = new Set(used).add(best);
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
  private bestDimension(list: readonly number[], used: ReadonlySet<Dimension>): Dimension | undefined {
    const stats = new Map<Dimension, { dim: Dimension; guarded: number; sizes: Map<string, number> }>();
    for (const i of list) {
      for (const g of this.guards[i]!) {
        if (used.has(g.dim)) continue;
        let st = stats.get(g.dim);
        if (!st) stats.set(g.dim, (st = { dim: g.dim, guarded: 0, sizes: new Map() }));
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

/** Indexes `children` by the shapes of their targets; results are those of a plain scan. */
export function indexChildren<T>(children: readonly T[], targets: readonly TargetShape[], options: IndexOptions = {}): Candidates<T> {
  const all: Candidates<T> = { select: () => children };
  if (children.length < (options.minChildren ?? 8)) return all;
  const dims = new Dimensions();
  const guards = targets.map((t) => guardsOf(t, dims));
  if (dims.size === 0) return all;
  const builder = new TreeBuilder(children, guards);
  const root = builder.build(children.map((_, i) => i), new Set());
  if (!root || root instanceof Leaf) return all;
  options.footprint?.add(builder.nodes * Footprint.INDEX_NODE + builder.entries * Footprint.INDEX_ENTRY);
  return {
    select(s) {
      const p = root.select(s);
      return p.items ?? p.idx.map((i) => children[i]!);
    },
  };
}
