/**
 * Hierarchical Resource Profile: resource-parent, -ancestor and -ancestor-or-self from the
 * request or from an injected hierarchy, and scope Immediate/Children/Descendants expanded
 * into one decision per resource.
 */
import { compilePdp, hierarchyFromParents, parseRequestXml, type ResourceHierarchy } from '../src';

const X3 = 'urn:oasis:names:tc:xacml:3.0:core:schema:wd-17';
const F1 = 'urn:oasis:names:tc:xacml:1.0:function:';
const URI = 'http://www.w3.org/2001/XMLSchema#anyURI';
const RES = 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource';
const ANCESTOR = 'urn:oasis:names:tc:xacml:1.0:resource:resource-ancestor';
const ANCESTOR_OR_SELF = 'urn:oasis:names:tc:xacml:1.0:resource:resource-ancestor-or-self';
const PARENT = 'urn:oasis:names:tc:xacml:1.0:resource:resource-parent';
const RESOURCE_ID = 'urn:oasis:names:tc:xacml:1.0:resource:resource-id';

/*
 *            site
 *          /      \
 *     reports    shared
 *        |     /   |   \
 *       q1   q1*  team  (q1* = reports/q1 also filed under shared: two parents)
 *                  |
 *                 notes
 */
const PARENTS: Record<string, string[]> = {
  'urn:x:reports': ['urn:x:site'],
  'urn:x:shared': ['urn:x:site'],
  'urn:x:reports:q1': ['urn:x:reports', 'urn:x:shared'],
  'urn:x:team': ['urn:x:shared'],
  'urn:x:team:notes': ['urn:x:team'],
};

/** Permits when `attribute` (resource category, anyURI) holds `value`; deny-unless-permit unless told. */
const policy = (attribute: string, value: string, alg = 'deny-unless-permit') => `<Policy xmlns="${X3}" PolicyId="urn:x:p" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:${alg}"><Target/>
  <Rule RuleId="r" Effect="Permit"><Condition><Apply FunctionId="${F1}anyURI-is-in"><AttributeValue DataType="${URI}">${value}</AttributeValue>
    <AttributeDesignator Category="${RES}" AttributeId="${attribute}" DataType="${URI}" MustBePresent="false"/></Apply></Condition></Rule></Policy>`;

const request = (resource: string, extra = '') => `<Request xmlns="${X3}" ReturnPolicyIdList="false" CombinedDecision="false">
  <Attributes Category="${RES}"><Attribute AttributeId="${RESOURCE_ID}" IncludeInResult="true"><AttributeValue DataType="${URI}">${resource}</AttributeValue></Attribute>${extra}</Attributes></Request>`;
const scope = (value: string) => `<Attribute AttributeId="urn:oasis:names:tc:xacml:2.0:resource:scope" IncludeInResult="false"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">${value}</AttributeValue></Attribute>`;

async function decide(policyText: string, requestText: string, hierarchy?: ResourceHierarchy): Promise<string[]> {
  const pdp = compilePdp([{ text: policyText }], hierarchy ? { hierarchy } : {});
  const { response } = await pdp.evaluate(parseRequestXml(requestText));
  return response.results.map((r) => {
    const id = r.attributes.flatMap((c) => c.attributes).find((a) => a.attributeId === RESOURCE_ID)?.values[0];
    const decision = r.decision === 'Indeterminate' ? `Indeterminate(${r.status.message ?? ''})` : r.decision;
    return id ? `${String(id.datatype.format(id.value))} ${decision}` : decision;
  });
}

describe('hierarchy attributes from an injected hierarchy', () => {
  const h = hierarchyFromParents(PARENTS);

  it('resource-ancestor follows every parent up to the root (a node with two parents has both lines)', async () => {
    expect(await decide(policy(ANCESTOR, 'urn:x:site'), request('urn:x:team:notes'), h)).toEqual(['urn:x:team:notes Permit']);
    expect(await decide(policy(ANCESTOR, 'urn:x:shared'), request('urn:x:reports:q1'), h)).toEqual(['urn:x:reports:q1 Permit']);
    expect(await decide(policy(ANCESTOR, 'urn:x:reports'), request('urn:x:team:notes'), h)).toEqual(['urn:x:team:notes Deny']);
    // A node is not its own ancestor...
    expect(await decide(policy(ANCESTOR, 'urn:x:team'), request('urn:x:team'), h)).toEqual(['urn:x:team Deny']);
  });

  it('...but is in resource-ancestor-or-self; resource-parent is one level only', async () => {
    expect(await decide(policy(ANCESTOR_OR_SELF, 'urn:x:team'), request('urn:x:team'), h)).toEqual(['urn:x:team Permit']);
    expect(await decide(policy(PARENT, 'urn:x:team'), request('urn:x:team:notes'), h)).toEqual(['urn:x:team:notes Permit']);
    expect(await decide(policy(PARENT, 'urn:x:shared'), request('urn:x:team:notes'), h)).toEqual(['urn:x:team:notes Deny']);
  });

  it('attributes the request carries are used as they are, hierarchy or not', async () => {
    const own = `<Attribute AttributeId="${ANCESTOR}" IncludeInResult="false"><AttributeValue DataType="${URI}">urn:y:elsewhere</AttributeValue></Attribute>`;
    expect(await decide(policy(ANCESTOR, 'urn:y:elsewhere'), request('urn:x:team:notes', own))).toEqual(['urn:x:team:notes Permit']);
    expect(await decide(policy(ANCESTOR, 'urn:x:site'), request('urn:x:team:notes', own), h)).toEqual(['urn:x:team:notes Deny']);
    // Without a hierarchy and without the attribute, a node has no known ancestors.
    expect(await decide(policy(ANCESTOR, 'urn:x:site'), request('urn:x:team:notes'))).toEqual(['urn:x:team:notes Deny']);
  });

  it('a hierarchy that fails or loops makes the decision Indeterminate', async () => {
    const failing: ResourceHierarchy = { parents: async () => Promise.reject(new Error('directory down')), children: async () => [] };
    expect(await decide(policy(ANCESTOR, 'urn:x:site', 'permit-overrides'), request('urn:x:team'), failing)).toEqual(['urn:x:team Indeterminate(urn:oasis:names:tc:xacml:1.0:resource:resource-ancestor of urn:x:team: directory down)']);
    const loop = hierarchyFromParents({ 'urn:x:a': ['urn:x:b'], 'urn:x:b': ['urn:x:a'] });
    expect((await decide(policy(ANCESTOR, 'urn:x:site', 'permit-overrides'), request('urn:x:a'), loop))[0]).toMatch(/Indeterminate\(.*cycle/);
  });
});

describe('scope: one decision per resource', () => {
  const h = hierarchyFromParents(PARENTS);
  const underShared = policy(ANCESTOR_OR_SELF, 'urn:x:shared');

  it('Children: the node and its children', async () => {
    expect((await decide(underShared, request('urn:x:shared', scope('Children')), h)).sort()).toEqual(['urn:x:reports:q1 Permit', 'urn:x:shared Permit', 'urn:x:team Permit']);
  });

  it('Descendants: the node and everything below it, each once', async () => {
    expect((await decide(underShared, request('urn:x:site', scope('Descendants')), h)).sort()).toEqual([
      'urn:x:reports Deny', 'urn:x:reports:q1 Permit', 'urn:x:shared Permit', 'urn:x:site Deny', 'urn:x:team Permit', 'urn:x:team:notes Permit',
    ]);
  });

  it('Immediate: the node alone, with or without a hierarchy', async () => {
    expect(await decide(policy(RESOURCE_ID, 'urn:x:team'), request('urn:x:team', scope('Immediate')))).toEqual(['urn:x:team Permit']);
    expect(await decide(underShared, request('urn:x:team', scope('Immediate')), h)).toEqual(['urn:x:team Permit']);
  });

  it('without a hierarchy, or with an unknown scope, the request is Indeterminate', async () => {
    expect(await decide(underShared, request('urn:x:shared', scope('Children')))).toEqual([expect.stringMatching(/^urn:x:shared Indeterminate\(scope Children needs the resource hierarchy/)]);
    expect(await decide(underShared, request('urn:x:shared', scope('Siblings')), h)).toEqual([expect.stringMatching(/^urn:x:shared Indeterminate\(unknown scope "Siblings"/)]);
  });

  it('a XACML 2.0 request with a scope expands the same way', async () => {
    const v2 = `<Request xmlns="urn:oasis:names:tc:xacml:2.0:context:schema:os"><Subject/>
      <Resource><Attribute AttributeId="${RESOURCE_ID}" DataType="${URI}"><AttributeValue>urn:x:team</AttributeValue></Attribute>
        <Attribute AttributeId="urn:oasis:names:tc:xacml:2.0:resource:scope" DataType="http://www.w3.org/2001/XMLSchema#string"><AttributeValue>Descendants</AttributeValue></Attribute></Resource>
      <Action/><Environment/></Request>`;
    const pdp = compilePdp([{ text: underShared }], { hierarchy: h });
    const { response } = await pdp.evaluate(parseRequestXml(v2));
    expect(response.results.map((r) => r.decision)).toEqual(['Permit', 'Permit']);
  });
});
