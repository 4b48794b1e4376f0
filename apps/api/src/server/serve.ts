/**
 * One API process: the platform and its HTTP listener, stopped gracefully on SIGTERM/SIGINT
 * (no new connections, the decision log flushed, the database closed). Run by main.ts, alone
 * or as each cluster worker.
 */
import type { AddressInfo } from 'node:net';
import type { Logger } from '../app-deps';
import type { AppConfig } from '../config/app-config';
import { startPlatform } from '../platform';
import { createHttpServer, listen } from './http-server';

export interface ServeOptions {
  readonly log: Logger;
  /** Cluster worker: the primary ran the start tasks and prints the admin key. */
  readonly worker: boolean;
}

export async function serve(config: AppConfig, opts: ServeOptions): Promise<void> {
  const platform = await startPlatform(config, { log: opts.log, startTasks: !opts.worker });
  if (platform.bootstrapApiKey !== undefined && config.adminApiKey === undefined) {
    // Shown once: only its hash is stored.
    process.stdout.write(`\nAdmin principal created. API key (store it now, it is not shown again):\n  ${platform.bootstrapApiKey}\n\n`);
  }
  const server = await listen(createHttpServer(platform.app, config), config.port, config.host);
  const port = (server.address() as AddressInfo).port;
  opts.log.info('SAFAX-TS api listening', { url: config.publicBaseUrl, port, pid: process.pid, docs: `${config.publicBaseUrl}/docs`, database: platform.database.provider, outboundAllow: config.outboundAllow });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    server.close(() => {
      void platform.close().then(
        () => process.exit(0),
        (err: unknown) => {
          opts.log.error('shutdown failed', { error: String(err) });
          process.exit(1);
        },
      );
    });
    // Idle keep-alive connections would hold close() open.
    server.closeIdleConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // A cluster primary asks its workers to stop this way.
  process.on('message', (m) => {
    if (m === 'shutdown') stop();
  });
}
