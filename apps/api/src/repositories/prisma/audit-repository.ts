/** The audit trail in Prisma: one row per change, begun before it and finished after it. */
import type { Db } from '../../db/open-database';
import { AUDIT_OUTCOMES } from '../ports';
import type { AuditFilter, AuditOutcome, AuditRecord, AuditRepository } from '../ports';

interface Row {
  id: string;
  txId: string;
  time: Date;
  actorId: string | null;
  actorName: string | null;
  action: string;
  projectId: string | null;
  domainId: string | null;
  resourceType: string;
  resourceId: string | null;
  summary: string;
  details: string | null;
  outcome: string;
  status: number | null;
  errorCode: string | null;
  finishedAt: Date | null;
}

function details(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  const v: unknown = JSON.parse(text);
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function toRecord(r: Row): AuditRecord {
  const outcome: AuditOutcome = (AUDIT_OUTCOMES as readonly string[]).includes(r.outcome) ? (r.outcome as AuditOutcome) : 'pending';
  return { ...r, details: details(r.details), outcome };
}

function where(f: AuditFilter) {
  const time = { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) };
  return {
    ...(f.projectId !== undefined ? { projectId: f.projectId } : {}),
    ...(f.domainId !== undefined ? { domainId: f.domainId } : {}),
    ...(f.actor !== undefined ? { OR: [{ actorId: f.actor }, { actorName: f.actor }] } : {}),
    ...(f.action !== undefined ? (f.action.includes('.') ? { action: f.action } : { action: { startsWith: `${f.action}.` } }) : {}),
    ...(f.outcome !== undefined ? { outcome: f.outcome } : {}),
    ...(f.from || f.to ? { time } : {}),
  };
}

export function prismaAuditRepository(db: Db): AuditRepository {
  return {
    begin: async (e) => {
      await db.auditEntry.create({
        data: { ...e, details: e.details === null ? null : JSON.stringify(e.details), outcome: 'pending' },
      });
    },
    finish: async (id, f) => {
      const n = await db.auditEntry.updateMany({
        // Only a pending entry is finished: an outcome, once written, never changes.
        where: { id, outcome: 'pending' },
        data: {
          outcome: f.outcome,
          status: f.status,
          errorCode: f.errorCode ?? null,
          finishedAt: f.finishedAt,
          ...(f.summary !== undefined ? { summary: f.summary } : {}),
          ...(f.details !== undefined ? { details: f.details === null ? null : JSON.stringify(f.details) } : {}),
          ...(f.projectId !== undefined ? { projectId: f.projectId } : {}),
          ...(f.domainId !== undefined ? { domainId: f.domainId } : {}),
          ...(f.resourceId !== undefined ? { resourceId: f.resourceId } : {}),
        },
      });
      return n.count > 0;
    },
    query: async (f, page) => {
      const base = where(f);
      const rows = await db.auditEntry.findMany({
        where: page.cursor ? { AND: [base, { OR: [{ time: { lt: page.cursor.time } }, { time: page.cursor.time, id: { lt: page.cursor.id } }] }] } : base,
        orderBy: [{ time: 'desc' }, { id: 'desc' }],
        take: page.limit,
      });
      return rows.map(toRecord);
    },
  };
}
