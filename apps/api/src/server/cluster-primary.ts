/**
 * Several API processes on one machine (SAFAX_WORKERS, default one per CPU): the primary runs
 * the once-per-installation start tasks, forks the workers (they share the listening port),
 * replaces a worker that dies, and on SIGTERM/SIGINT asks every worker to stop gracefully and
 * exits when all have. Each worker has its own PDP cache, kept in step with the others by the
 * change feed as replicas are (PostgreSQL LISTEN/NOTIFY or the poll; SQLite in WAL mode).
 */
import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import type { Logger } from '../app-deps';
import type { AppConfig } from '../config/app-config';
import { prepareInstallation } from '../platform';

/** A worker that dies sooner than this after its start is not replaced (a crash loop). */
const MIN_UPTIME_MS = 5000;
/** Workers still running this long after the shutdown request are killed. */
const SHUTDOWN_GRACE_MS = 15_000;

export async function runPrimary(config: AppConfig, workers: number, log: Logger): Promise<void> {
  const apiKey = await prepareInstallation(config, log);
  if (apiKey !== undefined && config.adminApiKey === undefined) {
    process.stdout.write(`\nAdmin principal created. API key (store it now, it is not shown again):\n  ${apiKey}\n\n`);
  }
  let stopping = false;
  const started = new Map<Worker, number>();
  const fork = (): void => {
    started.set(cluster.fork(), Date.now());
  };
  cluster.on('listening', (worker, address) => {
    log.info('worker listening', { pid: worker.process.pid, port: address.port });
  });
  cluster.on('exit', (worker, code, signal) => {
    const since = started.get(worker) ?? 0;
    started.delete(worker);
    if (stopping) {
      if (started.size === 0) {
        log.info('all workers stopped');
        process.exit(0);
      }
      return;
    }
    log.error('worker exited', { pid: worker.process.pid, code, signal });
    if (Date.now() - since >= MIN_UPTIME_MS) fork();
    else if (started.size === 0) {
      log.error('workers exit right after starting: giving up');
      process.exit(1);
    }
  });
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    log.info('stopping workers', { workers: started.size });
    if (started.size === 0) process.exit(0);
    for (const w of started.keys()) if (w.isConnected()) w.send('shutdown');
    setTimeout(() => {
      for (const w of started.keys()) w.kill('SIGKILL');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  log.info('starting API workers', { workers, pid: process.pid });
  for (let i = 0; i < workers; i++) fork();
}
