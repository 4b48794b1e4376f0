/**
 * The audit trail (who changed what, when, under which transaction id). Who may read which
 * part is decided by the system PDP on the scope the filters name: a project's or a domain's
 * trail (its owner and collaborators), one's own actions (`actor` = oneself), or everything
 * (admins).
 */
import { Router } from 'express';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { requireActor } from '../auth/authenticate';
import type { Guard, ResourceRef } from '../pep/guard';
import { AUDIT_OUTCOMES } from '../repositories/ports';
import { queryAudit } from '../services/audit/query-audit';
import { validate } from './http-helpers';

export const auditQuery = z.strictObject({
  project: z.string().min(1).max(200).optional(),
  domain: z.string().min(1).max(200).optional(),
  actor: z.string().min(1).max(200).optional(),
  action: z.string().regex(/^[a-z][a-z-]*(\.[a-z][a-z-]*)?$/, 'an action (policy.upload) or a family (policy)').optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).max(500).optional(),
});

export function auditRoutes(deps: AppDeps, guard: Guard): Router {
  const r = Router();
  /** The scope the filters name, decided by the PEP like any other resource. */
  const scoped = async (req: Request, res: Response, next: NextFunction) => {
    const q = validate(auditQuery, req.query);
    const actor = requireActor(res.locals);
    let ref: ResourceRef = { type: 'system' };
    if (q.project !== undefined) ref = { type: 'project', id: q.project };
    else if (q.domain !== undefined) ref = { type: 'domain', id: q.domain };
    else if (q.actor !== undefined && (q.actor === actor.id || q.actor === actor.name)) ref = { type: 'principal', id: actor.id };
    return guard('audit:read', () => ref)(req, res, next);
  };
  r.get('/api/v1/audit', scoped, async (req, res) => {
    const q = validate(auditQuery, req.query);
    res.json(
      await queryAudit(
        deps,
        {
          ...(q.project !== undefined ? { projectId: q.project } : {}),
          ...(q.domain !== undefined ? { domainId: q.domain } : {}),
          ...(q.actor !== undefined ? { actor: q.actor } : {}),
          ...(q.action !== undefined ? { action: q.action } : {}),
          ...(q.outcome !== undefined ? { outcome: q.outcome } : {}),
          ...(q.from !== undefined ? { from: new Date(q.from) } : {}),
          ...(q.to !== undefined ? { to: new Date(q.to) } : {}),
        },
        { limit: q.limit, ...(q.cursor !== undefined ? { cursor: q.cursor } : {}) },
      ),
    );
  });
  return r;
}
