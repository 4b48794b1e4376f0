/**
 * A bounded cache with a time-to-live per entry, for results of trust-service calls keyed by
 * their arguments. Least recently used entries go first when full; expired entries are never
 * returned. Only successful results are stored (a failure is retried on the next call).
 */

export interface TtlCacheOptions {
  readonly ttlMs: number;
  readonly maxEntries: number;
  /** Clock in milliseconds (tests inject one). */
  readonly now?: () => number;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, { readonly value: V; readonly expires: number }>();
  private readonly now: () => number;

  constructor(private readonly options: TtlCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.options.ttlMs > 0 && this.options.maxEntries > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (e.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-insert: Map order is the recency order.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  set(key: string, value: V): void {
    if (!this.enabled) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
