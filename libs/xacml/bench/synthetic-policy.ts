/**
 * A multi-tenant RBAC/ABAC policy set of a given number of rules, in the shape real
 * deployments have: one policy per resource type, one rule per (action, role), every fifth
 * rule with a condition on the subject's clearance and the resource's sensitivity.
 */
const NS = 'urn:oasis:names:tc:xacml:3.0:core:schema:wd-17';
const STR = 'http://www.w3.org/2001/XMLSchema#string';
const INT = 'http://www.w3.org/2001/XMLSchema#integer';
const FN = 'urn:oasis:names:tc:xacml:1.0:function:';
const SUBJECT = 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject';
const RESOURCE = 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource';
const ACTION = 'urn:oasis:names:tc:xacml:3.0:attribute-category:action';

export const ACTIONS = ['read', 'write', 'delete', 'share', 'approve'];
export const ROLES = Array.from({ length: 10 }, (_, i) => `role-${i}`);

const designator = (cat: string, id: string, dt = STR) => `<AttributeDesignator Category="${cat}" AttributeId="${id}" DataType="${dt}" MustBePresent="false"/>`;
const match = (cat: string, id: string, v: string) => `<AllOf><Match MatchId="${FN}string-equal"><AttributeValue DataType="${STR}">${v}</AttributeValue>${designator(cat, id)}</Match></AllOf>`;

export function resourceTypes(rules: number): string[] {
  const perType = ACTIONS.length * ROLES.length;
  return Array.from({ length: Math.max(1, Math.ceil(rules / perType)) }, (_, i) => `type-${i}`);
}

export function syntheticPolicySet(rules: number): string {
  const perType = ACTIONS.length * ROLES.length;
  const policies: string[] = [];
  let made = 0;
  for (const type of resourceTypes(rules)) {
    const body: string[] = [];
    for (let i = 0; i < perType && made < rules; i++, made++) {
      const action = ACTIONS[i % ACTIONS.length]!;
      const role = ROLES[Math.floor(i / ACTIONS.length)]!;
      const condition = i % 5 === 4
        ? `<Condition><Apply FunctionId="${FN}integer-greater-than-or-equal"><Apply FunctionId="${FN}integer-one-and-only">${designator(SUBJECT, 'clearance', INT)}</Apply><Apply FunctionId="${FN}integer-one-and-only">${designator(RESOURCE, 'sensitivity', INT)}</Apply></Apply></Condition>`
        : '';
      body.push(`<Rule RuleId="${type}-${action}-${role}" Effect="Permit"><Target><AnyOf>${match(ACTION, 'urn:oasis:names:tc:xacml:1.0:action:action-id', action)}</AnyOf><AnyOf>${match(SUBJECT, 'role', role)}</AnyOf></Target>${condition}</Rule>`);
    }
    policies.push(`<Policy PolicyId="${type}" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:permit-overrides"><Target><AnyOf>${match(RESOURCE, 'type', type)}</AnyOf></Target>${body.join('')}</Policy>`);
  }
  return `<PolicySet xmlns="${NS}" PolicySetId="tenant-root" Version="1.0" PolicyCombiningAlgId="urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:deny-unless-permit"><Target/>${policies.join('')}</PolicySet>`;
}

/** A request for a random (type, action, role); some miss every rule. */
export function syntheticRequest(rules: number, seed: number): string {
  const types = resourceTypes(rules);
  const pick = <T>(xs: readonly T[], n: number): T => xs[n % xs.length]!;
  const type = seed % 10 === 9 ? 'type-unknown' : pick(types, seed * 7919);
  const attr = (id: string, v: string, dt = STR) => `<Attribute AttributeId="${id}" IncludeInResult="false"><AttributeValue DataType="${dt}">${v}</AttributeValue></Attribute>`;
  return `<Request xmlns="${NS}" ReturnPolicyIdList="false" CombinedDecision="false">` +
    `<Attributes Category="${SUBJECT}">${attr('urn:oasis:names:tc:xacml:1.0:subject:subject-id', `user-${seed}`)}${attr('role', pick(ROLES, seed * 31))}${attr('clearance', String(seed % 4), INT)}</Attributes>` +
    `<Attributes Category="${RESOURCE}">${attr('type', type)}${attr('sensitivity', String(seed % 3), INT)}</Attributes>` +
    `<Attributes Category="${ACTION}">${attr('urn:oasis:names:tc:xacml:1.0:action:action-id', pick(ACTIONS, seed * 13))}</Attributes></Request>`;
}
