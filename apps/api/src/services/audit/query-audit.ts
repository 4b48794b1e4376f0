/** Reads the audit trail, newest first, with filters and a cursor for the next page. */
import type { AppDeps } from '../../app-deps';
import { ApiError } from '../../errors/api-error';
import type { AuditFilter, AuditRecord } from '../../repositories/ports';

export function auditView(e: AuditRecord) {
  return {
    txId: e.txId,
    time: e.time.toISOString(),
    actor: e.actorId !== null ? { id: e.actorId, name: e.actorName ?? e.actorId } : null,
    action: e.action,
    projectId: e.projectId,
    domainId: e.domainId,
    resource: { type: e.resourceType, id: e.resourceId },
    summary: e.summary,
    ...(e.details !== null ? { details: e.details } : {}),
    outcome: e.outcome,
    status: e.status,
    errorCode: e.errorCode,
    finishedAt: e.finishedAt?.toISOString() ?? null,
  };
}

function encodeCursor(e: AuditRecord): string {
  return Buffer.from(JSON.stringify([e.time.toISOString(), e.id])).toString('base64url');
}

function decodeCursor(c: string): { time: Date; id: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
    if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string') {
      const time = new Date(v[0]);
      if (!Number.isNaN(time.getTime())) return { time, id: v[1] };
    }
  } catch {
    // fall through: reported below
  }
  throw new ApiError('bad-request', 'invalid cursor');
}

export async function queryAudit(deps: Pick<AppDeps, 'repos'>, filter: AuditFilter, page: { limit: number; cursor?: string }) {
  const rows = await deps.repos.audit.query(filter, { limit: page.limit + 1, ...(page.cursor !== undefined ? { cursor: decodeCursor(page.cursor) } : {}) });
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items: items.map(auditView), nextCursor: rows.length > page.limit && last ? encodeCursor(last) : null };
}
