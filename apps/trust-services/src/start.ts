/**
 * Starts a trust service on a port (0 = any free port) and returns its URL; used by the CLI
 * and by test suites that need a live service on loopback.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceDescriptorInput } from '@safax/contracts';
import { createTrustService, type ServiceName, type ServiceOptions } from './services';

export interface StartOptions extends ServiceOptions {
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  readonly seed?: unknown;
}

export interface RunningService {
  readonly name: ServiceName;
  /** Base URL, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  /** The descriptor for this running instance (endpoint under `publicUrl` or `url`). */
  readonly descriptor: ServiceDescriptorInput;
  close(): Promise<void>;
}

export async function startTrustService(name: ServiceName, options: StartOptions = {}): Promise<RunningService> {
  const service = createTrustService(name, options.seed ?? {}, options);
  const host = options.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const s = service.app.listen(options.port ?? 0, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    name,
    url,
    descriptor: service.descriptor(options.publicUrl ?? url),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
