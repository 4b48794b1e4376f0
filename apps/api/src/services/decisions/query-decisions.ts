/** Reads a domain's decision log, newest first, with filters and a cursor for the next page. */
import { textProblem } from '../../server/input-hygiene';
import type { AppDeps } from '../../app-deps';
import { ApiError, notFound } from '../../errors/api-error';
import type { DecisionLogEntry, DecisionLogFilter } from '../../repositories/ports';
import { principalNames } from '../principals/principal-names';
import type { NameOf } from '../principals/principal-names';

export function decisionView(e: DecisionLogEntry, nameOf?: NameOf) {
  return {
    txId: e.txId,
    time: e.time.toISOString(),
    callerId: e.callerId,
    ...(nameOf ? { callerName: nameOf(e.callerId) } : {}),
    format: e.format,
    decision: e.decision,
    status: e.statusCode,
    subject: e.subject ?? null,
    action: e.action ?? null,
    resource: e.resource ?? null,
    obligations: [...e.obligations],
    policies: [...e.policies],
    calls: e.calls.map((c) => ({ ...c })),
    durationMs: e.durationMs,
    ...(e.request !== null ? { request: e.request } : {}),
    ...(e.response !== null ? { response: e.response } : {}),
    ...(e.trace ? { trace: e.trace.map((t) => ({ ...t })) } : {}),
    ...(e.testedBy ? { testedBy: e.testedBy, ...(nameOf ? { testedByName: nameOf(e.testedBy) } : {}) } : {}),
  };
}

/** Names for the callers and testers of some entries. */
export function namesFor(deps: Pick<AppDeps, 'repos'>, entries: readonly DecisionLogEntry[]): Promise<NameOf> {
  return principalNames(deps, entries.flatMap((e) => [e.callerId, e.testedBy]));
}

export function encodeCursor(e: DecisionLogEntry): string {
  return Buffer.from(JSON.stringify([e.time.toISOString(), e.txId])).toString('base64url');
}

export function decodeCursor(c: string): { time: Date; txId: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
    if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string') {
      const time = new Date(v[0]);
      // Dates the databases can hold (a year past 9999 fails in the query, not here).
      if (time.getUTCFullYear() >= 1970 && time.getUTCFullYear() <= 9999 && v[1].length <= 200 && textProblem(v[1]) === undefined) return { time, txId: v[1] };
    }
  } catch {
    // fall through: reported below
  }
  throw new ApiError('bad-request', 'invalid cursor');
}

/** The filter the API's query names, with a caller given by name resolved to its id (undefined: nobody has that name). */
export async function resolveFilter(deps: Pick<AppDeps, 'repos'>, filter: DecisionLogFilter & { callerName?: string }): Promise<DecisionLogFilter | undefined> {
  const { callerName, ...rest } = filter;
  if (callerName === undefined) return rest;
  const p = await deps.repos.principals.findByName(callerName);
  if (!p || (rest.callerId !== undefined && rest.callerId !== p.id)) return undefined;
  return { ...rest, callerId: p.id };
}

export async function queryDecisions(deps: Pick<AppDeps, 'repos' | 'decisionLog'>, domainId: string, query: DecisionLogFilter & { callerName?: string }, page: { limit: number; cursor?: string }) {
  if (!(await deps.repos.domains.findById(domainId))) throw notFound('domain');
  const cursor = page.cursor !== undefined ? decodeCursor(page.cursor) : undefined;
  const filter = await resolveFilter(deps, query);
  if (filter === undefined) return { items: [], nextCursor: null };
  // Entries still in the write-behind queue become visible to their owner right away.
  await deps.decisionLog.flush();
  const rows = await deps.repos.decisions.query(domainId, filter, { limit: page.limit + 1, ...(cursor ? { cursor } : {}) });
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  const nameOf = await namesFor(deps, items);
  return { items: items.map((e) => decisionView(e, nameOf)), nextCursor: rows.length > page.limit && last ? encodeCursor(last) : null };
}
