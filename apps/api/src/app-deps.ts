/** What the app factory is given: storage, configuration and the long-lived components. */
import type { AppConfig } from './config/app-config';
import type { DecisionLogWriter } from './services/decisions/decision-log-writer';
import type { EndpointChecker, OutboundFetch } from './pdp/outbound';
import type { FunctionProviderFor, PdpRegistry } from './pdp/pdp-registry';
import type { UdfSync } from './pdp/udf-sync';
import type { SystemPdp } from './pep/system-pdp';
import type { Metrics } from './metrics/metrics';
import type { LogSeal, Repositories } from './repositories/ports';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface AppDeps {
  readonly repos: Repositories;
  readonly config: AppConfig;
  readonly pdps: PdpRegistry;
  readonly systemPdp: SystemPdp;
  readonly decisionLog: DecisionLogWriter;
  /** Signs the decision log's hash chain (heads, checkpoints) and checks it. */
  readonly logSeal: LogSeal;
  /** Prometheus metrics (served at /metrics when enabled). */
  readonly metrics?: Metrics;
  readonly log: Logger;
  /** UDFs for a domain's policies, given its pinned services (also used when the PAP compiles an upload). */
  readonly functionProviderFor?: FunctionProviderFor;
  /** Keeps the UDF registry in step with the Service Repository (when one is plugged in). */
  readonly udfSync?: UdfSync;
  /** May the platform call this endpoint (outbound policy)? Checked when services register. */
  readonly checkEndpoint?: EndpointChecker;
  /** Fetches under the outbound policy (service descriptors registered by URL). */
  readonly fetchOutbound?: OutboundFetch;
}

export const silentLogger: Logger = { info: () => undefined, error: () => undefined };

export const consoleLogger: Logger = {
  info: (message, fields) => process.stdout.write(`${JSON.stringify({ level: 'info', time: new Date().toISOString(), message, ...fields })}\n`),
  error: (message, fields) => process.stderr.write(`${JSON.stringify({ level: 'error', time: new Date().toISOString(), message, ...fields })}\n`),
};
