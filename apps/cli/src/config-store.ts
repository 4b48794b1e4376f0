/**
 * The login: `$XDG_CONFIG_HOME/safax/config.json` (default ~/.config/safax; SAFAX_CONFIG_DIR
 * overrides the folder, for tests and several installations), written with mode 0600 in a 0700
 * folder since it holds an API key. SAFAX_URL / SAFAX_API_KEY and the global flags win over it.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './exit-codes';
import type { Io } from './io';

export interface StoredLogin {
  readonly url: string;
  readonly apiKey: string;
}

function isStoredLogin(v: unknown): v is StoredLogin {
  const o = v as Partial<StoredLogin> | null;
  return typeof o === 'object' && o !== null && typeof o.url === 'string' && URL.canParse(o.url) && typeof o.apiKey === 'string' && o.apiKey !== '';
}

export function configDir(io: Io): string {
  const explicit = io.env['SAFAX_CONFIG_DIR'];
  if (explicit) return explicit;
  const xdg = io.env['XDG_CONFIG_HOME'];
  return join(xdg && xdg.startsWith('/') ? xdg : join(io.env['HOME'] ?? homedir(), '.config'), 'safax');
}

export function configPath(io: Io): string {
  return join(configDir(io), 'config.json');
}

export function readLogin(io: Io): StoredLogin | null {
  let text: string;
  try {
    text = readFileSync(configPath(io), 'utf8');
  } catch {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isStoredLogin(parsed)) throw new CliError('bad-input', `${configPath(io)} is not a safax login file: run safax login again`);
  return parsed;
}

export function writeLogin(io: Io, login: StoredLogin): string {
  const dir = configDir(io);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = configPath(io);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  return path;
}

export function removeLogin(io: Io): boolean {
  const path = configPath(io);
  try {
    readFileSync(path);
  } catch {
    return false;
  }
  rmSync(path, { force: true });
  return true;
}

export interface Connection {
  readonly url: string;
  readonly apiKey: string | undefined;
}

/** Flags, then environment, then the login file. */
export function resolveConnection(io: Io, flags: { url?: string | undefined; apiKey?: string | undefined }): Connection {
  const stored = readLogin(io);
  const url = flags.url ?? io.env['SAFAX_URL'] ?? stored?.url;
  if (!url) throw new CliError('auth', 'not logged in: run safax login --url URL --key KEY (or set SAFAX_URL and SAFAX_API_KEY)');
  try {
    new URL(url);
  } catch {
    throw new CliError('usage', `not a URL: ${url}`);
  }
  return { url: url.replace(/\/+$/, ''), apiKey: flags.apiKey ?? io.env['SAFAX_API_KEY'] ?? stored?.apiKey };
}
