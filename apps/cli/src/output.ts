/**
 * How results reach the user: `--json` prints the data as JSON (one document) for scripts;
 * otherwise aligned tables and short lines, coloured only when allowed (see io.ts). Errors are
 * one line on stderr (`--json`: one JSON object `{ "error": { code, message } }`).
 */
import type { CliError } from './exit-codes';
import type { Io } from './io';

export interface Output {
  readonly json: boolean;
  readonly color: boolean;
  /** The result as data (--json) or as human text produced by `human`. */
  result(data: unknown, human?: () => string): void;
  line(text: string): void;
  /** Progress on stderr, only on a terminal and not in --json mode. */
  progress(text: string): void;
  warn(text: string): void;
  error(e: CliError): void;
  paint(color: Color, text: string): string;
}

export type Color = 'red' | 'green' | 'yellow' | 'dim' | 'bold';
const SGR: Record<Color, [number, number]> = { red: [31, 39], green: [32, 39], yellow: [33, 39], dim: [2, 22], bold: [1, 22] };

export function createOutput(io: Io, opts: { json: boolean; color: boolean }): Output {
  const paint = (c: Color, t: string) => (opts.color ? `\u001b[${SGR[c][0]}m${t}\u001b[${SGR[c][1]}m` : t);
  let progressShown = false;
  const clearProgress = () => {
    if (progressShown) io.err('\r\u001b[2K');
    progressShown = false;
  };
  return {
    json: opts.json,
    color: opts.color,
    result(data, human) {
      clearProgress();
      if (opts.json || !human) io.out(`${JSON.stringify(data, null, opts.json ? 2 : 0)}\n`);
      else {
        const text = human();
        if (text !== '') io.out(text.endsWith('\n') ? text : `${text}\n`);
      }
    },
    line(text) {
      clearProgress();
      if (!opts.json) io.out(`${text}\n`);
    },
    progress(text) {
      if (opts.json || !io.stderrIsTty) return;
      io.err(`\r\u001b[2K${text}`);
      progressShown = true;
    },
    warn(text) {
      clearProgress();
      io.err(`${paint('yellow', 'warning:')} ${text}\n`);
    },
    error(e) {
      clearProgress();
      if (opts.json) io.err(`${JSON.stringify({ error: { code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) } })}\n`);
      else io.err(`${paint('red', 'safax:')} ${e.message}\n`);
    },
    paint,
  };
}

/** Aligned columns; cells are stringified, null/undefined as "-". */
export function table(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined || c === '' ? '-' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const fmt = (r: readonly string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [fmt(headers.map((h) => h.toUpperCase())), ...cells.map(fmt)].join('\n');
}
