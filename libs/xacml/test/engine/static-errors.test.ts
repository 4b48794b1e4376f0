/** Policies are refused at load time with the error's code, a path to the element and its line. */
import { compilePdp, XacmlError, type XacmlIssue } from '../../src/index';
import { FN, policy, policySet, rule, STR, SUBJECT, target } from './fixtures';

function issuesOf(...texts: string[]): XacmlIssue[] {
  try {
    compilePdp(texts.map((text, i) => ({ text, name: `doc${i}` })));
  } catch (e) {
    expect(e).toBeInstanceOf(XacmlError);
    return [...(e as XacmlError).issues];
  }
  throw new Error('the policy was accepted');
}

const condition = (expr: string) => rule('r1', 'Permit', `<Condition>${expr}</Condition>`);

describe('static errors', () => {
  it('names an unknown function with the path of its Apply', () => {
    const [i] = issuesOf(policy('p', 'deny-overrides', condition(`<Apply FunctionId="urn:x:nope"/>`)));
    expect(i).toMatchObject({ code: 'unknown-function', path: '/Policy[@PolicyId="p"]/Rule[@RuleId="r1"]/Condition/Apply' });
    expect(i!.message).toContain('urn:x:nope');
  });

  it('refuses an argument of the wrong type, naming the function', () => {
    const [i] = issuesOf(policy('p', 'deny-overrides', condition(
      `<Apply FunctionId="${FN}integer-equal"><AttributeValue DataType="${STR}">a</AttributeValue><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#integer">1</AttributeValue></Apply>`)));
    expect(i!.code).toBe('type-mismatch');
    expect(i!.message).toContain('integer-equal');
  });

  it('refuses a condition that is not boolean', () => {
    const [i] = issuesOf(policy('p', 'deny-overrides', condition(`<AttributeValue DataType="${STR}">x</AttributeValue>`)));
    expect(i!.code).toBe('type-mismatch');
    expect(i!.message).toMatch(/boolean/);
  });

  it('refuses an invalid literal value and an unknown datatype', () => {
    const issues = issuesOf(policy('p', 'deny-overrides',
      condition(`<Apply FunctionId="${FN}integer-equal"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#integer">1.5</AttributeValue><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#integer">1</AttributeValue></Apply>`) +
      rule('r2', 'Deny', target([`<Match MatchId="${FN}string-equal"><AttributeValue DataType="urn:x:type">a</AttributeValue><AttributeDesignator Category="${SUBJECT}" AttributeId="a" DataType="${STR}" MustBePresent="false"/></Match>`]))));
    expect(issues.map((i) => i.code).sort()).toEqual(['invalid-value', 'unknown-datatype']);
  });

  it('collects every structural issue of a document, each with its line', () => {
    const issues = issuesOf(policy('p', 'deny-overrides', `\n${rule('r', 'Maybe' as 'Permit')}\n<Rule Effect="Permit"/>`));
    expect(issues.map((i) => [i.code, i.line])).toEqual([['invalid-value', 2], ['invalid-structure', 3]]);
  });

  it('collects every semantic issue of all documents once the structure is sound', () => {
    const issues = issuesOf(policy('p', 'nope', `\n${rule('r', 'Permit')}\n${rule('r', 'Permit')}`), policy('q', 'deny-overrides', condition('<Apply FunctionId="urn:x:nope"/>')));
    expect(issues.map((i) => i.code).sort()).toEqual(['duplicate-id', 'unknown-combining-algorithm', 'unknown-function']);
    expect(issues.find((i) => i.code === 'duplicate-id')!.line).toBe(3);
  });

  it('refuses undefined and circular references and bad version patterns', () => {
    expect(issuesOf(policySet('root', 'deny-overrides', '<PolicyIdReference>missing</PolicyIdReference>'))[0]!.code).toBe('undefined-reference');
    const a = policySet('a', 'deny-overrides', '<PolicySetIdReference>b</PolicySetIdReference>');
    const b = policySet('b', 'deny-overrides', '<PolicySetIdReference>a</PolicySetIdReference>');
    const root = policySet('root', 'deny-overrides', '<PolicySetIdReference>a</PolicySetIdReference>');
    expect(issuesOf(root, a, b).map((i) => i.code)).toContain('circular-reference');
    expect(issuesOf(policySet('root', 'deny-overrides', '<PolicyIdReference Version="1.x">p</PolicyIdReference>'))[0]!.code).toBe('invalid-version');
    expect(issuesOf(policy('p', 'deny-overrides', '', '1.a'))[0]!.code).toBe('invalid-version');
  });

  it('refuses an undefined or circular variable', () => {
    expect(issuesOf(policy('p', 'deny-overrides', condition('<VariableReference VariableId="v"/>')))[0]!.code).toBe('undefined-reference');
    const cyclic = policy('p', 'deny-overrides',
      `<VariableDefinition VariableId="a"><VariableReference VariableId="b"/></VariableDefinition>` +
      `<VariableDefinition VariableId="b"><VariableReference VariableId="a"/></VariableDefinition>`);
    expect(issuesOf(cyclic).map((i) => i.code)).toContain('circular-reference');
  });

  it('refuses an invalid regular expression in a literal', () => {
    const [i] = issuesOf(policy('p', 'deny-overrides', condition(
      `<Apply FunctionId="${FN}string-regexp-match"><AttributeValue DataType="${STR}">a(b</AttributeValue><AttributeValue DataType="${STR}">ab</AttributeValue></Apply>`)));
    expect(i!.code).toBe('invalid-regex');
  });

  it('refuses DOCTYPE, malformed XML and missing attributes, naming the element', () => {
    expect(issuesOf(`<!DOCTYPE p [<!ENTITY x "y">]>${policy('p', 'deny-overrides', '')}`)[0]!.code).toBe('forbidden-construct');
    expect(issuesOf('<Policy>')[0]!.code).toBe('malformed-xml');
    const [i] = issuesOf(policy('p', 'deny-overrides', `<Rule Effect="Permit"/>`));
    expect(i).toMatchObject({ code: 'invalid-structure' });
    expect(i!.message).toContain('RuleId');
  });

  it('enforces size and depth limits', () => {
    const deep = policy('p', 'deny-overrides', condition(`${'<Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:not">'.repeat(80)}<AttributeValue DataType="http://www.w3.org/2001/XMLSchema#boolean">true</AttributeValue>${'</Apply>'.repeat(80)}`));
    expect(() => compilePdp([{ text: deep }])).toThrow(/deeper than/);
    expect(() => compilePdp([{ text: policy('p', 'deny-overrides', '') }], { limits: { maxBytes: 50 } })).toThrow(/limit is 50/);
  });
});
