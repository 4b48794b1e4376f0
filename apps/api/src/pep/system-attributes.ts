/** Attribute identifiers of the service's own authorization requests (see policies/system/README.md). */
export const SYS = {
  role: 'urn:safax:1.0:subject:role',
  resourceType: 'urn:safax:1.0:resource:type',
  owner: 'urn:safax:1.0:resource:owner',
  collaborator: 'urn:safax:1.0:resource:collaborator',
  controller: 'urn:safax:1.0:resource:controller',
  public: 'urn:safax:1.0:resource:public',
  serviceType: 'urn:safax:1.0:resource:service-type',
} as const;

export const RESOURCE_TYPES = ['system', 'principal', 'project', 'domain', 'pdp', 'service'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** Every action the API's routes ask about; the PEP refuses to be built with any other. */
export const ACTIONS = [
  'me:read',
  'guest:create',
  'principal:create',
  'principal:list',
  'principal:read',
  'principal:update',
  'principal:delete',
  'apikey:create',
  'apikey:list',
  'apikey:delete',
  'project:create',
  'project:list',
  'project:read',
  'project:update',
  'project:delete',
  'collaborator:add',
  'collaborator:remove',
  'domain:create',
  'domain:list',
  'domain:read',
  'domain:update',
  'domain:delete',
  'domain:test-evaluate',
  'controller:add',
  'controller:remove',
  'policy:read',
  'policy:write',
  'pdp-config:read',
  'pdp-config:write',
  'pip:read',
  'pip:write',
  'decision-log:read',
  'context-handler:list',
  'context-handler:register',
  'context-handler:delete',
  'pdp:evaluate',
  'pdp:home',
  'service:register',
  'service:list',
  'service:read',
  'service:update',
  'service:enable',
  'service:disable',
  'service:delete',
  'rights:read',
  'rights:write',
  'controller:create',
  'audit:read',
] as const;
export type Action = (typeof ACTIONS)[number];

/** What the system PIP knows of a resource (absent members: the attribute has no values). */
export interface ResourceFacts {
  readonly owner?: readonly string[];
  readonly collaborators?: readonly string[];
  readonly controllers?: readonly string[];
  readonly public?: boolean;
  readonly serviceType?: string;
}
