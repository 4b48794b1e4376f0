/**
 * Asynchronous work an evaluation waits for (resolver lookups, UDF calls), memoised by key so
 * that a restarted evaluation finds it settled. Lives for one request; every settled result,
 * success or failure, is reused for the rest of that request.
 */
import type { TraceEntry } from '../pdp-types';
import { SUSPEND } from './suspend';

type Settled = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

export class ExternalWork {
  private readonly settled = new Map<string, Settled>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly deadline: number;

  constructor(
    timeoutMs: number | undefined,
    private readonly trace?: TraceEntry[],
  ) {
    this.deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
  }

  /** Returns the settled value, rethrows the settled error, or schedules `load` and suspends. */
  get<T>(key: string, load: () => Promise<T>, describe?: (ok: boolean, value: unknown, ms: number) => TraceEntry): T {
    const s = this.settled.get(key);
    if (s) {
      if (s.ok) return s.value as T;
      throw s.error;
    }
    if (!this.pending.has(key)) this.start(key, load, describe);
    throw SUSPEND;
  }

  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Waits until everything scheduled so far has settled (or timed out). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending.values()]);
  }

  private start<T>(key: string, load: () => Promise<T>, describe?: (ok: boolean, value: unknown, ms: number) => TraceEntry): void {
    const started = Date.now();
    const remaining = this.deadline - started;
    const record = (s: Settled): void => {
      this.settled.set(key, s);
      this.pending.delete(key);
      if (this.trace) {
        const ms = Date.now() - started;
        this.trace.push(describe ? describe(s.ok, s.ok ? s.value : s.error, ms) : { kind: 'external', key, ...(s.ok ? {} : { error: messageOf(s.error) }), ms });
      }
    };
    if (remaining <= 0) {
      record({ ok: false, error: new ExternalTimeout(key, 0) });
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      if (remaining !== Infinity) timer = setTimeout(() => reject(new ExternalTimeout(key, remaining)), remaining);
    });
    let work: Promise<T>;
    try {
      work = load();
    } catch (e) {
      record({ ok: false, error: e });
      return;
    }
    const p = Promise.race([work, timeout]).then(
      (value) => record({ ok: true, value }),
      (error: unknown) => record({ ok: false, error }),
    ).finally(() => clearTimeout(timer));
    this.pending.set(key, p);
  }
}

export class ExternalTimeout extends Error {
  override readonly name = 'ExternalTimeout';
  constructor(key: string, ms: number) {
    super(`${key}: no answer within the evaluation timeout (${Math.round(ms)} ms)`);
  }
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
