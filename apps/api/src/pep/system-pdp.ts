/**
 * The service's own PDP (SAFAX §5.2): compiled once from policies/system/*.xml; decides every
 * API call. What a call lacks (owner, collaborators, controllers, public flag) the engine asks
 * of the system PIP, served from the facts loaded for this call.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ATTR, compilePdp, parseRequestJson } from '@safax/xacml';
import type { AttributeResolver, Decision, Pdp, PolicySource } from '@safax/xacml';
import type { Actor } from '../auth/actor';
import { SYS } from './system-attributes';
import type { Action, ResourceFacts, ResourceType } from './system-attributes';

export const DEFAULT_SYSTEM_POLICY_DIR = join(__dirname, '..', '..', '..', '..', 'policies', 'system');

export function loadPolicyDir(dir: string): PolicySource[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
}

export interface AccessQuestion {
  readonly actor: Actor | null;
  readonly action: Action;
  readonly resourceType: ResourceType;
  readonly resourceId?: string;
  readonly facts: ResourceFacts;
}

export interface SystemPdp {
  decide(q: AccessQuestion): Promise<Decision>;
}

const RESOURCE = 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource';
const STRING = 'http://www.w3.org/2001/XMLSchema#string';
const BOOLEAN = 'http://www.w3.org/2001/XMLSchema#boolean';

/** Facts for the evaluation in flight; the resolver reads them (one PDP, many concurrent calls). */
interface FactsCarrier {
  readonly facts: ResourceFacts;
}

function factValues(facts: ResourceFacts, attributeId: string, datatype: string): readonly string[] {
  if (datatype === BOOLEAN) return attributeId === SYS.public && facts.public !== undefined ? [String(facts.public)] : [];
  if (datatype !== STRING) return [];
  switch (attributeId) {
    case SYS.owner:
      return facts.owner ?? [];
    case SYS.collaborator:
      return facts.collaborators ?? [];
    case SYS.controller:
      return facts.controllers ?? [];
    case SYS.serviceType:
      return facts.serviceType !== undefined ? [facts.serviceType] : [];
    default:
      return [];
  }
}

export function createSystemPdp(sources: readonly PolicySource[]): SystemPdp {
  const current = new AsyncLocalStorage<FactsCarrier>();
  const resolver: AttributeResolver = {
    resolve: async (query) => {
      if (query.category !== RESOURCE) return [];
      const carrier = current.getStore();
      return carrier ? factValues(carrier.facts, query.attributeId, query.datatype) : [];
    },
  };
  // Invalid system policies are a deployment fault: compilePdp throws and the service does not start.
  const pdp: Pdp = compilePdp(sources, { attributeResolver: resolver });
  return {
    async decide(q) {
      const subject: { AttributeId: string; Value: string | string[] }[] = [];
      if (q.actor) {
        subject.push({ AttributeId: ATTR.subjectId, Value: q.actor.id });
        if (q.actor.roles.length > 0) subject.push({ AttributeId: SYS.role, Value: [...q.actor.roles] });
      }
      const resource: { AttributeId: string; Value: string }[] = [{ AttributeId: SYS.resourceType, Value: q.resourceType }];
      if (q.resourceId !== undefined) resource.push({ AttributeId: ATTR.resourceId, Value: q.resourceId });
      const request = parseRequestJson({
        Request: {
          ...(subject.length > 0 ? { AccessSubject: { Attribute: subject } } : {}),
          Action: { Attribute: [{ AttributeId: ATTR.actionId, Value: q.action }] },
          Resource: { Attribute: resource },
        },
      });
      const evaluation = await current.run({ facts: q.facts }, () => pdp.evaluate(request));
      return evaluation.response.results[0]?.decision ?? 'Indeterminate';
    },
  };
}
