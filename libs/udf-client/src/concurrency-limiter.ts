/**
 * Bounds how many calls run against one service at once. Callers beyond the bound wait in a
 * bounded FIFO queue; when the queue is full, or a caller's deadline passes while it waits,
 * it is turned away at once rather than piling up behind a slow service.
 */

export type AcquireResult = { readonly ok: true; readonly release: () => void } | { readonly ok: false; readonly reason: 'queue-full' | 'aborted' };

export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: { grant: () => void; abandon: () => void }[] = [];

  constructor(
    readonly maxConcurrent: number,
    readonly maxQueued: number,
  ) {}

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  acquire(signal?: AbortSignal): Promise<AcquireResult> {
    if (signal?.aborted) return Promise.resolve({ ok: false, reason: 'aborted' });
    if (this.active < this.maxConcurrent) {
      this.active++;
      return Promise.resolve({ ok: true, release: this.releaser() });
    }
    if (this.waiting.length >= this.maxQueued) return Promise.resolve({ ok: false, reason: 'queue-full' });
    return new Promise<AcquireResult>((resolve) => {
      const entry = {
        grant: (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve({ ok: true, release: this.releaser() });
        },
        abandon: (): void => resolve({ ok: false, reason: 'aborted' }),
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        entry.abandon();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter; `active` stays the same.
      if (next) next.grant();
      else this.active--;
    };
  }
}
