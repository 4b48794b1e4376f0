/**
 * What policies and requests written for XACML 1.0/2.0 engines need: 1.0 duration function
 * identifiers, 2.0 subjects described in several elements, 2.0 RequestContextPath selectors
 * and string-typed XPath functions; plus §7.3.7 for ContextSelectorId and a configured root
 * combining algorithm over a single root.
 */
import { compilePdp, parseRequestXml, XacmlError } from '../src';
import type * as ConformanceFiles from './support/conformance-files';

const P2 = 'urn:oasis:names:tc:xacml:2.0:policy:schema:os';
const C2 = 'urn:oasis:names:tc:xacml:2.0:context:schema:os';
const X3 = 'urn:oasis:names:tc:xacml:3.0:core:schema:wd-17';
const F1 = 'urn:oasis:names:tc:xacml:1.0:function:';
const XS = 'http://www.w3.org/2001/XMLSchema#';
const DTD = 'http://www.w3.org/2001/XMLSchema#dayTimeDuration';
const YMD = 'http://www.w3.org/2001/XMLSchema#yearMonthDuration';
const SUBJECT_ID = 'urn:oasis:names:tc:xacml:1.0:subject:subject-id';
const RULE_OK = 'urn:oasis:names:tc:xacml:1.0:rule-combining-algorithm:deny-overrides';

async function decide(policies: string[], request: string, options: Parameters<typeof compilePdp>[1] = {}) {
  const pdp = compilePdp(policies.map((text) => ({ text })), options);
  const { response } = await pdp.evaluate(parseRequestXml(request));
  return response.results.map((r) => (r.decision === 'Indeterminate' ? `Indeterminate:${r.status.code.split(':').pop()}` : r.decision));
}

/** A 2.0 policy whose single rule permits when `condition` (an expression) is true. */
const policy2 = (condition: string, extraNs = ''): string => `
<Policy xmlns="${P2}" ${extraNs} PolicyId="urn:example:legacy" RuleCombiningAlgId="${RULE_OK}">
  <Target/>
  <Rule RuleId="permit-when" Effect="Permit"><Condition>${condition}</Condition></Rule>
</Policy>`;

const request2 = (subjects: string, resources = '<Resource/>'): string => `
<Request xmlns="${C2}">${subjects}${resources}<Action/><Environment/></Request>`;
const subject = (attrs: Record<string, string>, category?: string): string =>
  `<Subject${category ? ` SubjectCategory="${category}"` : ''}>${Object.entries(attrs)
    .map(([id, v]) => `<Attribute AttributeId="${id}" DataType="${XS}string"><AttributeValue>${v}</AttributeValue></Attribute>`)
    .join('')}</Subject>`;

describe('XACML 1.0 duration function identifiers', () => {
  const cases: [string, string][] = [
    ['dayTimeDuration-one-and-only / -equal', `<Apply FunctionId="urn:oasis:names:tc:xacml:3.0:function:dayTimeDuration-equal">
        <Apply FunctionId="${F1}dayTimeDuration-one-and-only"><Apply FunctionId="${F1}dayTimeDuration-bag"><AttributeValue DataType="${DTD}">PT1H</AttributeValue></Apply></Apply>
        <AttributeValue DataType="${DTD}">PT60M</AttributeValue></Apply>`],
    ['yearMonthDuration-bag-size', `<Apply FunctionId="${F1}integer-equal">
        <Apply FunctionId="${F1}yearMonthDuration-bag-size"><Apply FunctionId="${F1}yearMonthDuration-bag"><AttributeValue DataType="${YMD}">P1Y</AttributeValue><AttributeValue DataType="${YMD}">P2M</AttributeValue></Apply></Apply>
        <AttributeValue DataType="${XS}integer">2</AttributeValue></Apply>`],
    ['dayTimeDuration-is-in', `<Apply FunctionId="${F1}dayTimeDuration-is-in"><AttributeValue DataType="${DTD}">P1D</AttributeValue>
        <Apply FunctionId="${F1}dayTimeDuration-bag"><AttributeValue DataType="${DTD}">PT24H</AttributeValue></Apply></Apply>`],
    ['yearMonthDuration-at-least-one-member-of / -intersection / -union / -subset / -set-equals', `<Apply FunctionId="${F1}and">
        <Apply FunctionId="${F1}yearMonthDuration-at-least-one-member-of"><Apply FunctionId="${F1}yearMonthDuration-bag"><AttributeValue DataType="${YMD}">P12M</AttributeValue></Apply><Apply FunctionId="${F1}yearMonthDuration-bag"><AttributeValue DataType="${YMD}">P1Y</AttributeValue></Apply></Apply>
        <Apply FunctionId="${F1}yearMonthDuration-subset"><Apply FunctionId="${F1}yearMonthDuration-intersection"><Apply FunctionId="${F1}yearMonthDuration-bag"><AttributeValue DataType="${YMD}">P1M</AttributeValue></Apply><Apply FunctionId="${F1}yearMonthDuration-bag"><AttributeValue DataType="${YMD}">P1M</AttributeValue></Apply></Apply>
          <Apply FunctionId="${F1}yearMonthDuration-union"><Apply FunctionId="${F1}yearMonthDuration-bag"><AttributeValue DataType="${YMD}">P1M</AttributeValue></Apply><Apply FunctionId="${F1}yearMonthDuration-bag"><AttributeValue DataType="${YMD}">P3M</AttributeValue></Apply></Apply></Apply>
        <Apply FunctionId="${F1}dayTimeDuration-set-equals"><Apply FunctionId="${F1}dayTimeDuration-bag"><AttributeValue DataType="${DTD}">PT1M</AttributeValue></Apply><Apply FunctionId="${F1}dayTimeDuration-bag"><AttributeValue DataType="${DTD}">PT60S</AttributeValue></Apply></Apply>
      </Apply>`],
  ];
  it.each(cases)('%s load and decide like the 3.0 functions', async (_name, condition) => {
    expect(await decide([policy2(condition)], request2(subject({ [SUBJECT_ID]: 'ann' })))).toEqual(['Permit']);
  });

  it('a false comparison still gives NotApplicable (the alias is the function, not a constant)', async () => {
    const cond = `<Apply FunctionId="${F1}dayTimeDuration-is-in"><AttributeValue DataType="${DTD}">P2D</AttributeValue>
      <Apply FunctionId="${F1}dayTimeDuration-bag"><AttributeValue DataType="${DTD}">PT24H</AttributeValue></Apply></Apply>`;
    expect(await decide([policy2(cond)], request2(subject({ [SUBJECT_ID]: 'ann' })))).toEqual(['NotApplicable']);
  });
});

describe('XACML 2.0 requests: several Subject elements', () => {
  const ROLE = 'urn:example:role';
  const both = `<Apply FunctionId="${F1}and">
    <Apply FunctionId="${F1}string-is-in"><AttributeValue DataType="${XS}string">ann</AttributeValue><SubjectAttributeDesignator AttributeId="${SUBJECT_ID}" DataType="${XS}string"/></Apply>
    <Apply FunctionId="${F1}string-is-in"><AttributeValue DataType="${XS}string">nurse</AttributeValue><SubjectAttributeDesignator AttributeId="${ROLE}" DataType="${XS}string"/></Apply>
  </Apply>`;

  it('with the same category (none given = access-subject) are one subject: one decision seeing every attribute', async () => {
    const req = request2(subject({ [SUBJECT_ID]: 'ann' }) + subject({ [ROLE]: 'nurse' }, 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject'));
    expect(await decide([policy2(both)], req)).toEqual(['Permit']);
  });

  it('with different categories stay apart', async () => {
    const req = request2(subject({ [SUBJECT_ID]: 'ann' }) + subject({ [ROLE]: 'nurse' }, 'urn:oasis:names:tc:xacml:1.0:subject-category:intermediary-subject'));
    expect(await decide([policy2(both)], req)).toEqual(['NotApplicable']);
  });

  it('repeated Resource elements still make one decision each', async () => {
    const res = (id: string) => `<Resource><Attribute AttributeId="urn:oasis:names:tc:xacml:1.0:resource:resource-id" DataType="${XS}string"><AttributeValue>${id}</AttributeValue></Attribute></Resource>`;
    const req = request2(subject({ [SUBJECT_ID]: 'ann' }) + subject({ [ROLE]: 'nurse' }), res('a') + res('b'));
    expect(await decide([policy2(both)], req)).toEqual(['Permit', 'Permit']);
  });
});

describe('XACML 2.0 RequestContextPath', () => {
  const REC = 'urn:example:records';
  const recordRequest = (name: string) => request2(subject({ [SUBJECT_ID]: 'ann' }),
    `<Resource><ResourceContent><r:record xmlns:r="${REC}"><r:owner>${name}</r:owner></r:record></ResourceContent></Resource>`);
  const selectorCondition = (path: string) => `<Apply FunctionId="${F1}string-is-in"><AttributeValue DataType="${XS}string">ann</AttributeValue>
    <AttributeSelector RequestContextPath="${path}" DataType="${XS}string"/></Apply>`;

  it('`//` and an element outside the context namespace selects in the resource content', async () => {
    const p = policy2(selectorCondition('//r:record/r:owner/text()'), `xmlns:r="${REC}"`);
    expect(await decide([p], recordRequest('ann'))).toEqual(['Permit']);
    expect(await decide([p], recordRequest('bob'))).toEqual(['NotApplicable']);
  });

  it('an invalid path is refused as an XPath syntax error, before any translation', () => {
    const p = policy2(selectorCondition('//r:record/[owner'), `xmlns:r="${REC}"`);
    let err: unknown;
    try {
      compilePdp([{ text: p }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(XacmlError);
    expect((err as XacmlError).issues.map((i) => i.code)).toEqual(['invalid-xpath']);
  });

  it('a path into the context elements themselves still cannot be translated', () => {
    const p = policy2(selectorCondition('//ctx:Subject/ctx:Attribute/ctx:AttributeValue'), `xmlns:ctx="${C2}"`);
    expect(() => compilePdp([{ text: p }])).toThrow(/cannot be translated/);
  });

  it('string-typed xpath-node-count runs on the whole 2.0 request with the policy\'s prefixes', async () => {
    const count = (path: string, n: number) => policy2(`<Apply FunctionId="${F1}integer-equal">
      <Apply FunctionId="${F1}xpath-node-count"><AttributeValue DataType="${XS}string">${path}</AttributeValue></Apply>
      <AttributeValue DataType="${XS}integer">${n}</AttributeValue></Apply>`, `xmlns:ctx="${C2}" xmlns:r="${REC}"`);
    expect(await decide([count('/ctx:Request/ctx:Subject', 1)], recordRequest('ann'))).toEqual(['Permit']);
    expect(await decide([count('//ctx:ResourceContent/r:record/r:owner', 1)], recordRequest('ann'))).toEqual(['Permit']);
    expect(await decide([count('//r:owner', 2)], recordRequest('ann'))).toEqual(['NotApplicable']);
  });

  it('string-typed xpath-node-equal and -match compare nodes of the 2.0 request', async () => {
    const ns = `xmlns:ctx="${C2}" xmlns:r="${REC}"`;
    const call = (fn: string, a: string, b: string) => policy2(`<Apply FunctionId="${F1}${fn}">
      <AttributeValue DataType="${XS}string">${a}</AttributeValue><AttributeValue DataType="${XS}string">${b}</AttributeValue></Apply>`, ns);
    expect(await decide([call('xpath-node-equal', '//r:owner', '/ctx:Request/ctx:Resource/ctx:ResourceContent/r:record/r:owner')], recordRequest('ann'))).toEqual(['Permit']);
    expect(await decide([call('xpath-node-match', '//r:record', '//r:owner/text()')], recordRequest('ann'))).toEqual(['Permit']);
    expect(await decide([call('xpath-node-match', '//r:owner', '//ctx:Subject')], recordRequest('ann'))).toEqual(['NotApplicable']);
  });
});

describe('ContextSelectorId (core §7.3.7)', () => {
  const R = 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource';
  const policy = `<Policy xmlns="${X3}" PolicyId="urn:example:ctx" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides">
    <Target/><Rule RuleId="r" Effect="Permit"><Condition>
      <Apply FunctionId="${F1}string-is-in"><AttributeValue DataType="${XS}string">x</AttributeValue>
        <AttributeSelector Category="${R}" ContextSelectorId="urn:example:node" Path="text()" DataType="${XS}string" MustBePresent="false"/></Apply>
    </Condition></Rule></Policy>`;
  const request = (path: string) => `<Request xmlns="${X3}" ReturnPolicyIdList="false" CombinedDecision="false">
    <Attributes Category="${R}">
      <Content><items xmlns=""><item>x</item><item>y</item></items></Content>
      <Attribute AttributeId="urn:example:node" IncludeInResult="false"><AttributeValue DataType="urn:oasis:names:tc:xacml:3.0:data-type:xpathExpression" XPathCategory="${R}">${path}</AttributeValue></Attribute>
    </Attributes></Request>`;

  it('one node selected: the selector reads under it', async () => {
    expect(await decide([policy], request('/items/item[1]'))).toEqual(['Permit']);
  });
  it.each([['no node', '/items/none'], ['several nodes', '/items/item']])('%s selected: Indeterminate with syntax-error', async (_n, path) => {
    expect(await decide([policy], request(path))).toEqual(['Indeterminate:syntax-error']);
  });
});

describe('root combining algorithm with a single root', () => {
  const single = `<Policy xmlns="${X3}" PolicyId="urn:example:one" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides">
    <Target/><Rule RuleId="never" Effect="Permit"><Target><AnyOf><AllOf><Match MatchId="${F1}string-equal">
      <AttributeValue DataType="${XS}string">nobody</AttributeValue>
      <AttributeDesignator Category="urn:oasis:names:tc:xacml:1.0:subject-category:access-subject" AttributeId="${SUBJECT_ID}" DataType="${XS}string" MustBePresent="true"/>
    </Match></AllOf></AnyOf></Target></Rule></Policy>`;
  const req = `<Request xmlns="${X3}" ReturnPolicyIdList="true" CombinedDecision="false"/>`;

  it('is applied when configured: deny-unless-permit turns the Indeterminate into Deny', async () => {
    expect(await decide([single], req)).toEqual(['Indeterminate:missing-attribute']);
    expect(await decide([single], req, { rootCombiningAlgorithm: 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:deny-unless-permit' })).toEqual(['Deny']);
  });

  it('the synthetic wrapper is never reported as a policy set nor traced', async () => {
    const pdp = compilePdp([{ text: single }], { rootCombiningAlgorithm: 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:deny-overrides' });
    const { response, traces } = await pdp.evaluate(parseRequestXml(req), { trace: true });
    expect(response.results[0]!.decision).toBe('Indeterminate');
    expect(response.results[0]!.policyIdentifiers?.policySets).toEqual([]);
    expect(traces![0]!.some((t) => t.kind === 'policySet')).toBe(false);
  });
});

describe('conformance data location', () => {
  it('SAFAX_CONFORMANCE_DIR overrides ../shared/conformance', () => {
    const before = process.env.SAFAX_CONFORMANCE_DIR;
    process.env.SAFAX_CONFORMANCE_DIR = '/elsewhere/vectors';
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const files = require('./support/conformance-files') as typeof ConformanceFiles;
        expect(files.CONFORMANCE_ROOT).toBe('/elsewhere/vectors');
        expect(files.conformancePath('a', 'b.xml')).toBe('/elsewhere/vectors/a/b.xml');
      });
    } finally {
      if (before === undefined) delete process.env.SAFAX_CONFORMANCE_DIR;
      else process.env.SAFAX_CONFORMANCE_DIR = before;
    }
  });
});
