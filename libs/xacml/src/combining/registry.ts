/** Combining algorithms by identifier, rule and policy algorithms apart; built once. */
import { denyOverrides, permitOverrides } from './overrides';
import { firstApplicable } from './first-applicable';
import {
  legacyPolicyDenyOverrides,
  legacyPolicyPermitOverrides,
  legacyRuleDenyOverrides,
  legacyRulePermitOverrides,
} from './legacy-overrides';
import { onlyOneApplicable } from './only-one-applicable';
import { denyUnlessPermit, permitUnlessDeny } from './unless';
import type { CombiningAlgorithm } from './combinable';

const R3 = 'urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:';
const P3 = 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:';
const R1 = 'urn:oasis:names:tc:xacml:1.0:rule-combining-algorithm:';
const P1 = 'urn:oasis:names:tc:xacml:1.0:policy-combining-algorithm:';
const R11 = 'urn:oasis:names:tc:xacml:1.1:rule-combining-algorithm:';
const P11 = 'urn:oasis:names:tc:xacml:1.1:policy-combining-algorithm:';

function byId(list: readonly CombiningAlgorithm[]): ReadonlyMap<string, CombiningAlgorithm> {
  const m = new Map<string, CombiningAlgorithm>();
  for (const a of list) {
    if (m.has(a.id)) throw new TypeError(`duplicate combining algorithm ${a.id}`);
    m.set(a.id, a);
  }
  return m;
}

export const RULE_ALGORITHMS = byId([
  denyOverrides(`${R3}deny-overrides`),
  denyOverrides(`${R3}ordered-deny-overrides`),
  permitOverrides(`${R3}permit-overrides`),
  permitOverrides(`${R3}ordered-permit-overrides`),
  denyUnlessPermit(`${R3}deny-unless-permit`),
  permitUnlessDeny(`${R3}permit-unless-deny`),
  firstApplicable(`${R1}first-applicable`),
  legacyRuleDenyOverrides(`${R1}deny-overrides`),
  legacyRulePermitOverrides(`${R1}permit-overrides`),
  legacyRuleDenyOverrides(`${R11}ordered-deny-overrides`),
  legacyRulePermitOverrides(`${R11}ordered-permit-overrides`),
]);

export const POLICY_ALGORITHMS = byId([
  denyOverrides(`${P3}deny-overrides`),
  denyOverrides(`${P3}ordered-deny-overrides`),
  permitOverrides(`${P3}permit-overrides`),
  permitOverrides(`${P3}ordered-permit-overrides`),
  denyUnlessPermit(`${P3}deny-unless-permit`),
  permitUnlessDeny(`${P3}permit-unless-deny`),
  firstApplicable(`${P1}first-applicable`),
  onlyOneApplicable(`${P1}only-one-applicable`),
  legacyPolicyDenyOverrides(`${P1}deny-overrides`),
  legacyPolicyPermitOverrides(`${P1}permit-overrides`),
  legacyPolicyDenyOverrides(`${P11}ordered-deny-overrides`),
  legacyPolicyPermitOverrides(`${P11}ordered-permit-overrides`),
]);

export const COMBINING_ALGORITHMS: { readonly rule: readonly string[]; readonly policy: readonly string[] } = Object.freeze({
  rule: Object.freeze([...RULE_ALGORITHMS.keys()]),
  policy: Object.freeze([...POLICY_ALGORITHMS.keys()]),
});
