/**
 * The HTTP listener with the slow-client bounds of the configuration (slowloris): headers and
 * whole requests must arrive within their timeouts, idle keep-alive connections close. Node
 * enforces the first two on a periodic sweep of the open connections; the sweep runs often
 * enough that a timeout is kept to within a quarter of itself (at most a second late).
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { RequestListener } from 'node:http';
import type { AppConfig } from '../config/app-config';

export type SlowClientBounds = Pick<AppConfig, 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs'>;

export function createHttpServer(app: RequestListener, bounds: SlowClientBounds): Server {
  const shortest = Math.min(bounds.headersTimeoutMs, bounds.requestTimeoutMs);
  const server = createServer(
    {
      headersTimeout: bounds.headersTimeoutMs,
      requestTimeout: bounds.requestTimeoutMs,
      keepAliveTimeout: bounds.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(shortest / 4))),
    },
    app,
  );
  return server;
}

/** Listens on port/host (0: any free port); resolves once listening. */
export function listen(server: Server, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const failed = (err: Error): void => reject(err);
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve(server);
    });
  });
}
