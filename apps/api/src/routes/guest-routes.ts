/** Guest mode (SAFAX §5.2): anyone without an API key gets a throw-away guest with a test domain. */
import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import type { Guard } from '../pep/guard';
import { createGuest } from '../services/guests/create-guest';
import { validate } from './http-helpers';

export const createGuestBody = z.strictObject({});

export function guestRoutes(deps: AppDeps, guard: Guard): Router {
  const r = Router();
  r.post('/api/v1/guest', guard('guest:create', () => ({ type: 'system' })), async (req, res) => {
    validate(createGuestBody, req.body ?? {});
    res.status(201).json(await createGuest(deps));
  });
  return r;
}
