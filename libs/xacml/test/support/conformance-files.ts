/**
 * Locates the third-party conformance data in /work/shared/conformance (read in place, never
 * copied into the repository; see its README for the layout and the `.ignore` conventions).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** `../shared/conformance` relative to the repository root, unless SAFAX_CONFORMANCE_DIR names another place. */
export const CONFORMANCE_ROOT = process.env.SAFAX_CONFORMANCE_DIR
  ? resolve(process.env.SAFAX_CONFORMANCE_DIR)
  : resolve(__dirname, '../../../..', '../shared/conformance');

export function conformancePath(...parts: string[]): string {
  return join(CONFORMANCE_ROOT, ...parts);
}

export function readConformance(...parts: string[]): string {
  return readFileSync(conformancePath(...parts), 'utf8');
}

/** Every file under `dir` (relative to the conformance root) whose base name satisfies `accept`. */
export function findFiles(dir: string, accept: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const p = join(abs, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (accept(name)) out.push(relative(CONFORMANCE_ROOT, p));
    }
  };
  const root = conformancePath(dir);
  if (existsSync(root)) walk(root);
  return out;
}
