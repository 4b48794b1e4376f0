/**
 * Vocabulary alignment between domains controllers. Terms live in vocabularies (one per
 * domains controller, e.g. DCI, DCII). Two kinds of statements relate them:
 *   equivalent  (DCI, file-ext) ≡ (DCII, extension)   — symmetric
 *   narrower    (DCI, neurologist) ⊂ (DCI, physician) — the first is a kind of the second
 * aligned(term, vocabulary) is every term of `vocabulary` that `term` (as named in any
 * vocabulary) is equivalent to or a kind of, transitively: equivalence both ways, narrower
 * only upwards. A neurologist is a physician, but a physician is not a neurologist. The walk
 * keeps a visited set, so cycles end, and is bounded in the number of terms it visits.
 */

export interface TermRef {
  readonly vocabulary: string;
  readonly term: string;
}

export interface Mapping {
  readonly kind: 'equivalent' | 'narrower';
  readonly from: TermRef;
  readonly to: TermRef;
}

export interface AlignmentLimits {
  readonly maxMappings: number;
  /** Terms one query may visit. */
  readonly maxVisited: number;
}

const nodeKey = (t: TermRef): string => JSON.stringify([t.vocabulary, t.term]);

export class AlignmentStore {
  private readonly edges = new Map<string, Set<string>>();
  private readonly terms = new Map<string, TermRef>();
  private readonly mappings = new Map<string, Mapping>();

  constructor(readonly limits: AlignmentLimits = { maxMappings: 50_000, maxVisited: 10_000 }) {}

  /** Adds a mapping; false when the store is full. */
  add(m: Mapping): boolean {
    const k = JSON.stringify([m.kind, nodeKey(m.from), nodeKey(m.to)]);
    if (this.mappings.has(k)) return true;
    if (this.mappings.size >= this.limits.maxMappings) return false;
    this.mappings.set(k, m);
    this.rebuild();
    return true;
  }

  remove(m: Mapping): boolean {
    const removed = this.mappings.delete(JSON.stringify([m.kind, nodeKey(m.from), nodeKey(m.to)]));
    if (removed) this.rebuild();
    return removed;
  }

  list(): Mapping[] {
    return [...this.mappings.values()];
  }

  vocabularies(): string[] {
    return [...new Set([...this.terms.values()].map((t) => t.vocabulary))].sort();
  }

  /** The terms of `vocabulary` that `term` aligns to, sorted. */
  aligned(term: string, vocabulary: string): string[] {
    const start = [...this.terms.values()].filter((t) => t.term === term).map(nodeKey);
    const seen = new Set<string>(start);
    const queue = [...start];
    while (queue.length > 0 && seen.size <= this.limits.maxVisited) {
      const k = queue.shift()!;
      for (const next of this.edges.get(k) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push(next);
      }
    }
    const out = new Set<string>();
    for (const k of seen) {
      const t = this.terms.get(k);
      if (t?.vocabulary === vocabulary) out.add(t.term);
    }
    return [...out].sort();
  }

  private rebuild(): void {
    // Rebuilt from the statements on every change: writes are rare, questions frequent.
    this.edges.clear();
    this.terms.clear();
    const link = (a: TermRef, b: TermRef): void => {
      this.terms.set(nodeKey(a), a);
      this.terms.set(nodeKey(b), b);
      const set = this.edges.get(nodeKey(a)) ?? new Set<string>();
      set.add(nodeKey(b));
      this.edges.set(nodeKey(a), set);
    };
    for (const m of this.mappings.values()) {
      link(m.from, m.to);
      if (m.kind === 'equivalent') link(m.to, m.from);
    }
  }
}
