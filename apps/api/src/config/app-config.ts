/** Runtime configuration from the environment, validated once at start. */
import { isIP } from 'node:net';
import { join } from 'node:path';
import { OutboundPolicyConfigError, createOutboundPolicy, parseHostList } from '@safax/udf-client';
import { z } from 'zod';
import { DEFAULT_DOMAIN_SERIES } from '../metrics/metrics';
import { LOG_MODES } from '../services/decisions/decision-log-writer';
import type { LogMode } from '../services/decisions/decision-log-writer';

export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  /** Base URL clients reach this service at; PDP-URLs and registered PDP services use it. */
  readonly publicBaseUrl: string;
  /** Admin API key to install on first start (otherwise one is generated and printed once). */
  readonly adminApiKey: string | undefined;
  /** Largest accepted request body (policies, requests, PIP uploads). */
  readonly bodyLimitBytes: number;
  /** Decision log write-behind: flush when this many entries wait, or after flushMs. */
  readonly logBatchSize: number;
  readonly logFlushMs: number;
  /**
   * Entries kept in memory at most. Write-behind: beyond, the oldest unwritten entries are
   * dropped and counted; durable: beyond, decisions answer 503 until the log catches up.
   */
  readonly logQueueMax: number;
  /**
   * `durable` (default): a decision is answered only once its log entry is committed (group
   * commit); `write-behind`: answered at once, logged in batches (a crash loses what was not yet
   * written). On an idle machine durable cost −6.5% (SQLite) and 4.4% (PostgreSQL) of
   * write-behind's throughput in `BENCH_ROUNDS=5 npm run bench:log`, within the 15% a default may cost.
   */
  readonly logMode: LogMode;
  /** HMAC key signing the decision log's chain heads and checkpoints; unset: generated once and kept in the database. */
  readonly logSigningKey: string | undefined;
  /** A signed checkpoint every this many entries of a domain's decision log. */
  readonly logCheckpointEvery: number;
  /** How often decision logs are pruned to their domains' retention (ms); 0 = never. */
  readonly logPruneMs: number;
  /** Prometheus metrics at /metrics (off unless enabled). */
  readonly metricsEnabled: boolean;
  /** When set, /metrics asks for `Authorization: Bearer <token>`. */
  readonly metricsToken: string | undefined;
  /** Domains with decision counters of their own; decisions of later domains are counted together. */
  readonly metricsDomainSeries: number;
  /** How often each replica reads the change feed (ms). */
  readonly changePollMs: number;
  /** How long an API-key lookup is reused (ms); 0 = every call asks the database. */
  readonly authCacheMs: number;
  /** Built web GUI to serve at / (if the directory holds an index.html). */
  readonly webDir: string;
  /** Guest mode (SAFAX §5.2): how long a guest principal lives (ms); 0 turns guest mode off. */
  readonly guestTtlMs: number;
  /** Guest sessions one client address may start per hour (anonymous route: bounds abuse). */
  readonly guestsPerHour: number;
  /**
   * Which proxies in front may say who the client is (X-Forwarded-For): false = none, a hop
   * count, or addresses / CIDRs / loopback, linklocal, uniquelocal (express's `trust proxy`).
   */
  readonly trustProxy: false | number | readonly string[];
  /**
   * Outbound allow-list (addresses, CIDRs, host names, `*.suffix`) for trust services and
   * Context Handlers; everything else that is not a public unicast address is refused.
   */
  readonly outboundAllow: readonly string[];
  /**
   * Largest policy document (and policy upload body), apart from `bodyLimitBytes`: a
   * 10,000-rule policy is ~13 MB. The engine's document limit follows it.
   */
  readonly policyLimitBytes: number;
  /** Elements in one policy document (a 10,000-rule policy has ~170,000). */
  readonly policyMaxElements: number;
  /**
   * API worker processes (node cluster) `main.ts` starts; 1 = the API runs in the started
   * process itself; unset = one per CPU.
   */
  readonly workers: number | undefined;
  /** Memory budget of the compiled-PDP cache per process, in bytes (least recently used out first). */
  readonly pdpCacheBytes: number;
  /**
   * Slow clients (slowloris): a connection that has not sent a request's headers within
   * headersTimeoutMs, or the whole request (headers and body) within requestTimeoutMs, is
   * answered 408 and closed; an idle keep-alive connection is closed after keepAliveTimeoutMs.
   */
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().optional(),
  PUBLIC_BASE_URL: z.url().optional(),
  SAFAX_ADMIN_API_KEY: z.string().min(24).optional(),
  SAFAX_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(2 * 1024 * 1024),
  SAFAX_LOG_BATCH_SIZE: z.coerce.number().int().min(1).default(200),
  SAFAX_LOG_FLUSH_MS: z.coerce.number().int().min(1).default(200),
  SAFAX_LOG_QUEUE_MAX: z.coerce.number().int().min(1).default(50_000),
  SAFAX_LOG_MODE: z.enum(LOG_MODES).default('durable'),
  SAFAX_LOG_SIGNING_KEY: z.string().min(32, 'SAFAX_LOG_SIGNING_KEY: at least 32 characters').optional(),
  SAFAX_LOG_CHECKPOINT_EVERY: z.coerce.number().int().min(1).default(1000),
  SAFAX_LOG_PRUNE_MS: z.coerce.number().int().min(0).default(60 * 60 * 1000),
  SAFAX_METRICS: z.enum(['on', 'off', 'true', 'false', '1', '0']).default('off'),
  SAFAX_METRICS_TOKEN: z.string().min(16, 'SAFAX_METRICS_TOKEN: at least 16 characters').optional(),
  SAFAX_METRICS_DOMAIN_SERIES: z.coerce.number().int().min(0).max(1_000_000).default(DEFAULT_DOMAIN_SERIES),
  SAFAX_CHANGE_POLL_MS: z.coerce.number().int().min(10).default(250),
  SAFAX_AUTH_CACHE_MS: z.coerce.number().int().min(0).default(2000),
  SAFAX_WEB_DIR: z.string().min(1).optional(),
  SAFAX_GUEST_TTL_MS: z.coerce.number().int().min(0).default(24 * 60 * 60 * 1000),
  SAFAX_GUESTS_PER_HOUR: z.coerce.number().int().min(1).default(10),
  SAFAX_TRUST_PROXY: z
    .string()
    .optional()
    .superRefine((text, ctx) => {
      const bad = trustProxyProblem(text);
      if (bad) ctx.addIssue({ code: 'custom', message: bad });
    }),
  SAFAX_OUTBOUND_ALLOW: z
    .string()
    .optional()
    .superRefine((text, ctx) => {
      // Refuse a typo at start rather than silently allowing less (or failing later).
      try {
        createOutboundPolicy({ allow: parseHostList(text) });
      } catch (e) {
        if (!(e instanceof OutboundPolicyConfigError)) throw e;
        ctx.addIssue({ code: 'custom', message: e.message });
      }
    }),
  SAFAX_POLICY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(16 * 1024 * 1024),
  SAFAX_POLICY_MAX_ELEMENTS: z.coerce.number().int().min(100).default(1_000_000),
  SAFAX_WORKERS: z.coerce.number().int().min(1).max(256).optional(),
  SAFAX_PDP_CACHE_MB: z.coerce.number().min(1).default(512),
  SAFAX_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  // 16 MiB (the largest policy upload) at ~1 MB/s still fits.
  SAFAX_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
  SAFAX_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
}).refine((e) => e.SAFAX_HEADERS_TIMEOUT_MS <= e.SAFAX_REQUEST_TIMEOUT_MS, {
  message: 'SAFAX_HEADERS_TIMEOUT_MS must not exceed SAFAX_REQUEST_TIMEOUT_MS (the headers are part of the request)',
  path: ['SAFAX_HEADERS_TIMEOUT_MS'],
});

const PROXY_KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyEntry(entry: string): boolean {
  if (PROXY_KEYWORDS.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  if (rest.length > 0 || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/** Why SAFAX_TRUST_PROXY is not usable, or undefined. `true` (trust anyone) is refused on purpose. */
function trustProxyProblem(text: string | undefined): string | undefined {
  if (text === undefined || text.trim() === '' || /^\d+$/.test(text.trim())) return undefined;
  const wrong = parseHostList(text).filter((e) => !isProxyEntry(e));
  return wrong.length > 0 ? `SAFAX_TRUST_PROXY: not a hop count, address, CIDR or loopback/linklocal/uniquelocal: ${wrong.join(', ')}` : undefined;
}

function parseTrustProxy(text: string | undefined): AppConfig['trustProxy'] {
  if (text === undefined || text.trim() === '') return false;
  if (/^\d+$/.test(text.trim())) return Number(text.trim());
  return parseHostList(text);
}

export function configFromEnv(env: NodeJS.ProcessEnv): AppConfig {
  const e = envSchema.parse(env);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    adminApiKey: e.SAFAX_ADMIN_API_KEY,
    bodyLimitBytes: e.SAFAX_BODY_LIMIT_BYTES,
    logBatchSize: e.SAFAX_LOG_BATCH_SIZE,
    logFlushMs: e.SAFAX_LOG_FLUSH_MS,
    logQueueMax: e.SAFAX_LOG_QUEUE_MAX,
    logMode: e.SAFAX_LOG_MODE,
    logSigningKey: e.SAFAX_LOG_SIGNING_KEY,
    logCheckpointEvery: e.SAFAX_LOG_CHECKPOINT_EVERY,
    logPruneMs: e.SAFAX_LOG_PRUNE_MS,
    metricsEnabled: ['on', 'true', '1'].includes(e.SAFAX_METRICS),
    metricsToken: e.SAFAX_METRICS_TOKEN,
    metricsDomainSeries: e.SAFAX_METRICS_DOMAIN_SERIES,
    changePollMs: e.SAFAX_CHANGE_POLL_MS,
    authCacheMs: e.SAFAX_AUTH_CACHE_MS,
    webDir: e.SAFAX_WEB_DIR ?? join(__dirname, '..', '..', '..', 'web', 'dist'),
    guestTtlMs: e.SAFAX_GUEST_TTL_MS,
    guestsPerHour: e.SAFAX_GUESTS_PER_HOUR,
    trustProxy: parseTrustProxy(e.SAFAX_TRUST_PROXY),
    outboundAllow: parseHostList(e.SAFAX_OUTBOUND_ALLOW),
    policyLimitBytes: e.SAFAX_POLICY_LIMIT_BYTES,
    policyMaxElements: e.SAFAX_POLICY_MAX_ELEMENTS,
    workers: e.SAFAX_WORKERS,
    pdpCacheBytes: Math.round(e.SAFAX_PDP_CACHE_MB * 1024 * 1024),
    headersTimeoutMs: e.SAFAX_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: e.SAFAX_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: e.SAFAX_KEEP_ALIVE_TIMEOUT_MS,
  };
}

/** Defaults for tests and embedding. */
export function defaultConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return { ...configFromEnv({}), ...overrides };
}
