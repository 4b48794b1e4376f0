/**
 * The system PIP's data source: owner, collaborators, controllers and public flag of the
 * resource an API call is about, or null when it does not exist (→ 404 before any decision).
 */
import type { Repositories } from '../repositories/ports';
import type { DomainPdp, PdpRegistry } from '../pdp/pdp-registry';
import type { ResourceFacts, ResourceType } from './system-attributes';

export type FactsLoader = (type: ResourceType, id: string | undefined) => Promise<ResourceFacts | null>;

/** The system resource has no facts: one object, so decisions about it can be cached by identity. */
const SYSTEM_FACTS: ResourceFacts = Object.freeze({});

export function resourceFactsLoader(repos: Repositories, pdps: PdpRegistry): FactsLoader {
  // One facts object per cached PDP entry: it lives as long as the entry (a change replaces both).
  const pdpFacts = new WeakMap<DomainPdp, ResourceFacts>();
  return async (type, id) => {
    if (type === 'system') return SYSTEM_FACTS;
    if (id === undefined) return null;
    switch (type) {
      case 'principal': {
        const p = await repos.principals.findById(id);
        return p ? { owner: [p.id] } : null;
      }
      case 'project': {
        const p = await repos.projects.findById(id);
        return p ? { owner: [p.ownerId], collaborators: p.collaboratorIds } : null;
      }
      case 'domain': {
        const d = await repos.domains.findById(id);
        return d ? { owner: [d.ownerId], collaborators: d.collaboratorIds, controllers: d.controllerIds, public: d.publicPdp } : null;
      }
      case 'pdp': {
        // From the PDP cache: the decision path must not query the database per request.
        const e = await pdps.byPdpId(id);
        if (!e) return null;
        let facts = pdpFacts.get(e);
        if (!facts) {
          const d = e.domain;
          facts = Object.freeze({ owner: [d.ownerId], collaborators: d.collaboratorIds, controllers: d.controllerIds, public: d.publicPdp });
          pdpFacts.set(e, facts);
        }
        return facts;
      }
      case 'service': {
        const s = await repos.services.findById(id);
        if (!s) return null;
        if (s.type === 'pdp' && s.domainId !== null) {
          const d = await repos.domains.findById(s.domainId);
          return { owner: [s.registeredById], serviceType: s.type, collaborators: d?.collaboratorIds ?? [], controllers: d?.controllerIds ?? [] };
        }
        return { owner: [s.registeredById], serviceType: s.type };
      }
    }
  };
}
