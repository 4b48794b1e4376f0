/**
 * The gateway's one configuration file (YAML or JSON), validated with zod. Secrets (the PDP
 * key, upstream credentials) are never written in it: it names environment variables or
 * files, and `redactedConfig` is all that is ever logged.
 */
import { ConfigError, loadConfigFile, logSettingsSchema, parseConfigText, pdpConnectionSchema, readSecret as readSecretFrom, resolveFrom, secretRefSchema } from '@safax/service-kit';
import type { ConfigFormat, SecretRef } from '@safax/service-kit';
import { z } from 'zod';

const host = z.string().min(1).max(255);
const port = z.number().int().min(0).max(65535);

/** Resource attributes a decision request may carry; the rest the PDP asks the Context Handler for. */
export const RESOURCE_ATTRIBUTES = ['owner', 'content-type', 'size', 'tags', 'created'] as const;
export type ResourceAttributeName = (typeof RESOURCE_ATTRIBUTES)[number];

const localBackend = z
  .object({
    type: z.literal('local'),
    root: z.string().min(1),
    fsync: z.boolean().default(true),
  })
  .strict();

const s3Backend = z
  .object({
    type: z.literal('s3'),
    endpoint: z.string().url(),
    region: z.string().min(1).max(64).default('us-east-1'),
    forcePathStyle: z.boolean().default(true),
    accessKeyId: secretRefSchema,
    secretAccessKey: secretRefSchema,
    /** Prefix of upstream bucket names, so one upstream account can host several gateways. */
    bucketPrefix: z.string().regex(/^[a-z0-9.-]{0,20}$/).default(''),
  })
  .strict();

export const configSchema = z
  .object({
    listen: z.object({ host: host.default('0.0.0.0'), port: port.default(9000) }).strict().prefault({}),
    tls: z.object({ certFile: z.string().min(1), keyFile: z.string().min(1) }).strict().optional(),
    /** The region clients sign for. */
    region: z.string().min(1).max(64).default('us-east-1'),
    keys: z.object({ file: z.string().min(1) }).strict(),
    backend: z.discriminatedUnion('type', [localBackend, s3Backend]),
    pdp: pdpConnectionSchema.extend({ resourceAttributes: z.array(z.enum(RESOURCE_ATTRIBUTES)).default(['owner', 'content-type', 'size']) }),
    contextHandler: z
      .object({
        listen: z.object({ host: host.default('127.0.0.1'), port: port.default(9001) }).strict().prefault({}),
        /** The URL SAFAX-TS calls (registered in the Service Repository). */
        publicUrl: z.string().url(),
        /** Source addresses allowed to ask (the SAFAX-TS hosts); empty = anyone who can reach the listener. */
        allowFrom: z.array(z.string().min(1)).default([]),
        register: z
          .object({
            apiUrl: z.string().url(),
            domainId: z.string().min(1).max(200),
            serviceId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:~-]{0,199}$/),
            timeoutMs: z.number().int().min(1).max(60_000).default(2000),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    limits: z
      .object({
        maxObjectBytes: z.number().int().min(1).default(5 * 1024 ** 4),
        maxXmlBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
        clockSkewMs: z.number().int().min(1000).max(3_600_000).default(15 * 60 * 1000),
        /** Keys a listing examines (and decides on) per call before it answers truncated. */
        maxListScan: z.number().int().min(1).max(1_000_000).default(10_000),
        minPartBytes: z.number().int().min(1).default(5 * 1024 * 1024),
        shutdownGraceMs: z.number().int().min(0).default(10_000),
      })
      .strict()
      .prefault({}),
    log: logSettingsSchema,
  })
  .strict();

export type GatewayConfigFile = z.infer<typeof configSchema>;
export type { SecretRef };

export interface GatewayConfig extends GatewayConfigFile {
  /** Directory of the config file: relative paths in it are resolved from there. */
  readonly baseDir: string;
}

export { ConfigError };

export function parseConfig(text: string, baseDir: string, format: ConfigFormat = 'yaml'): GatewayConfig {
  return { ...parseConfigText(configSchema, text, format), baseDir };
}

export function loadConfig(path: string): GatewayConfig {
  return loadConfigFile(path, parseConfig);
}

export function resolvePath(config: GatewayConfig, p: string): string {
  return resolveFrom(config.baseDir, p);
}

/** Reads a secret from its env variable or file (trailing newline dropped); throws when absent. */
export function readSecret(config: GatewayConfig, ref: SecretRef, what: string, env: NodeJS.ProcessEnv = process.env): string {
  return readSecretFrom(config.baseDir, ref, what, env);
}

/** The configuration as it may be logged: secret references only, never values. */
export function redactedConfig(config: GatewayConfig): Record<string, unknown> {
  const b = config.backend;
  return {
    listen: config.listen,
    tls: config.tls !== undefined,
    region: config.region,
    keys: config.keys,
    backend: b.type === 'local' ? { type: 'local', root: b.root, fsync: b.fsync } : { type: 's3', endpoint: b.endpoint, region: b.region, bucketPrefix: b.bucketPrefix },
    pdp: { url: config.pdp.url, format: config.pdp.format, timeoutMs: config.pdp.timeoutMs, cache: config.pdp.cache, resourceAttributes: config.pdp.resourceAttributes },
    contextHandler: config.contextHandler ? { listen: config.contextHandler.listen, publicUrl: config.contextHandler.publicUrl, allowFrom: config.contextHandler.allowFrom, register: config.contextHandler.register } : undefined,
    limits: config.limits,
  };
}
