/**
 * The proxy's one configuration file (YAML or JSON), validated with zod. Secrets are never
 * written in it: the upstream password, the PDP API key and the protection key come from
 * environment variables or files it names, and `redactedConfig` is all that is ever logged.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { HARMLESS_KINDS } from '../sql/analyze-statement';
import type { HarmlessKind } from '../sql/analyze-statement';

const host = z.string().min(1).max(255);
const port = z.number().int().min(0).max(65535);
const secretRef = z.object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(), file: z.string().min(1).optional() }).strict().refine((s) => s.env !== undefined || s.file !== undefined, 'name an env variable or a file');

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
        password: secretRef.optional(),
        ssl: z.union([z.literal(false), z.object({ rejectUnauthorized: z.boolean().default(true), caFile: z.string().optional() }).strict()]).default(false),
        connectTimeoutMs: z.number().int().min(100).max(120_000).default(5000),
      })
      .strict(),
    relay: z.object({ onBehalfOf: z.boolean().default(true) }).strict().optional(),
    pdp: z
      .object({
        url: z.string().url(),
        apiKey: secretRef.optional(),
        format: z.enum(['xacml-json', 'xacml-xml']).default('xacml-json'),
        timeoutMs: z.number().int().min(10).max(60_000).default(2000),
        cache: z.union([z.literal(false), z.object({ ttlMs: z.number().int().min(1).max(3_600_000), maxEntries: z.number().int().min(1).max(10_000_000).default(10_000) }).strict()]).default(false),
        /** The SDK's circuit breaker: after failureThreshold failures no call is made for halfOpenAfterMs (statements are denied at once). */
        breaker: z.union([z.literal(false), z.object({ failureThreshold: z.number().int().min(1).max(1000), halfOpenAfterMs: z.number().int().min(10).max(600_000) }).strict()]).optional(),
      })
      .strict(),
    protection: z.object({ key: secretRef }).strict().optional(),
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
    log: z.object({ level: z.enum(['debug', 'info', 'warn', 'error']).default('info') }).strict().prefault({}),
  })
  .strict();

export type ProxyConfigFile = z.infer<typeof configSchema>;
export type SecretRef = z.infer<typeof secretRef>;

export interface ProxyConfig extends ProxyConfigFile {
  /** Directory of the config file: relative paths in it are resolved from there. */
  readonly baseDir: string;
}

export class ConfigError extends Error {}

export function parseConfig(text: string, baseDir: string, format: 'yaml' | 'json' = 'yaml'): ProxyConfig {
  let raw: unknown;
  try {
    raw = format === 'json' ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 0 });
  } catch (err) {
    throw new ConfigError(`not valid ${format.toUpperCase()}: ${(err as Error).message}`);
  }
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  const c = parsed.data;
  if (c.relay === undefined && c.protection === undefined) throw new ConfigError('protection.key: required (pseudonymisation needs a key) unless the proxy is in relay mode');
  return { ...c, baseDir };
}

export function loadConfig(path: string): ProxyConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${path}: ${(err as Error).message}`);
  }
  return parseConfig(text, dirname(resolve(path)), path.endsWith('.json') ? 'json' : 'yaml');
}

export function resolvePath(config: ProxyConfig, p: string): string {
  return isAbsolute(p) ? p : resolve(config.baseDir, p);
}

/** Reads a secret from its env variable or file (trailing newline dropped); throws when absent. */
export function readSecret(config: ProxyConfig, ref: SecretRef, what: string, env: NodeJS.ProcessEnv = process.env): string {
  if (ref.env !== undefined) {
    const v = env[ref.env];
    if (v !== undefined && v !== '') return v;
    if (ref.file === undefined) throw new ConfigError(`${what}: environment variable ${ref.env} is not set`);
  }
  const file = resolvePath(config, ref.file as string);
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new ConfigError(`${what}: cannot read ${file}: ${(err as Error).message}`);
  }
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
