/**
 * What audited routes are about, read from the request before the change: a system-wide
 * resource, a project, or a domain (with its project, so the project's trail lists it).
 */
import type { Request } from 'express';
import type { AppDeps } from '../app-deps';
import { pathParam } from '../routes/http-helpers';
import type { AuditScope, AuditTarget } from './audit-trail';

/** A resource outside any project (services, principals, keys, guests). */
export function onSystem(resourceType: string, idParam?: string): AuditScope {
  return (req: Request): AuditTarget => ({ resourceType, ...(idParam !== undefined ? { resourceId: pathParam(req, idParam) } : {}) });
}

/** The project of the `projectId` path parameter. */
export function onProject(deps: Pick<AppDeps, 'repos'>, resourceType = 'project'): AuditScope {
  return async (req: Request): Promise<AuditTarget> => {
    const projectId = pathParam(req, 'projectId');
    const p = await deps.repos.projects.findById(projectId);
    return { resourceType, resourceId: projectId, projectId, ...(p ? { summary: `project ${p.name}` } : {}) };
  };
}

/** A principal (the `principalId` path parameter), named in the entry. */
export function onPrincipal(deps: Pick<AppDeps, 'repos'>, resourceType = 'principal', idParam = 'principalId'): AuditScope {
  return async (req: Request): Promise<AuditTarget> => {
    const id = pathParam(req, 'principalId');
    const p = await deps.repos.principals.findById(id);
    return { resourceType, resourceId: pathParam(req, idParam), ...(p ? { summary: `principal ${p.name}` } : {}) };
  };
}

/** The domain of the `domainId` path parameter, and its project. */
export function onDomain(deps: Pick<AppDeps, 'repos'>, resourceType = 'domain', idParam?: string): AuditScope {
  return async (req: Request): Promise<AuditTarget> => {
    const domainId = pathParam(req, 'domainId');
    const d = await deps.repos.domains.findById(domainId);
    return { resourceType, resourceId: idParam !== undefined ? pathParam(req, idParam) : domainId, domainId, ...(d ? { projectId: d.projectId, summary: `domain ${d.name}` } : {}) };
  };
}
