/**
 * Statement text → the facts of each of its statements, cached by text (pure: the same text
 * always has the same facts; what depends on the session, such as temporary tables, is
 * resolved later). Clients repeat a small set of texts, so a repeated statement is neither
 * parsed nor analysed again.
 */
import { LRUCache } from 'lru-cache';
import { analyzeStatement } from './analyze-statement';
import type { AnalyzeOptions, StatementFacts } from './analyze-statement';
import { createSqlParser } from './parse-sql';
import type { ParseOutcome } from './parse-sql';

export type AnalysisOutcome = { readonly ok: true; readonly statements: readonly StatementFacts[] } | (ParseOutcome & { readonly ok: false });

export interface StatementAnalyzer {
  analyze(text: string): AnalysisOutcome;
}

export function createStatementAnalyzer(options: AnalyzeOptions & { maxBytes: number; cacheEntries: number }): StatementAnalyzer {
  // The parse trees themselves need no cache of their own: only analyses are reused.
  const parser = createSqlParser({ maxBytes: options.maxBytes, cacheEntries: 1 });
  const cache = new LRUCache<string, AnalysisOutcome>({ max: Math.max(1, options.cacheEntries) });
  return {
    analyze(text) {
      const hit = cache.get(text);
      if (hit !== undefined) return hit;
      const parsed = parser.parse(text);
      if (!parsed.ok) return parsed;
      const outcome: AnalysisOutcome = { ok: true, statements: parsed.statements.map((s) => analyzeStatement(s.stmt, options)) };
      cache.set(text, outcome);
      return outcome;
    },
  };
}
