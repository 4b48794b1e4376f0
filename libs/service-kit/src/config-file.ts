/**
 * A program's one configuration file (YAML or JSON) validated by its zod schema, with secrets
 * by reference: the file names an environment variable or a file, never the value.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export class ConfigError extends Error {}

export type ConfigFormat = 'yaml' | 'json';

/** Where a secret is: an environment variable, a file (relative to the configuration file), or the variable with the file as fallback. */
export const secretRefSchema = z
  .object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(), file: z.string().min(1).optional() })
  .strict()
  .refine((s) => s.env !== undefined || s.file !== undefined, 'name an env variable or a file');
export type SecretRef = z.infer<typeof secretRefSchema>;

/** Parses and validates; every problem is named by its path in one ConfigError. YAML aliases are refused (no expansion bombs). */
export function parseConfigText<S extends z.ZodType>(schema: S, text: string, format: ConfigFormat = 'yaml'): z.infer<S> {
  let raw: unknown;
  try {
    raw = format === 'json' ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 0 });
  } catch (err) {
    throw new ConfigError(`not valid ${format.toUpperCase()}: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  return parsed.data;
}

/** Reads the file and hands its text, its directory and its format (by extension) to `parse`. */
export function loadConfigFile<T>(path: string, parse: (text: string, baseDir: string, format: ConfigFormat) => T): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${path}: ${(err as Error).message}`);
  }
  return parse(text, dirname(resolve(path)), path.endsWith('.json') ? 'json' : 'yaml');
}

/** A path from the configuration, relative to the configuration file's directory. */
export function resolveFrom(baseDir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(baseDir, p);
}

/** Reads a secret from its env variable or file (trailing newline dropped); throws a ConfigError naming `what` when absent. */
export function readSecret(baseDir: string, ref: SecretRef, what: string, env: NodeJS.ProcessEnv = process.env): string {
  if (ref.env !== undefined) {
    const v = env[ref.env];
    if (v !== undefined && v !== '') return v;
    if (ref.file === undefined) throw new ConfigError(`${what}: environment variable ${ref.env} is not set`);
  }
  const file = resolveFrom(baseDir, ref.file as string);
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new ConfigError(`${what}: cannot read ${file}: ${(err as Error).message}`);
  }
}

/** `log:` — the level of the structured logs. */
export const logSettingsSchema = z.object({ level: z.enum(['debug', 'info', 'warn', 'error']).default('info') }).strict().prefault({});

/** `pdp:` — how the program's PEP reaches its SAFAX-TS PDP-URL (the PEP SDK's client settings). */
export const pdpConnectionSchema = z
  .object({
    url: z.string().url(),
    apiKey: secretRefSchema.optional(),
    format: z.enum(['xacml-json', 'xacml-xml']).default('xacml-json'),
    timeoutMs: z.number().int().min(10).max(60_000).default(2000),
    cache: z.union([z.literal(false), z.object({ ttlMs: z.number().int().min(1).max(3_600_000), maxEntries: z.number().int().min(1).max(10_000_000).default(10_000) }).strict()]).default(false),
    /** The SDK's circuit breaker: after failureThreshold failures no call is made for halfOpenAfterMs (the PEP denies at once); absent: the SDK's default; false: off. */
    breaker: z.union([z.literal(false), z.object({ failureThreshold: z.number().int().min(1).max(1000), halfOpenAfterMs: z.number().int().min(10).max(600_000) }).strict()]).optional(),
  })
  .strict();
