/** Projects and their collaborators. */
import { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { requireActor } from '../auth/authenticate';
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
  const project = (req: Request) => ({ type: 'project' as const, id: pathParam(req, 'projectId') });

  r.post('/api/v1/projects', guard('project:create', () => ({ type: 'system' })), async (req, res) => {
    res.status(201).json(await createProject(deps, requireActor(res.locals), validate(createProjectBody, req.body)));
  });
  r.get('/api/v1/projects', guard('project:list', () => ({ type: 'system' })), async (_req, res) => {
    res.json({ items: await listProjects(deps, requireActor(res.locals)) });
  });
  r.get('/api/v1/projects/:projectId', guard('project:read', project), async (req, res) => {
    res.json(await getProject(deps, pathParam(req, 'projectId')));
  });
  r.patch('/api/v1/projects/:projectId', guard('project:update', project), async (req, res) => {
    const body = validate(updateProjectBody, req.body);
    res.json(await updateProject(deps, pathParam(req, 'projectId'), { ...(body.name !== undefined ? { name: body.name } : {}), ...(body.description !== undefined ? { description: body.description } : {}) }));
  });
  r.delete('/api/v1/projects/:projectId', guard('project:delete', project), async (req, res) => {
    await deleteProject(deps, pathParam(req, 'projectId'));
    res.status(204).end();
  });
  r.put('/api/v1/projects/:projectId/collaborators/:principal', guard('collaborator:add', project), async (req, res) => {
    res.json(await addCollaborator(deps, pathParam(req, 'projectId'), pathParam(req, 'principal')));
  });
  r.delete('/api/v1/projects/:projectId/collaborators/:principal', guard('collaborator:remove', project), async (req, res) => {
    res.json(await removeCollaborator(deps, pathParam(req, 'projectId'), pathParam(req, 'principal')));
  });
  return r;
}
