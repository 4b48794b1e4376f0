/**
 * Entry point: configuration from the environment, then the API on every core (SAFAX_WORKERS
 * worker processes, default one per CPU) or, with SAFAX_WORKERS=1, in this process.
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { consoleLogger } from './app-deps';
import { configFromEnv } from './config/app-config';
import { runPrimary } from './server/cluster-primary';
import { serve } from './server/serve';
import { applyV8MemorySettings } from './server/v8-memory';

async function main(): Promise<void> {
  // Before the platform builds its heap (the primary and each worker run this).
  applyV8MemorySettings();
  const config = configFromEnv(process.env);
  const workers = config.workers ?? availableParallelism();
  if (workers > 1 && cluster.isPrimary) return runPrimary(config, workers, consoleLogger);
  return serve(config, { log: consoleLogger, worker: cluster.isWorker });
}

main().catch((err: unknown) => {
  consoleLogger.error('start failed', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
});
