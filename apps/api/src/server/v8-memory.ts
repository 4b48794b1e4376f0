/**
 * V8 heap settings for a process that runs the platform (main.ts, so the primary and every
 * cluster worker; the tenants bench calls it as main.ts does).
 *
 * V8 lets the old generation grow to a multiple of what survived the last full collection
 * (up to 4x on a large machine) before collecting again. With a big PDP cache under churn
 * (compilations, evictions) that multiple is memory the process holds for garbage: on the
 * tenants bench (10,000 domains, 256 MB cache budget) the heap was 849 MB committed for 200 MB
 * live after a collection. A growing factor of 1 + HEAP_GROWING_PERCENT/100 collects sooner
 * and keeps the process within its cache budget plus its baseline, at the cost of more
 * frequent (concurrent, incremental) major collections.
 *
 * Set at run time with v8.setFlagsFromString: the heap reads the factor at each collection.
 * A `--heap-growing-percent` given on node's command line wins.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 20;

export function applyV8MemorySettings(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((a) => /^--heap[-_]growing[-_]percent\b/.test(a))) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
