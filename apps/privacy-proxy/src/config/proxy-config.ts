/**
 * The proxy's one configuration file (YAML or JSON), validated with zod. Secrets are never
 * written in it: the upstream password, the PDP API key and the protection key come from
 * environment variables or files it names, and `redactedConfig` is all that is ever logged.
 */
import { ConfigError, loadConfigFile, logSettingsSchema, parseConfigText, pdpConnectionSchema, readSecret as readSecretFrom, resolveFrom, secretRefSchema } from '@safax/service-kit';
import type { ConfigFormat, SecretRef } from '@safax/service-kit';
import { z } from 'zod';
import { HARMLESS_KINDS } from '../sql/analyze-statement';
import type { HarmlessKind } from '../sql/analyze-statement';

const host = z.string().min(1).max(255);
const port = z.number().int().min(0).max(65535);

export const DEFAULT_DENIED_FUNCTIONS = [
  // Run SQL text the proxy never sees.
  'query_to_xml', 'query_to_xmlschema', 'query_to_xml_and_xmlschema', 'cursor_to_xml', 'cursor_to_xmlschema',
  'table_to_xml', 'table_to_xmlschema', 'table_to_xml_and_xmlschema', 'schema_to_xml', 'schema_to_xmlschema', 'schema_to_xml_and_xmlschema',
  'database_to_xml', 'database_to_xmlschema', 'database_to_xml_and_xmlschema', 'ts_stat', 'dblink', 'dblink_exec', 'dblink_open', 'dblink_fetch', 'dblink_send_query',
  // Files, large objects and server control.
  'pg_read_file', 'pg_read_binary_file', 'pg_ls_dir', 'pg_stat_file', 'pg_ls_logdir', 'pg_ls_waldir', 'pg_ls_tmpdir', 'pg_ls_archive_statusdir',
  'lo_import', 'lo_export', 'lo_get', 'lo_put', 'lo_from_bytea', 'lo_open', 'loread', 'lowrite', 'lo_create', 'lo_unlink', 'lo_truncate',
  'set_config', 'pg_reload_conf', 'pg_rotate_logfile', 'pg_terminate_backend', 'pg_cancel_backend', 'pg_promote', 'pg_switch_wal', 'pg_file_write',
];

export const DEFAULT_PUBLIC_RELATIONS = [
  'pg_catalog.pg_type', 'pg_catalog.pg_namespace', 'pg_catalog.pg_class', 'pg_catalog.pg_attribute', 'pg_catalog.pg_attrdef', 'pg_catalog.pg_constraint',
  'pg_catalog.pg_index', 'pg_catalog.pg_description', 'pg_catalog.pg_database', 'pg_catalog.pg_am', 'pg_catalog.pg_range', 'pg_catalog.pg_enum',
  'pg_catalog.pg_collation', 'pg_catalog.pg_inherits', 'pg_catalog.pg_settings', 'pg_catalog.pg_tablespace', 'pg_catalog.pg_extension',
];

export const configSchema = z
  .object({
    listen: z.object({ host: host.default('0.0.0.0'), port: port.default(6432) }).strict().prefault({}),
    tls: z.object({ certFile: z.string().min(1), keyFile: z.string().min(1) }).strict().optional(),
    health: z.object({ host: host.default('127.0.0.1'), port: port.default(6480) }).strict().optional(),
    upstream: z
      .object({
        host,
        port: port.default(5432),
        database: z.string().min(1).max(63),
        user: z.string().min(1).max(63),
        password: secretRefSchema.optional(),
        ssl: z.union([z.literal(false), z.object({ rejectUnauthorized: z.boolean().default(true), caFile: z.string().optional() }).strict()]).default(false),
        connectTimeoutMs: z.number().int().min(100).max(120_000).default(5000),
      })
      .strict(),
    relay: z.object({ onBehalfOf: z.boolean().default(true) }).strict().optional(),
    pdp: pdpConnectionSchema,
    protection: z.object({ key: secretRefSchema }).strict().optional(),
    users: z.object({ file: z.string().min(1) }).strict(),
    policy: z
      .object({
        defaultSchema: z.string().min(1).max(63).default('public'),
        harmless: z.array(z.enum(HARMLESS_KINDS)).default(['set', 'reset', 'show', 'transaction', 'select-constants', 'discard', 'deallocate', 'cursor']),
        publicRelations: z.array(z.string().regex(/^[^.]+\.[^.]+$/)).default(DEFAULT_PUBLIC_RELATIONS),
        deniedFunctions: z.array(z.string().min(1)).default(DEFAULT_DENIED_FUNCTIONS),
        protectedSettings: z.array(z.string().min(1)).default(['search_path', 'role', 'session_authorization', 'session_replication_role', 'client_encoding']),
        allowProtectedPredicates: z.boolean().default(false),
        preparedDecisionTtlMs: z.number().int().min(0).default(60_000),
      })
      .strict()
      .prefault({}),
    limits: z
      .object({
        maxStatementBytes: z.number().int().min(1024).default(1_048_576),
        maxMessageBytes: z.number().int().min(65_536).default(268_435_456),
        parseCacheEntries: z.number().int().min(1).default(2000),
        catalogTtlMs: z.number().int().min(0).default(30_000),
        highWaterBytes: z.number().int().min(16_384).default(1_048_576),
        maxConnections: z.number().int().min(1).default(1000),
        shutdownGraceMs: z.number().int().min(0).default(10_000),
      })
      .strict()
      .prefault({}),
    log: logSettingsSchema,
  })
  .strict();

export type ProxyConfigFile = z.infer<typeof configSchema>;
export type { SecretRef };

export interface ProxyConfig extends ProxyConfigFile {
  /** Directory of the config file: relative paths in it are resolved from there. */
  readonly baseDir: string;
}

export { ConfigError };

export function parseConfig(text: string, baseDir: string, format: ConfigFormat = 'yaml'): ProxyConfig {
  const c = parseConfigText(configSchema, text, format);
  if (c.relay === undefined && c.protection === undefined) throw new ConfigError('protection.key: required (pseudonymisation needs a key) unless the proxy is in relay mode');
  return { ...c, baseDir };
}

export function loadConfig(path: string): ProxyConfig {
  return loadConfigFile(path, parseConfig);
}

export function resolvePath(config: ProxyConfig, p: string): string {
  return resolveFrom(config.baseDir, p);
}

/** Reads a secret from its env variable or file (trailing newline dropped); throws when absent. */
export function readSecret(config: ProxyConfig, ref: SecretRef, what: string, env: NodeJS.ProcessEnv = process.env): string {
  return readSecretFrom(config.baseDir, ref, what, env);
}

/** The configuration as it may be logged: secret references only, never values. */
export function redactedConfig(config: ProxyConfig): Record<string, unknown> {
  return {
    listen: config.listen,
    tls: config.tls !== undefined,
    health: config.health,
    upstream: { host: config.upstream.host, port: config.upstream.port, database: config.upstream.database, user: config.upstream.user, ssl: config.upstream.ssl !== false },
    relay: config.relay,
    pdp: { url: config.pdp.url, format: config.pdp.format, timeoutMs: config.pdp.timeoutMs, cache: config.pdp.cache },
    users: config.users,
    policy: { defaultSchema: config.policy.defaultSchema, harmless: config.policy.harmless, allowProtectedPredicates: config.policy.allowProtectedPredicates },
  };
}

export function harmlessSet(config: ProxyConfig): ReadonlySet<HarmlessKind> {
  return new Set(config.policy.harmless);
}
