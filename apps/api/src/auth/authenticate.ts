/**
 * Authentication middleware: `Authorization: Bearer <api key>` → `res.locals.actor`. No header
 * → anonymous (the PEP decides whether that is enough); a wrong key → 401.
 */
import type { RequestHandler } from 'express';
import { ApiError } from '../errors/api-error';
import type { PrincipalRepository } from '../repositories/ports';
import type { Actor } from './actor';
import { hashApiKey } from './api-keys';

/** The caller an Authorization header names: null without one, 401 (thrown) for a wrong one. */
export async function actorFromHeader(principals: PrincipalRepository, header: string | undefined): Promise<Actor | null> {
  if (header === undefined) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m?.[1]) throw new ApiError('unauthenticated', 'the Authorization header must be "Bearer <api key>"');
  const principal = await principals.findByKeyHash(hashApiKey(m[1]));
  if (!principal) throw new ApiError('unauthenticated', 'unknown API key');
  return { id: principal.id, name: principal.name, roles: principal.roles };
}

export function authenticate(principals: PrincipalRepository): RequestHandler {
  return async (req, res, next) => {
    res.locals.actor = await actorFromHeader(principals, req.get('authorization'));
    next();
  };
}

/** The caller set by `authenticate` (null when anonymous). */
export function actorOf(locals: Record<string, unknown>): Actor | null {
  return (locals.actor as Actor | null | undefined) ?? null;
}

/** The caller, or 401 when anonymous. */
export function requireActor(locals: Record<string, unknown>): Actor {
  const a = actorOf(locals);
  if (!a) throw new ApiError('unauthenticated', 'an API key is required');
  return a;
}
