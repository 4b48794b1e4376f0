/**
 * The decision log writer, in one of two modes:
 * - `durable`: `enqueue` resolves only once the entry is committed, and the decision is
 *   answered after that (a crash loses no answered decision). Group commit keeps throughput:
 *   one write is in flight at a time, and every entry that arrives meanwhile goes into the next
 *   one, so concurrent requests share a transaction. Past `queueMax` waiting entries, new ones
 *   are refused (503) rather than queued without bound.
 * - `write-behind`: `enqueue` returns at once; entries are written in batches (size or time,
 *   whichever first), one flush at a time; past `queueMax` the oldest waiting entries are
 *   dropped and counted — the decision path never waits on the log.
 */
import { ApiError } from '../../errors/api-error';
import type { DecisionLogEntry, DecisionLogRepository, LogSeal } from '../../repositories/ports';

/** Where batches go: a log appender (decision-log/log-appender.ts), or the Prisma repository. */
export type DecisionLogSink = Pick<DecisionLogRepository, 'insertMany'>;

export const LOG_MODES = ['durable', 'write-behind'] as const;
export type LogMode = (typeof LOG_MODES)[number];

export interface DecisionLogWriterOptions {
  readonly batchSize: number;
  readonly flushMs: number;
  readonly queueMax: number;
  /** Default write-behind. */
  readonly mode?: LogMode;
  /** Signs the chain heads and checkpoints the writes produce (for a sink that is not given its own seal). */
  readonly seal?: LogSeal;
  readonly onError?: (err: unknown) => void;
}

interface Waiting {
  readonly entry: DecisionLogEntry;
  readonly done?: { resolve(): void; reject(err: unknown): void };
}

/** Entries per durable group commit at most (one transaction). */
const GROUP_MAX = 1000;

export class DecisionLogWriter {
  private queue: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private draining = false;
  private droppedCount = 0;
  private writtenCount = 0;
  private commitCount = 0;
  readonly mode: LogMode;

  constructor(
    private readonly repo: DecisionLogSink,
    private readonly opts: DecisionLogWriterOptions,
  ) {
    this.mode = opts.mode ?? 'write-behind';
  }

  get dropped(): number {
    return this.droppedCount;
  }

  get written(): number {
    return this.writtenCount;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Transactions written so far (group commits in durable mode). */
  get commits(): number {
    return this.commitCount;
  }

  /** Durable: resolves once committed (rejects with 503 when it could not be). Write-behind: at once. */
  enqueue(entry: DecisionLogEntry): Promise<void> {
    if (this.mode === 'durable') return this.enqueueDurable(entry);
    this.queue.push({ entry });
    if (this.queue.length > this.opts.queueMax) {
      const excess = this.queue.length - this.opts.queueMax;
      this.queue.splice(0, excess);
      this.droppedCount += excess;
    }
    if (this.queue.length >= this.opts.batchSize) this.schedule(0);
    else if (this.timer === null) this.schedule(this.opts.flushMs);
    return Promise.resolve();
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

  private enqueueDurable(entry: DecisionLogEntry): Promise<void> {
    if (this.queue.length >= this.opts.queueMax) {
      this.droppedCount++;
      return Promise.reject(new ApiError('unavailable', 'the decision log is saturated: the decision was not recorded, so it is not given; try again'));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entry, done: { resolve, reject } });
      // The first waiting entry starts a commit; the rest join whichever commit comes next.
      if (!this.draining) {
        this.draining = true;
        this.inFlight = this.inFlight.then(() => this.drain());
      }
    });
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
    try {
      while (this.queue.length > 0) {
        // Durable: let this turn's other requests (already read from their sockets) reach the
        // queue first, so that they share this commit rather than wait for the next one.
        if (this.mode === 'durable') await new Promise((r) => setImmediate(r));
        const batch = this.queue.splice(0, this.mode === 'durable' ? GROUP_MAX : this.opts.batchSize);
        try {
          await this.repo.insertMany(
            batch.map((w) => w.entry),
            this.opts.seal,
          );
          this.writtenCount += batch.length;
          this.commitCount++;
          for (const w of batch) w.done?.resolve();
        } catch (err) {
          this.droppedCount += batch.length;
          this.opts.onError?.(err);
          const refusal = new ApiError('unavailable', 'the decision log could not be written: the decision was not recorded, so it is not given; try again');
          for (const w of batch) w.done?.reject(refusal);
          // Write-behind waits for the next flush; durable callers are waiting: keep going.
          if (this.mode !== 'durable') return;
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
