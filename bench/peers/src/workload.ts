/**
 * The peer benchmark's workload, one model rendered for each system: a multi-tenant RBAC/ABAC
 * authorisation of (action, resource type, role), every fourth rule also requiring the
 * resource's owner to be the subject. Two XACML shapes: "flat" (one Policy of N rules, each
 * Target one AllOf of three string-equal matches in a chosen order) and "nested" (a PolicySet
 * with one Policy per resource type, each rule's Target an AllOf of action and role). Cedar
 * and Cerbos get the same rules, so every system must give the same decision per request.
 */

export const ACTIONS = ['read', 'write', 'delete', 'share'] as const;
export const ROLES = Array.from({ length: 10 }, (_, i) => `role-${i}`);
const PER_TYPE = ACTIONS.length * ROLES.length;

export type MatchKind = 'action' | 'type' | 'role';
/** The three match orders the bench runs (each attribute first once). */
export const MATCH_ORDERS: readonly (readonly MatchKind[])[] = [
  ['action', 'type', 'role'],
  ['type', 'role', 'action'],
  ['role', 'action', 'type'],
];

export interface WorkloadRule {
  readonly id: string;
  readonly type: string;
  readonly action: string;
  readonly role: string;
  /** The rule also requires resource owner = subject-id. */
  readonly ownerOnly: boolean;
}

export interface AccessRequest {
  readonly subject: string;
  readonly role: string;
  readonly action: string;
  readonly type: string;
  readonly owner: string;
}

export function typeCount(rules: number): number {
  return Math.max(1, Math.ceil(rules / PER_TYPE));
}

export function workloadRules(n: number): WorkloadRule[] {
  return Array.from({ length: n }, (_, i) => {
    const j = i % PER_TYPE;
    return {
      id: `rule-${i}`,
      type: `type-${Math.floor(i / PER_TYPE)}`,
      action: ACTIONS[j % ACTIONS.length]!,
      role: ROLES[Math.floor(j / ACTIONS.length)]!,
      ownerOnly: i % 4 === 3,
    };
  });
}

/** A deterministic pseudo-random generator (mulberry32), so every system sees the same requests. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` requests over the workload's vocabulary; one in ten names an unknown resource type. */
export function workloadRequests(rules: number, count: number, seed = 42): AccessRequest[] {
  const next = random(seed + rules);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const types = typeCount(rules);
  return Array.from({ length: count }, () => {
    const subject = `user-${Math.floor(next() * 100)}`;
    return {
      subject,
      role: pick(ROLES),
      action: pick(ACTIONS),
      type: next() < 0.1 ? 'type-unknown' : `type-${Math.floor(next() * types)}`,
      owner: next() < 0.5 ? subject : `user-${Math.floor(next() * 100)}`,
    };
  });
}

/** The decision the workload's rules give (the reference every system is checked against). */
export function expectedPermit(rules: readonly WorkloadRule[], r: AccessRequest): boolean {
  return rules.some((x) => x.type === r.type && x.action === r.action && x.role === r.role && (!x.ownerOnly || r.owner === r.subject));
}

// ---------------------------------------------------------------- XACML

const NS = 'urn:oasis:names:tc:xacml:3.0:core:schema:wd-17';
const STR = 'http://www.w3.org/2001/XMLSchema#string';
const FN = 'urn:oasis:names:tc:xacml:1.0:function:';
export const XACML_IDS = {
  subjectCategory: 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject',
  resourceCategory: 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource',
  actionCategory: 'urn:oasis:names:tc:xacml:3.0:attribute-category:action',
  subjectId: 'urn:oasis:names:tc:xacml:1.0:subject:subject-id',
  actionId: 'urn:oasis:names:tc:xacml:1.0:action:action-id',
  role: 'urn:example:role',
  resourceType: 'urn:example:resource-type',
  owner: 'urn:example:owner',
} as const;

const designator = (cat: string, id: string) => `<AttributeDesignator Category="${cat}" AttributeId="${id}" DataType="${STR}" MustBePresent="false"/>`;
const matchOf = (kind: MatchKind, r: WorkloadRule): string => {
  const [cat, id, v] =
    kind === 'action' ? [XACML_IDS.actionCategory, XACML_IDS.actionId, r.action]
      : kind === 'type' ? [XACML_IDS.resourceCategory, XACML_IDS.resourceType, r.type]
        : [XACML_IDS.subjectCategory, XACML_IDS.role, r.role];
  return `<Match MatchId="${FN}string-equal"><AttributeValue DataType="${STR}">${v}</AttributeValue>${designator(cat, id)}</Match>`;
};
const OWNER_CONDITION = `<Condition><Apply FunctionId="${FN}string-at-least-one-member-of">${designator(XACML_IDS.resourceCategory, XACML_IDS.owner)}${designator(XACML_IDS.subjectCategory, XACML_IDS.subjectId)}</Apply></Condition>`;

function xacmlRule(r: WorkloadRule, kinds: readonly MatchKind[]): string {
  return `<Rule RuleId="${r.id}" Effect="Permit"><Target><AnyOf><AllOf>${kinds.map((k) => matchOf(k, r)).join('')}</AllOf></AnyOf></Target>${r.ownerOnly ? OWNER_CONDITION : ''}</Rule>`;
}

/** One Policy of N rules, deny-unless-permit; each Target one AllOf of three matches in `order`. */
export function xacmlFlat(rules: readonly WorkloadRule[], order: readonly MatchKind[] = MATCH_ORDERS[0]!): string {
  return `<Policy xmlns="${NS}" PolicyId="tenant" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-unless-permit"><Target/>${rules.map((r) => xacmlRule(r, order)).join('')}</Policy>`;
}

/** A PolicySet (deny-unless-permit) with one Policy per resource type; rules match action and role. */
export function xacmlNested(rules: readonly WorkloadRule[], order: readonly MatchKind[] = MATCH_ORDERS[0]!): string {
  const byType = new Map<string, WorkloadRule[]>();
  for (const r of rules) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  const inner = order.filter((k) => k !== 'type');
  const policies = [...byType].map(([type, rs]) =>
    `<Policy PolicyId="${type}" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:permit-overrides"><Target><AnyOf><AllOf>${matchOf('type', rs[0]!)}</AllOf></AnyOf></Target>${rs.map((r) => xacmlRule(r, inner)).join('')}</Policy>`);
  return `<PolicySet xmlns="${NS}" PolicySetId="tenant" Version="1.0" PolicyCombiningAlgId="urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:deny-unless-permit"><Target/>${policies.join('')}</PolicySet>`;
}

/** The request as a XACML JSON Profile object. */
export function xacmlJsonRequest(r: AccessRequest): { Request: Record<string, unknown> } {
  return {
    Request: {
      AccessSubject: { Attribute: [{ AttributeId: XACML_IDS.subjectId, Value: r.subject }, { AttributeId: XACML_IDS.role, Value: r.role }] },
      Resource: { Attribute: [{ AttributeId: XACML_IDS.resourceType, Value: r.type }, { AttributeId: XACML_IDS.owner, Value: r.owner }] },
      Action: { Attribute: [{ AttributeId: XACML_IDS.actionId, Value: r.action }] },
    },
  };
}

// ---------------------------------------------------------------- Cedar

/** One Cedar policy per rule; the type, role and owner are entity attributes. */
export function cedarPolicies(rules: readonly WorkloadRule[]): string {
  return rules
    .map((r) => `@id("${r.id}")\npermit(principal, action == Action::"${r.action}", resource) when { resource.type == "${r.type}" && principal.role == "${r.role}"${r.ownerOnly ? ' && resource.owner == principal.id' : ''} };`)
    .join('\n');
}

export interface CedarCall {
  readonly principal: { type: string; id: string };
  readonly action: { type: string; id: string };
  readonly resource: { type: string; id: string };
  readonly context: Record<string, never>;
  readonly entities: readonly unknown[];
}

export function cedarRequest(r: AccessRequest): CedarCall {
  return {
    principal: { type: 'User', id: r.subject },
    action: { type: 'Action', id: r.action },
    resource: { type: 'Resource', id: 'doc' },
    context: {},
    entities: [
      { uid: { type: 'User', id: r.subject }, attrs: { id: r.subject, role: r.role }, parents: [] },
      { uid: { type: 'Resource', id: 'doc' }, attrs: { type: r.type, owner: r.owner }, parents: [] },
    ],
  };
}

// ---------------------------------------------------------------- Cerbos

/** Cerbos resource policies, one file per resource type (the resource kind), as YAML text. */
export function cerbosPolicies(rules: readonly WorkloadRule[]): Map<string, string> {
  const byType = new Map<string, WorkloadRule[]>();
  for (const r of rules) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  const files = new Map<string, string>();
  for (const [type, rs] of byType) {
    const lines = ['apiVersion: api.cerbos.dev/v1', 'resourcePolicy:', '  version: default', `  resource: ${JSON.stringify(type)}`, '  rules:'];
    for (const r of rs) {
      lines.push(`    - name: ${JSON.stringify(r.id.replace('-', '_'))}`, `      actions: [${JSON.stringify(r.action)}]`, '      effect: EFFECT_ALLOW', `      roles: [${JSON.stringify(r.role)}]`);
      if (r.ownerOnly) lines.push('      condition:', '        match:', '          expr: request.resource.attr.owner == request.principal.id');
    }
    files.set(`${type}.yaml`, `${lines.join('\n')}\n`);
  }
  return files;
}

/** The request as the body of Cerbos's POST /api/check/resources. */
export function cerbosRequest(r: AccessRequest, requestId: string): Record<string, unknown> {
  return {
    requestId,
    principal: { id: r.subject, roles: [r.role] },
    resources: [{ actions: [r.action], resource: { kind: r.type, id: 'doc', attr: { owner: r.owner } } }],
  };
}
