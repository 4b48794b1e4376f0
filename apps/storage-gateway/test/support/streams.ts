/** Large bodies made on the fly, and the memory they cost. */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const MiB = 1024 * 1024;

/** `total` bytes of a fixed pattern, produced as they are read into `hash`; `digest()` ends it. */
export function generated(total: number, hash = createHash('sha256')): { stream: Readable; digest: () => string } {
  const block = Buffer.alloc(MiB);
  for (let i = 0; i < block.length; i++) block[i] = (i * 31 + 7) & 0xff;
  let sent = 0;
  const stream = new Readable({
    highWaterMark: MiB,
    read() {
      if (sent >= total) return void this.push(null);
      const n = Math.min(MiB, total - sent);
      const chunk = n === MiB ? block : block.subarray(0, n);
      hash.update(chunk);
      sent += n;
      this.push(chunk);
    },
  });
  return { stream, digest: () => hash.digest('hex') };
}

/**
 * Peak growth (bytes) of the memory the process holds over `fn`: the V8 heap plus Buffers,
 * sampled every 500 ms right after a full garbage collection (collections of this process's heap
 * — platform, gateways and client together — are not free: sampling every 50 or 200 ms stalled
 * transfers past their timeouts on a busy machine). RSS peaks depend on when the
 * collector happens to run (on a busy machine it ran late and RSS grew by 180 MB for a streamed
 * 256 MiB body), while what is still referenced after a collection grows with the body only if
 * something buffers it.
 */
export async function peakGrowth<T>(fn: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const held = () => {
    collect();
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  const base = held();
  let peak = base;
  // A full collection costs more the bigger the worker's heap (jest reuses workers across
  // files): sampling every 500 ms, but never spending more than a tenth of the time collecting,
  // keeps the check from slowing the transfer it watches.
  let timer: NodeJS.Timeout | undefined;
  const sample = (): void => {
    const t0 = performance.now();
    peak = Math.max(peak, held());
    timer = setTimeout(sample, Math.max(500, 10 * (performance.now() - t0)));
  };
  timer = setTimeout(sample, 500);
  try {
    const result = await fn();
    peak = Math.max(peak, held());
    return { result, growth: peak - base };
  } finally {
    clearTimeout(timer);
  }
}

/** V8's full collection, reachable without starting node with --expose-gc. */
const collect: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

export async function sha256Of(body: Readable): Promise<{ hash: string; bytes: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const c of body) {
    h.update(c as Buffer);
    bytes += (c as Buffer).length;
  }
  return { hash: h.digest('hex'), bytes };
}
