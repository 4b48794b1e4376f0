/**
 * The PEP middleware: turns an API call into an access question (who, which action, which
 * resource), loads what the system PIP knows of the resource (404 when it does not exist), and
 * lets the system PDP decide. Built per route by a factory that refuses unknown actions.
 */
import type { Request, RequestHandler } from 'express';
import { actorOf } from '../auth/authenticate';
import { ApiError } from '../errors/api-error';
import type { FactsLoader } from './resource-facts';
import { ACTIONS } from './system-attributes';
import type { Action, ResourceType } from './system-attributes';
import type { SystemPdp } from './system-pdp';

export interface ResourceRef {
  readonly type: ResourceType;
  readonly id?: string;
}

export interface PepDeps {
  readonly systemPdp: SystemPdp;
  readonly facts: FactsLoader;
}

export type Guard = (action: Action, resource: (req: Request) => ResourceRef) => RequestHandler;

const NOT_FOUND_NAME: Record<ResourceType, string> = {
  system: 'resource',
  principal: 'principal',
  project: 'project',
  domain: 'domain',
  pdp: 'PDP',
  service: 'service',
};

export function createGuard(deps: PepDeps): Guard {
  return (action, resourceOf) => {
    if (!(ACTIONS as readonly string[]).includes(action)) throw new TypeError(`unknown PEP action ${String(action)}`);
    return async (req, res, next) => {
      const actor = actorOf(res.locals);
      const ref = resourceOf(req);
      const facts = await deps.facts(ref.type, ref.id);
      if (facts === null) throw new ApiError('not-found', `${NOT_FOUND_NAME[ref.type]} not found`);
      const decision = await deps.systemPdp.decide({ actor, action, resourceType: ref.type, ...(ref.id !== undefined ? { resourceId: ref.id } : {}), facts });
      if (decision === 'Permit') return next();
      if (actor === null) throw new ApiError('unauthenticated', 'an API key is required');
      throw new ApiError('forbidden', `not permitted: ${action}`, { decision });
    };
  };
}

/** Route param as a string (express 5 types params loosely). */
export function param(req: Request, name: string): string {
  const v = (req.params as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
}
