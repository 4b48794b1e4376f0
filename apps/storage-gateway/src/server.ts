/**
 * Starts the gateway from its configuration: the backend, the PDP client, the access keys,
 * the S3 listener (http or https) and, when configured, the Context Handler listener and its
 * registration at SAFAX-TS. `close()` stops accepting, lets requests in flight finish for up
 * to `limits.shutdownGraceMs`, then releases everything.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { KeyDirectory } from './auth/access-keys';
import type { GatewayConfig } from './config/gateway-config';
import { readSecret, resolvePath } from './config/gateway-config';
import { createContextHandler } from './context-handler/context-handler';
import { registerContextHandler } from './context-handler/registration';
import { createS3Handler } from './http/s3-handler';
import type { KeyLookup } from './http/s3-handler';
import type { Logger } from './ops/logger';
import { createPepAuthorizer } from './policy/authorizer';
import type { Authorizer } from './policy/authorizer';
import type { GatewayServices } from './s3/operation-context';
import type { StorageBackend } from './storage/backend';
import { openLocalBackend } from './storage/local-backend';
import { createS3Backend } from './storage/s3-backend';

export interface GatewayServer {
  readonly port: number;
  readonly contextHandlerPort?: number;
  readonly services: GatewayServices;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly log: Logger;
  readonly env?: NodeJS.ProcessEnv;
  /** Replaces the PDP client built from `pdp` (tests, bench). */
  readonly authorizer?: Authorizer;
  /** Replaces the backend built from `backend`. */
  readonly backend?: StorageBackend;
  /** Replaces the access keys file. */
  readonly keys?: KeyLookup;
}

export async function openBackend(config: GatewayConfig, env: NodeJS.ProcessEnv): Promise<StorageBackend> {
  const b = config.backend;
  if (b.type === 'local') return openLocalBackend({ root: resolvePath(config, b.root), fsync: b.fsync, minPartSize: config.limits.minPartBytes });
  return createS3Backend({
    endpoint: b.endpoint,
    region: b.region,
    forcePathStyle: b.forcePathStyle,
    accessKeyId: readSecret(config, b.accessKeyId, 'backend.accessKeyId', env),
    secretAccessKey: readSecret(config, b.secretAccessKey, 'backend.secretAccessKey', env),
    bucketPrefix: b.bucketPrefix,
  });
}

function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function shutdown(server: http.Server, graceMs: number): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
}

export async function startGateway(config: GatewayConfig, options: StartOptions): Promise<GatewayServer> {
  const env = options.env ?? process.env;
  const { log } = options;
  const backend = options.backend ?? (await openBackend(config, env));
  const apiKey = config.pdp.apiKey !== undefined ? readSecret(config, config.pdp.apiKey, 'pdp.apiKey', env) : undefined;
  const authorizer =
    options.authorizer ??
    createPepAuthorizer({
      pdpUrl: config.pdp.url,
      ...(apiKey !== undefined ? { apiKey } : {}),
      format: config.pdp.format,
      timeoutMs: config.pdp.timeoutMs,
      cache: config.pdp.cache,
      ...(config.pdp.breaker !== undefined ? { breaker: config.pdp.breaker } : {}),
      resourceAttributes: config.pdp.resourceAttributes,
      log,
    });
  const keys = options.keys ?? new KeyDirectory(resolvePath(config, config.keys.file));
  const services: GatewayServices = { backend, authorizer, log, region: config.region, limits: config.limits };
  const handler = createS3Handler(services, keys);

  const server = config.tls ? https.createServer({ cert: readFileSync(resolvePath(config, config.tls.certFile)), key: readFileSync(resolvePath(config, config.tls.keyFile)) }) : http.createServer();
  // Uploads may take long; idle peers are still cut by headersTimeout and keepAliveTimeout.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.on('request', (req, res) => void handler(req, res));
  server.on('checkContinue', (req, res) => void handler(req, res, true));
  const port = await listen(server, config.listen.host, config.listen.port);

  let chServer: http.Server | undefined;
  let contextHandlerPort: number | undefined;
  const ch = config.contextHandler;
  try {
    if (ch) {
      chServer = http.createServer(createContextHandler({ backend, path: new URL(ch.publicUrl).pathname, allowFrom: ch.allowFrom, log }));
      contextHandlerPort = await listen(chServer, ch.listen.host, ch.listen.port);
      if (ch.register) {
        if (apiKey === undefined) throw new Error('contextHandler.register needs pdp.apiKey (the domains controller registers its own handler)');
        const r = await registerContextHandler({ apiUrl: ch.register.apiUrl, apiKey, domainId: ch.register.domainId, serviceId: ch.register.serviceId, endpoint: ch.publicUrl, timeoutMs: ch.register.timeoutMs });
        log.info({ event: 'context-handler-registered', serviceId: r.serviceId, created: r.created, domainId: ch.register.domainId }, 'registered as the domain\'s Context Handler');
      }
    }
  } catch (e) {
    await shutdown(server, 0);
    if (chServer) await shutdown(chServer, 0);
    await authorizer.close();
    await backend.close();
    throw e;
  }
  log.info({ event: 'listening', port, tls: config.tls !== undefined, contextHandlerPort, backend: backend.kind }, 'storage gateway listening');

  let closing: Promise<void> | undefined;
  return {
    port,
    ...(contextHandlerPort !== undefined ? { contextHandlerPort } : {}),
    services,
    close: () =>
      (closing ??= (async () => {
        await Promise.all([shutdown(server, config.limits.shutdownGraceMs), chServer ? shutdown(chServer, config.limits.shutdownGraceMs) : undefined]);
        await authorizer.close();
        await backend.close();
      })()),
  };
}
