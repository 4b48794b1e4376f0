/**
 * The PEP middleware: turns an API call into an access question (who, which action, which
 * resource), loads what the system PIP knows of the resource, and lets the system PDP decide.
 * Built per route by a factory that refuses unknown actions.
 *
 * How a refusal answers is decided here and only here, so that no answer tells a caller about
 * a resource it may not see:
 * - no API key: 401, whether or not the id exists;
 * - the caller may not see the resource (the system PDP permits none of the resource type's
 *   "see" actions, VISIBLE_THROUGH): the same 404 as an id that does not exist;
 * - the caller sees it but may not do this: 403.
 */
import type { Request, RequestHandler } from 'express';
import type { Decision } from '@safax/xacml';
import type { Actor } from '../auth/actor';
import { actorOf } from '../auth/authenticate';
import { ApiError } from '../errors/api-error';
import type { FactsLoader } from './resource-facts';
import { ACTIONS } from './system-attributes';
import type { Action, ResourceFacts, ResourceType } from './system-attributes';
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

/**
 * The actions whose Permit means the caller may see a resource of the type (know that it
 * exists): reading it, or for a domain also what an authorised domains controller does on it.
 * The system resource has no id to hide.
 */
const VISIBLE_THROUGH: Record<ResourceType, readonly Action[]> = {
  system: [],
  principal: ['principal:read'],
  project: ['project:read'],
  domain: ['domain:read', 'context-handler:register'],
  pdp: ['pdp:home'],
  service: ['service:read'],
};

/** Cached decisions per facts object at most; beyond, that object's cache starts afresh. */
const MAX_DECISIONS_PER_FACTS = 1000;

/** The PEP's question for one call: resolves when permitted, throws the refusal's ApiError otherwise. */
export type AccessCheck = (actor: Actor | null, action: Action, ref: ResourceRef) => Promise<void>;

export function createAccessCheck(deps: PepDeps): AccessCheck {
  /**
   * Self-protection decisions, cached by the facts object they were made on: the facts loader
   * hands out one object per cached PDP (and one for the system), replaced when the domain
   * changes, so a change drops its decisions with it. The key names the caller with its roles
   * as authentication found them (the auth cache: a role change or a revoked key shows there).
   * The system policies are compiled once per process, so they cannot change under a cached decision.
   */
  const decided = new WeakMap<ResourceFacts, Map<string, Decision>>();
  const decide = async (actor: Actor | null, action: Action, ref: ResourceRef, facts: ResourceFacts): Promise<Decision> => {
    const key = `${actor ? `${actor.id}\u0000${actor.roles.join('\u0001')}` : ''}\u0000${action}\u0000${ref.type}\u0000${ref.id ?? ''}`;
    let byKey = decided.get(facts);
    const hit = byKey?.get(key);
    if (hit !== undefined) return hit;
    const decision = await deps.systemPdp.decide({ actor, action, resourceType: ref.type, ...(ref.id !== undefined ? { resourceId: ref.id } : {}), facts });
    // Only facts objects that outlive the call (frozen by the loader) are worth a cache.
    if (Object.isFrozen(facts)) {
      if (!byKey || byKey.size >= MAX_DECISIONS_PER_FACTS) decided.set(facts, (byKey = new Map()));
      byKey.set(key, decision);
    }
    return decision;
  };
  const canSee = async (actor: Actor, action: Action, ref: ResourceRef, facts: ResourceFacts): Promise<boolean> => {
    const through = VISIBLE_THROUGH[ref.type];
    if (ref.id === undefined || through.length === 0) return true;
    for (const a of through) if (a !== action && (await decide(actor, a, ref, facts)) === 'Permit') return true;
    return false;
  };
  return async (actor, action, ref) => {
    const facts = await deps.facts(ref.type, ref.id);
    if (facts === null) throw actor === null ? unauthenticated() : notFound(ref.type);
    const decision = await decide(actor, action, ref, facts);
    if (decision === 'Permit') return;
    if (actor === null) throw unauthenticated();
    if (!(await canSee(actor, action, ref, facts))) throw notFound(ref.type);
    throw new ApiError('forbidden', `not permitted: ${action}`, { decision });
  };
}

/** The PEP as express middleware per route, over one access check (one decision cache). */
export function guardOf(check: AccessCheck): Guard {
  return (action, resourceOf) => {
    if (!(ACTIONS as readonly string[]).includes(action)) throw new TypeError(`unknown PEP action ${String(action)}`);
    return async (req, res, next) => {
      await check(actorOf(res.locals), action, resourceOf(req));
      next();
    };
  };
}

function unauthenticated(): ApiError {
  return new ApiError('unauthenticated', 'an API key is required');
}

/** One answer for "no such id" and "not yours to see": same status, same body. */
function notFound(type: ResourceType): ApiError {
  return new ApiError('not-found', `${NOT_FOUND_NAME[type]} not found`);
}

/** Route param as a string (express 5 types params loosely). */
export function param(req: Request, name: string): string {
  const v = (req.params as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
}
