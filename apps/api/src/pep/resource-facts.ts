/**
 * The system PIP's data source: owner, collaborators, controllers and public flag of the
 * resource an API call is about, or null when it does not exist (→ 404 before any decision).
 */
import type { Repositories } from '../repositories/ports';
import type { PdpRegistry } from '../pdp/pdp-registry';
import type { ResourceFacts, ResourceType } from './system-attributes';

export type FactsLoader = (type: ResourceType, id: string | undefined) => Promise<ResourceFacts | null>;

export function resourceFactsLoader(repos: Repositories, pdps: PdpRegistry): FactsLoader {
  return async (type, id) => {
    if (type === 'system') return {};
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
        const d = e.domain;
        return { owner: [d.ownerId], collaborators: d.collaboratorIds, controllers: d.controllerIds, public: d.publicPdp };
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
