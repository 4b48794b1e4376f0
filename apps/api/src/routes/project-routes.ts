/** Projects and their collaborators. */
import { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { requireActor } from '../auth/authenticate';
import { onProject, onSystem } from '../audit/audit-scopes';
import { auditTrail, noteAudit } from '../audit/audit-trail';
import type { Guard } from '../pep/guard';
import { addCollaborator } from '../services/projects/add-collaborator';
import { createProject } from '../services/projects/create-project';
import { deleteProject } from '../services/projects/delete-project';
import { getProject } from '../services/projects/get-project';
import { listProjects } from '../services/projects/list-projects';
import { removeCollaborator } from '../services/projects/remove-collaborator';
import { updateProject } from '../services/projects/update-project';
import { pathParam, validate } from './http-helpers';

const name = z.string().trim().min(1).max(100);
export const createProjectBody = z.strictObject({ name, description: z.string().max(2000).optional() });
export const updateProjectBody = z
  .strictObject({ name: name.optional(), description: z.string().max(2000).optional() })
  .refine((b) => b.name !== undefined || b.description !== undefined, 'nothing to change');

export function projectRoutes(deps: AppDeps, guard: Guard): Router {
  const r = Router();
  const audit = auditTrail(deps);
  const project = (req: Request) => ({ type: 'project' as const, id: pathParam(req, 'projectId') });

  r.post('/api/v1/projects', guard('project:create', () => ({ type: 'system' })), audit('project.create', onSystem('project')), async (req, res) => {
    const p = await createProject(deps, requireActor(res.locals), validate(createProjectBody, req.body));
    noteAudit(res, { projectId: p.id, resourceId: p.id, summary: `created project ${p.name}` });
    res.status(201).json(p);
  });
  r.get('/api/v1/projects', guard('project:list', () => ({ type: 'system' })), async (_req, res) => {
    res.json({ items: await listProjects(deps, requireActor(res.locals)) });
  });
  r.get('/api/v1/projects/:projectId', guard('project:read', project), async (req, res) => {
    res.json(await getProject(deps, pathParam(req, 'projectId')));
  });
  r.patch('/api/v1/projects/:projectId', guard('project:update', project), audit('project.update', onProject(deps)), async (req, res) => {
    const body = validate(updateProjectBody, req.body);
    const p = await updateProject(deps, pathParam(req, 'projectId'), { ...(body.name !== undefined ? { name: body.name } : {}), ...(body.description !== undefined ? { description: body.description } : {}) });
    noteAudit(res, { summary: `project ${p.name}: ${[body.name !== undefined ? 'renamed' : '', body.description !== undefined ? 'description changed' : ''].filter((x) => x).join(', ')}`, details: body });
    res.json(p);
  });
  r.delete('/api/v1/projects/:projectId', guard('project:delete', project), audit('project.delete', onProject(deps)), async (req, res) => {
    await deleteProject(deps, pathParam(req, 'projectId'));
    res.status(204).end();
  });
  r.put('/api/v1/projects/:projectId/collaborators/:principal', guard('collaborator:add', project), audit('collaborator.add', onProject(deps, 'collaborator')), async (req, res) => {
    const p = await addCollaborator(deps, pathParam(req, 'projectId'), pathParam(req, 'principal'));
    const who = p.collaborators.find((c) => c.id === pathParam(req, 'principal') || c.name === pathParam(req, 'principal'));
    noteAudit(res, { ...(who ? { resourceId: who.id } : {}), summary: `added ${who?.name ?? pathParam(req, 'principal')} as collaborator of project ${p.name}` });
    res.json(p);
  });
  r.delete('/api/v1/projects/:projectId/collaborators/:principal', guard('collaborator:remove', project), audit('collaborator.remove', onProject(deps, 'collaborator')), async (req, res) => {
    const { project: p, principal } = await removeCollaborator(deps, pathParam(req, 'projectId'), pathParam(req, 'principal'));
    noteAudit(res, { resourceId: principal.id, summary: `removed ${principal.name} as collaborator of project ${p.name}` });
    res.json(p);
  });
  return r;
}
