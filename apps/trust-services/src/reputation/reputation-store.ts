/**
 * Ratings kept in memory (the latest rating per rater and ratee), and the metric computed
 * lazily: recomputed on the first question after a change, then served from the result.
 */
import { computeReputation, type MetricOptions, type MetricResult, type Rating, type UserReputation } from './reputation-metric';

export interface ReputationStoreOptions extends MetricOptions {
  /** Largest number of stored ratings (default 100 000). */
  readonly maxRatings?: number;
}

export class ReputationStore {
  private readonly ratings = new Map<string, Rating>();
  private computed: MetricResult | undefined;
  private readonly maxRatings: number;

  constructor(private readonly options: ReputationStoreOptions = {}) {
    this.maxRatings = options.maxRatings ?? 100_000;
  }

  /** Adds or replaces the rating of `ratee` by `rater`; false when the store is full. */
  rate(r: Rating): boolean {
    const k = JSON.stringify([r.rater, r.ratee]);
    if (!this.ratings.has(k) && this.ratings.size >= this.maxRatings) return false;
    this.ratings.set(k, r);
    this.computed = undefined;
    return true;
  }

  remove(rater: string, ratee: string): boolean {
    const removed = this.ratings.delete(JSON.stringify([rater, ratee]));
    if (removed) this.computed = undefined;
    return removed;
  }

  reputationOf(user: string): UserReputation {
    return this.result().users.get(user) ?? { reputation: 0, trust: 0, raterWeight: 0, raters: 0 };
  }

  all(): ReadonlyMap<string, UserReputation> {
    return this.result().users;
  }

  get size(): number {
    return this.ratings.size;
  }

  private result(): MetricResult {
    this.computed ??= computeReputation([...this.ratings.values()], this.options);
    return this.computed;
  }
}
