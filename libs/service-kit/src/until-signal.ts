import type { Logger } from './logger';

/** Resolves once SIGTERM or SIGINT has closed the server (a running program's `serve`). */
export function closeOnSignal(server: { close(): Promise<void> }, log: Logger): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      log.info({ event: 'signal' }, 'shutting down');
      void server.close().then(resolve);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
