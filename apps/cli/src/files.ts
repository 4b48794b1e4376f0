/** Reading the user's files and URLs, each failure one clear CliError. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { networkCause } from './contract/api-client';
import { CliError } from './exit-codes';

const MAX_FILE_BYTES = 8 * 1024 * 1024;

export function readText(path: string, cwd: string): string {
  const full = resolve(cwd, path);
  let size: number;
  try {
    const st = statSync(full);
    if (st.isDirectory()) throw new CliError('bad-input', `${path} is a folder, not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError('bad-input', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (size > MAX_FILE_BYTES) throw new CliError('bad-input', `${path} is larger than ${MAX_FILE_BYTES} bytes`);
  try {
    return readFileSync(full, 'utf8');
  } catch (e) {
    throw new CliError('bad-input', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

export function readJson(path: string, cwd: string): unknown {
  const text = readText(path, cwd);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CliError('bad-input', `${path} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Files given as files or folders: folders are walked (sorted) for names matching `ext`. */
export function expandFiles(args: readonly string[], cwd: string, ext: RegExp): string[] {
  const out: string[] = [];
  const walk = (dir: string, shown: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const label = join(shown, name);
      if (statSync(full).isDirectory()) walk(full, label);
      else if (ext.test(name)) out.push(label);
    }
  };
  for (const a of args) {
    const full = resolve(cwd, a);
    let st;
    try {
      st = statSync(full);
    } catch (e) {
      throw new CliError('bad-input', `cannot read ${a}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    if (st.isDirectory()) walk(full, a);
    else out.push(a);
  }
  return out;
}

/** A small document from an http(s) URL (a service descriptor), with a timeout and a size cap. */
export async function fetchText(url: string, timeoutMs: number, maxBytes = 1024 * 1024): Promise<string> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new CliError('usage', `not a URL: ${url}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new CliError('usage', `only http(s) URLs: ${url}`);
  let res: Response;
  try {
    res = await fetch(u, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (e) {
    throw new CliError('unreachable', `cannot fetch ${url}: ${networkCause(e)}`);
  }
  if (!res.ok) throw new CliError('bad-input', `cannot fetch ${url}: HTTP ${res.status}`);
  const text = await res.text();
  if (text.length > maxBytes) throw new CliError('bad-input', `${url}: larger than ${maxBytes} bytes`);
  return text;
}
