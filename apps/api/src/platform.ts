/**
 * Composition root: opens the database (migrations are applied before, by the start command),
 * wires repositories, the PDP cache, the system PDP, the decision log and the change watcher,
 * bootstraps the admin, and builds the app. Trust services (UDFs) and Context Handlers are
 * called through @safax/udf-client under one outbound policy. Used by main.ts and by the tests.
 */
import type express from 'express';
import type { RequestListener } from 'node:http';
import { createApp } from './app';
import type { AppDeps, Logger } from './app-deps';
import { silentLogger } from './app-deps';
import type { AppConfig } from './config/app-config';
import { openDatabase } from './db/open-database';
import type { Database } from './db/open-database';
import { startChangeWatcher } from './pdp/change-watcher';
import type { ChangeWatcher } from './pdp/change-watcher';
import type { ContextHandlerClient } from './pdp/context-handler-client';
import { createOutbound } from './pdp/outbound';
import type { HostResolver, UdfCallEvent } from '@safax/udf-client';
import { PdpRegistry, policyLimits } from './pdp/pdp-registry';
import type { FunctionProviderFor } from './pdp/pdp-registry';
import { UdfSync } from './pdp/udf-sync';
import type { UdfRegistryPort } from './pdp/udf-sync';
import { ALL_DOMAINS } from './repositories/prisma/change-events';
import { DEFAULT_SYSTEM_POLICY_DIR, createSystemPdp, loadPolicyDir } from './pep/system-pdp';
import { cachingPrincipalRepository } from './repositories/caching-principal-repository';
import { prismaRepositories } from './repositories/prisma/prisma-repositories';
import { openLogAppender } from './decision-log/log-appender';
import { loadLogSeal } from './decision-log/log-key';
import { createMetrics } from './metrics/metrics';
import { DecisionLogWriter } from './services/decisions/decision-log-writer';
import { startLogPruner } from './services/decisions/prune-decision-logs';
import { refreshPdpEndpoints } from './services/domains/refresh-pdp-endpoints';
import { bootstrapAdmin } from './services/principals/bootstrap-admin';
import { reinitialiseFor } from './services/registry/after-service-change';

export interface PlatformOptions {
  readonly log?: Logger;
  readonly systemPolicyDir?: string;
  readonly contextHandlerClient?: ContextHandlerClient;
  readonly functionProviderFor?: FunctionProviderFor;
  /**
   * UDF registry kept in step with the Service Repository (e.g. @safax/udf-client's
   * createUdfRegistry()); through it every domain resolves its UDFs (see pdp/udf-sync.ts)
   * unless `functionProviderFor` says otherwise.
   */
  readonly udfRegistry?: UdfRegistryPort;
  /**
   * Host name resolution for the outbound policy (registration checks and the connections
   * themselves); default the system resolver. Tests inject one.
   */
  readonly resolveHost?: HostResolver;
  /** Told of every UDF call (metrics, tests); the decision log records them anyway. */
  readonly onUdfCall?: (event: UdfCallEvent) => void;
  /**
   * Run the once-per-installation start tasks (admin bootstrap, PDP endpoints re-pointed);
   * default true. Cluster workers pass false: their primary ran them once (see prepareInstallation).
   */
  readonly startTasks?: boolean;
}

export interface Platform {
  /** The request listener to serve (createServer(platform.app), supertest's request(platform.app)). */
  readonly app: RequestListener;
  /** The express app behind it (route tables, for contract tests). */
  readonly routes: express.Express;
  readonly deps: AppDeps;
  readonly database: Database;
  /** Set when this start created the admin: its API key (shown once). */
  readonly bootstrapApiKey: string | undefined;
  close(): Promise<void>;
}

async function openConfigured(config: AppConfig): Promise<Database> {
  const database = openDatabase(config.databaseUrl);
  if (database.provider === 'sqlite') {
    // WAL lets readers (decisions) proceed while the log writer commits; wait instead of failing on a lock
    // (several worker processes write the same file).
    await database.prisma.$queryRawUnsafe('PRAGMA journal_mode=WAL');
    await database.prisma.$queryRawUnsafe('PRAGMA busy_timeout=5000');
  }
  return database;
}

async function runStartTasks(deps: Pick<AppDeps, 'repos' | 'config'>, log: Logger): Promise<{ created: boolean; apiKey?: string }> {
  const boot = await bootstrapAdmin(deps, deps.config.adminApiKey);
  const movedPdps = await refreshPdpEndpoints(deps);
  if (movedPdps > 0) log.info('PDP endpoints re-pointed at PUBLIC_BASE_URL', { services: movedPdps, publicBaseUrl: deps.config.publicBaseUrl });
  return boot;
}

/**
 * The once-per-installation start tasks alone, for a cluster primary before it forks its
 * workers: admin bootstrap and PDP endpoints. Returns the bootstrap key when it created the admin.
 */
export async function prepareInstallation(config: AppConfig, log: Logger = silentLogger): Promise<string | undefined> {
  const database = await openConfigured(config);
  try {
    const boot = await runStartTasks({ repos: prismaRepositories(database), config }, log);
    return boot.created ? boot.apiKey : undefined;
  } finally {
    await database.close();
  }
}

export async function startPlatform(config: AppConfig, options: PlatformOptions = {}): Promise<Platform> {
  const log = options.log ?? silentLogger;
  const database = await openConfigured(config);
  const stored = prismaRepositories(database);
  const repos = { ...stored, principals: cachingPrincipalRepository(stored.principals, config.authCacheMs) };
  // One outbound policy (SAFAX_OUTBOUND_ALLOW) for every call to trust services and Context Handlers.
  const metrics = config.metricsEnabled ? createMetrics({ domainSeries: config.metricsDomainSeries }) : undefined;
  const onUdfCall =
    metrics || options.onUdfCall
      ? (e: UdfCallEvent) => {
          metrics?.udfCall(e);
          options.onUdfCall?.(e);
        }
      : undefined;
  const outbound = createOutbound({ allow: config.outboundAllow, ...(options.resolveHost ? { resolveHost: options.resolveHost } : {}), ...(onUdfCall ? { onUdfCall } : {}) });
  const contextHandlerClient = options.contextHandlerClient ?? outbound.contextHandlers;
  const udfRegistry: UdfRegistryPort = options.udfRegistry ?? outbound.udfRegistry;
  const udfSync = new UdfSync(udfRegistry, repos.services, log);
  await udfSync.syncAll();
  const functionProviderFor: FunctionProviderFor = options.functionProviderFor ?? ((_domainId, trusted) => udfSync.providerFor(trusted));
  const pdps = new PdpRegistry({ repos, contextHandlerClient, functionProviderFor, cacheBytes: config.pdpCacheBytes, limits: policyLimits(config) });
  const systemPdp = createSystemPdp(loadPolicyDir(options.systemPolicyDir ?? DEFAULT_SYSTEM_POLICY_DIR));
  const logSeal = await loadLogSeal(config, repos.decisionChain);
  // The log's writes go straight to the driver, on a connection of their own (not through Prisma).
  const logAppender = openLogAppender(database, logSeal);
  const decisionLog = new DecisionLogWriter(logAppender, {
    batchSize: config.logBatchSize,
    flushMs: config.logFlushMs,
    queueMax: config.logQueueMax,
    mode: config.logMode,
    onError: (err) => log.error('decision log write failed', { error: String(err) }),
  });
  metrics?.observe({ log: decisionLog, pdps, udf: udfRegistry });
  const deps: AppDeps = { repos, config, pdps, systemPdp, decisionLog, logSeal, ...(metrics ? { metrics } : {}), log, functionProviderFor, udfSync, checkEndpoint: outbound.checkEndpoint, fetchOutbound: outbound.fetch };
  const pruner = startLogPruner(deps, config.logPruneMs);
  const boot = options.startTasks === false ? { created: false } : await runStartTasks(deps, log);
  const watcher: ChangeWatcher = await startChangeWatcher({
    feed: repos.changes,
    pollMs: config.changePollMs,
    onChange: (domainId) => {
      if (domainId !== ALL_DOMAINS) {
        void pdps.invalidateIfChanged(domainId);
        return;
      }
      // A service changed on some replica (or this one: the echo finds nothing new): re-sync,
      // and re-initialise only the PDPs that use what changed.
      void udfSync.syncAll().then((changes) => reinitialiseFor(pdps, changes), (err: unknown) => log.error('udf sync', { error: String(err) }));
    },
    ...(database.provider === 'postgresql' ? { postgresUrl: database.url } : {}),
    onError: (err) => log.error('change feed', { error: String(err) }),
  });
  const http = createApp(deps);
  return {
    app: http.listener,
    routes: http.routes,
    deps,
    database,
    bootstrapApiKey: boot.created ? boot.apiKey : undefined,
    async close() {
      pruner.stop();
      await watcher.stop();
      await decisionLog.flush();
      await logAppender.close();
      await database.close();
      outbound.close();
    },
  };
}
