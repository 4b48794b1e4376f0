/**
 * Write-behind decision log: evaluations enqueue an entry and return at once; entries are
 * written in batches (size or time, whichever first), one flush at a time. If the database
 * falls behind past `queueMax`, the oldest waiting entries are dropped and counted — the
 * decision path never waits on the log.
 */
import type { DecisionLogEntry, DecisionLogRepository } from '../../repositories/ports';

export interface DecisionLogWriterOptions {
  readonly batchSize: number;
  readonly flushMs: number;
  readonly queueMax: number;
  readonly onError?: (err: unknown) => void;
}

export class DecisionLogWriter {
  private queue: DecisionLogEntry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private droppedCount = 0;
  private writtenCount = 0;

  constructor(
    private readonly repo: DecisionLogRepository,
    private readonly opts: DecisionLogWriterOptions,
  ) {}

  get dropped(): number {
    return this.droppedCount;
  }

  get written(): number {
    return this.writtenCount;
  }

  get pending(): number {
    return this.queue.length;
  }

  enqueue(entry: DecisionLogEntry): void {
    this.queue.push(entry);
    if (this.queue.length > this.opts.queueMax) {
      const excess = this.queue.length - this.opts.queueMax;
      this.queue.splice(0, excess);
      this.droppedCount += excess;
    }
    if (this.queue.length >= this.opts.batchSize) this.schedule(0);
    else if (this.timer === null) this.schedule(this.opts.flushMs);
  }

  /** Writes everything queued so far (tests, shutdown). */
  flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.inFlight = this.inFlight.then(() => this.drain());
    return this.inFlight;
  }

  private schedule(ms: number): void {
    if (this.timer !== null) {
      if (ms > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, ms);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.opts.batchSize);
      try {
        await this.repo.insertMany(batch);
        this.writtenCount += batch.length;
      } catch (err) {
        this.droppedCount += batch.length;
        this.opts.onError?.(err);
        return;
      }
    }
  }
}
