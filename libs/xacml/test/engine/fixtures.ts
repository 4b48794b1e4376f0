/** Small builders for policies and requests used by the engine tests. */
export const NS = 'urn:oasis:names:tc:xacml:3.0:core:schema:wd-17';
export const STR = 'http://www.w3.org/2001/XMLSchema#string';
export const SUBJECT = 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject';
export const RESOURCE = 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource';
export const ACTION = 'urn:oasis:names:tc:xacml:3.0:attribute-category:action';
export const RULE_ALG = 'urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:';
export const POLICY_ALG = 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:';
/** Algorithms that kept their 1.0 identifiers in XACML 3.0. */
const V1 = new Set(['first-applicable', 'only-one-applicable']);
const algId = (prefix: string, alg: string) => (V1.has(alg) ? prefix.replace(':3.0:', ':1.0:') : prefix) + alg;
export const FN = 'urn:oasis:names:tc:xacml:1.0:function:';

export function match(category: string, id: string, value: string, mustBePresent = false): string {
  return `<Match MatchId="${FN}string-equal"><AttributeValue DataType="${STR}">${value}</AttributeValue>` +
    `<AttributeDesignator Category="${category}" AttributeId="${id}" DataType="${STR}" MustBePresent="${mustBePresent}"/></Match>`;
}

export function target(...anyOfs: string[][]): string {
  return `<Target>${anyOfs.map((allOfs) => `<AnyOf>${allOfs.map((m) => `<AllOf>${m}</AllOf>`).join('')}</AnyOf>`).join('')}</Target>`;
}

export function rule(id: string, effect: 'Permit' | 'Deny', body = ''): string {
  return `<Rule RuleId="${id}" Effect="${effect}">${body}</Rule>`;
}

export function policy(id: string, alg: string, body: string, version = '1.0'): string {
  return `<Policy xmlns="${NS}" PolicyId="${id}" Version="${version}" RuleCombiningAlgId="${algId(RULE_ALG, alg)}">${body}</Policy>`;
}

export function policySet(id: string, alg: string, body: string, version = '1.0'): string {
  return `<PolicySet xmlns="${NS}" PolicySetId="${id}" Version="${version}" PolicyCombiningAlgId="${algId(POLICY_ALG, alg)}">${body}</PolicySet>`;
}

export function request(attrs: Record<string, Record<string, string | string[]>>, extra = ''): string {
  const cats = Object.entries(attrs).map(([cat, as]) => `<Attributes Category="${cat}">${Object.entries(as).map(([id, v]) =>
    `<Attribute AttributeId="${id}" IncludeInResult="false">${(Array.isArray(v) ? v : [v]).map((x) => `<AttributeValue DataType="${STR}">${x}</AttributeValue>`).join('')}</Attribute>`).join('')}</Attributes>`);
  return `<Request xmlns="${NS}" ReturnPolicyIdList="false" CombinedDecision="false"${extra}>${cats.join('')}</Request>`;
}
