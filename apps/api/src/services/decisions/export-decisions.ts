/**
 * Exports the filtered range of a domain's decision log as CSV (one row per transaction: the
 * summary columns) or JSON Lines (one entry per line, as GET …/decisions/{txId} shows it),
 * newest first, read page by page so memory stays flat. CSV cells that a spreadsheet would run
 * as a formula are prefixed with an apostrophe.
 */
import { stringify } from 'csv-stringify/sync';
import type { AppDeps } from '../../app-deps';
import { notFound } from '../../errors/api-error';
import type { DecisionLogEntry, DecisionLogFilter } from '../../repositories/ports';
import { decisionView, namesFor, resolveFilter } from './query-decisions';

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** At most this many entries per export (narrow the time range for more). */
export const EXPORT_MAX_ENTRIES = 100_000;
const PAGE = 500;

export const CSV_COLUMNS = ['time', 'txId', 'decision', 'status', 'subject', 'action', 'resource', 'callerId', 'callerName', 'testedBy', 'format', 'policies', 'obligations', 'durationMs'] as const;

/** A cell a spreadsheet would evaluate (=, +, -, @, tab, CR) is kept as text. */
export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvRow(v: ReturnType<typeof decisionView>): string[] {
  const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
    time: v.time,
    txId: v.txId,
    decision: v.decision,
    status: v.status,
    subject: v.subject ?? '',
    action: v.action ?? '',
    resource: v.resource ?? '',
    callerId: v.callerId ?? '',
    callerName: v.callerName ?? '',
    testedBy: v.testedBy ?? '',
    format: v.format,
    policies: v.policies.join(' '),
    obligations: v.obligations.join(' '),
    durationMs: String(v.durationMs),
  };
  return CSV_COLUMNS.map((c) => (c === 'durationMs' ? cells[c] : safeCell(cells[c])));
}

export interface ExportSink {
  /** Writes a chunk; resolves once the receiver can take more. */
  write(chunk: string): Promise<void>;
}

/** Checks the domain and resolves the filter before anything is sent (errors are still HTTP errors then). */
export async function prepareExport(deps: Pick<AppDeps, 'repos' | 'decisionLog'>, domainId: string, query: DecisionLogFilter & { callerName?: string }): Promise<DecisionLogFilter | undefined> {
  if (!(await deps.repos.domains.findById(domainId))) throw notFound('domain');
  await deps.decisionLog.flush();
  return resolveFilter(deps, query);
}

/** Writes the export; returns how many entries it held. */
export async function exportDecisions(deps: Pick<AppDeps, 'repos'>, domainId: string, filter: DecisionLogFilter | undefined, format: ExportFormat, sink: ExportSink): Promise<number> {
  if (format === 'csv') await sink.write(stringify([[...CSV_COLUMNS]]));
  if (filter === undefined) return 0;
  let cursor: { time: Date; txId: string } | undefined;
  let n = 0;
  while (n < EXPORT_MAX_ENTRIES) {
    const rows: DecisionLogEntry[] = await deps.repos.decisions.query(domainId, filter, { limit: Math.min(PAGE, EXPORT_MAX_ENTRIES - n), ...(cursor ? { cursor } : {}) });
    if (rows.length === 0) break;
    const nameOf = await namesFor(deps, rows);
    const views = rows.map((e) => decisionView(e, nameOf));
    await sink.write(format === 'csv' ? stringify(views.map(csvRow)) : views.map((v) => `${JSON.stringify(v)}\n`).join(''));
    n += rows.length;
    const last = rows[rows.length - 1];
    if (!last || rows.length < PAGE) break;
    cursor = { time: last.time, txId: last.txId };
  }
  return n;
}
