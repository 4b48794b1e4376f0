/**
 * The real PostgreSQL parser (libpg-query, WebAssembly: no native build) behind a small
 * typed result, with a cache of parse trees by statement text (clients repeat the same texts)
 * and a size limit (a hostile client must not make the proxy parse megabytes per message).
 */
import { loadModule, parseSync } from 'libpg-query';
import { LRUCache } from 'lru-cache';

export interface ParsedStatement {
  /** The statement's node, e.g. `{ SelectStmt: {...} }`. */
  readonly stmt: unknown;
  /** The statement's own text (a query string may hold several). */
  readonly text: string;
}

export type ParseOutcome =
  | { readonly ok: true; readonly statements: readonly ParsedStatement[] }
  | { readonly ok: false; readonly reason: 'syntax' | 'too-large' | 'parser-failure'; readonly message: string; readonly position?: number };

let loaded: Promise<void> | undefined;

/** Loads the WebAssembly parser once; call before the first `parseSql`. */
export function loadParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

export interface SqlParser {
  parse(text: string): ParseOutcome;
}

export function createSqlParser(options: { maxBytes: number; cacheEntries: number }): SqlParser {
  const cache = new LRUCache<string, ParseOutcome>({ max: Math.max(1, options.cacheEntries) });
  return {
    parse(text) {
      if (Buffer.byteLength(text, 'utf8') > options.maxBytes) return { ok: false, reason: 'too-large', message: `statement longer than ${options.maxBytes} bytes` };
      const hit = cache.get(text);
      if (hit !== undefined) return hit;
      const outcome = parseUncached(text);
      // Only successes are worth keeping: garbage must not evict the working set.
      if (outcome.ok) cache.set(text, outcome);
      return outcome;
    },
  };
}

function parseUncached(text: string): ParseOutcome {
  let result: { stmts?: { stmt?: unknown; stmt_location?: number; stmt_len?: number }[] };
  try {
    result = parseSync(text) as typeof result;
  } catch (err) {
    const details = (err as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    const message = err instanceof Error ? err.message : String(err);
    if (details !== undefined) return { ok: false, reason: 'syntax', message, position: details.cursorPosition };
    // A RangeError (nesting too deep for JSON.parse) or an abort of the WebAssembly module.
    return { ok: false, reason: 'parser-failure', message };
  }
  const statements: ParsedStatement[] = [];
  // Locations are byte offsets into the UTF-8 text.
  const bytes = Buffer.from(text, 'utf8');
  for (const raw of result.stmts ?? []) {
    if (raw.stmt === undefined) continue;
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len === undefined || raw.stmt_len === 0 ? bytes.length : start + raw.stmt_len;
    statements.push({ stmt: raw.stmt, text: bytes.subarray(start, end).toString('utf8').trim() });
  }
  return { ok: true, statements };
}
