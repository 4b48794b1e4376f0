/** Reads a domain's decision log, newest first, with filters and a cursor for the next page. */
import type { AppDeps } from '../../app-deps';
import { ApiError, notFound } from '../../errors/api-error';
import type { DecisionLogEntry, DecisionLogFilter } from '../../repositories/ports';

export function decisionView(e: DecisionLogEntry) {
  return {
    txId: e.txId,
    time: e.time.toISOString(),
    callerId: e.callerId,
    format: e.format,
    decision: e.decision,
    status: e.statusCode,
    obligations: [...e.obligations],
    policies: [...e.policies],
    calls: e.calls.map((c) => ({ ...c })),
    durationMs: e.durationMs,
    ...(e.request !== null ? { request: e.request } : {}),
    ...(e.response !== null ? { response: e.response } : {}),
    ...(e.trace ? { trace: e.trace.map((t) => ({ ...t })) } : {}),
    ...(e.testedBy ? { testedBy: e.testedBy } : {}),
  };
}

function encodeCursor(e: DecisionLogEntry): string {
  return Buffer.from(JSON.stringify([e.time.toISOString(), e.txId])).toString('base64url');
}

function decodeCursor(c: string): { time: Date; txId: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
    if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string') {
      const time = new Date(v[0]);
      if (!Number.isNaN(time.getTime())) return { time, txId: v[1] };
    }
  } catch {
    // fall through: reported below
  }
  throw new ApiError('bad-request', 'invalid cursor');
}

export async function queryDecisions(deps: Pick<AppDeps, 'repos' | 'decisionLog'>, domainId: string, filter: DecisionLogFilter, page: { limit: number; cursor?: string }) {
  if (!(await deps.repos.domains.findById(domainId))) throw notFound('domain');
  // Entries still in the write-behind queue become visible to their owner right away.
  await deps.decisionLog.flush();
  const rows = await deps.repos.decisions.query(domainId, filter, { limit: page.limit + 1, ...(page.cursor !== undefined ? { cursor: decodeCursor(page.cursor) } : {}) });
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items: items.map(decisionView), nextCursor: rows.length > page.limit && last ? encodeCursor(last) : null };
}
