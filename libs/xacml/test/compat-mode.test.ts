/**
 * Compatibility mode: what strict mode refuses at load, accepted with a warning each, and
 * deciding as the lenient engines that exported such stores do.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compilePdp, parseRequestXml, XacmlError, type CompatibilityWarning } from '../src';
import { EXIT_OK, EXIT_REFUSED, EXIT_USAGE, runCli } from '../src/cli/run-cli';

const X3 = 'urn:oasis:names:tc:xacml:3.0:core:schema:wd-17';
const F1 = 'urn:oasis:names:tc:xacml:1.0:function:';
const XS = 'http://www.w3.org/2001/XMLSchema#';
const RULE_ALG = 'urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:';
const POLICY_ALG = 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:';
const RES = 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource';
const SUBJ = 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject';

const policy = (id: string, rules: string, alg = 'permit-overrides', ns = ''): string =>
  `<Policy xmlns="${X3}" ${ns} PolicyId="${id}" Version="1.0" RuleCombiningAlgId="${RULE_ALG}${alg}"><Target/>${rules}</Policy>`;
const permit = (id: string, condition = '') => `<Rule RuleId="${id}" Effect="Permit">${condition && `<Condition>${condition}</Condition>`}</Rule>`;
const deny = (id: string) => `<Rule RuleId="${id}" Effect="Deny"/>`;
const set = (id: string, alg: string, children: string) =>
  `<PolicySet xmlns="${X3}" PolicySetId="${id}" Version="1.0" PolicyCombiningAlgId="${alg.includes(':') ? alg : `${POLICY_ALG}${alg}`}"><Target/>${children}</PolicySet>`;
const FIRST = 'urn:oasis:names:tc:xacml:1.0:policy-combining-algorithm:first-applicable';
const ref = (id: string) => `<PolicyIdReference>${id}</PolicyIdReference>`;

const EMPTY_REQUEST = `<Request xmlns="${X3}" ReturnPolicyIdList="false" CombinedDecision="false"/>`;

function load(texts: string[], compatibility: boolean) {
  return compilePdp(texts.map((text, i) => ({ text, name: `doc${i + 1}.xml` })), { compatibility });
}
function refusal(texts: string[]): string[] {
  try {
    load(texts, false);
  } catch (e) {
    if (e instanceof XacmlError) return e.issues.map((i) => i.code);
    throw e;
  }
  return [];
}
async function decide(texts: string[], request = EMPTY_REQUEST) {
  const pdp = load(texts, true);
  const r = (await pdp.evaluate(parseRequestXml(request))).response.results[0]!;
  return { decision: r.decision, status: r.status, warnings: pdp.warnings };
}
const codes = (w: readonly CompatibilityWarning[]) => w.map((x) => x.code);

describe('compatibility mode', () => {
  it('is off by default: strict loading is unchanged and reports no warnings', () => {
    const pdp = compilePdp([{ text: policy('urn:p', permit('r')) }]);
    expect(pdp.warnings).toEqual([]);
    expect(refusal([policy('urn:p', permit('same') + deny('same'))])).toEqual(['duplicate-id']);
  });

  it('accepts duplicate RuleIds and keeps both rules', async () => {
    const texts = [policy('urn:p', permit('same') + deny('same'), 'deny-overrides')];
    const r = await decide(texts);
    expect(r.decision).toBe('Deny');
    expect(codes(r.warnings)).toEqual(['duplicate-rule-id']);
    expect(r.warnings[0]!.strictCode).toBe('duplicate-id');
  });

  it('a reference to nothing loaded is Indeterminate only when the combining algorithm reaches it', async () => {
    expect(refusal([set('urn:s', FIRST, policy('urn:a', permit('r')) + ref('urn:missing'))])).toEqual(['undefined-reference']);
    const first = await decide([set('urn:s', FIRST, policy('urn:a', permit('r')) + ref('urn:missing'))]);
    expect(first.decision).toBe('Permit');
    expect(codes(first.warnings)).toEqual(['unresolved-reference']);
    const reached = await decide([set('urn:s', FIRST, ref('urn:missing') + policy('urn:a', permit('r')))]);
    expect(reached.decision).toBe('Indeterminate');
    expect(reached.status.code).toBe('urn:oasis:names:tc:xacml:1.0:status:processing-error');
    expect(reached.status.message).toMatch(/urn:missing/);
  });

  it('a reference to a document refused at compile time (unknown function) loads; the document is left out', async () => {
    const broken = policy('urn:broken', permit('r', `<Apply FunctionId="urn:example:no-such-function"/>`));
    const root = set('urn:s', 'deny-overrides', ref('urn:broken') + policy('urn:a', permit('r')));
    expect(refusal([root, broken])).toContain('unknown-function');
    const r = await decide([root, broken]);
    expect(r.decision).toBe('Indeterminate');
    expect(codes(r.warnings).sort()).toEqual(['refused-policy', 'refused-policy']);
    expect(r.warnings.some((w) => /urn:broken/.test(w.message) && w.strictCode === 'unknown-function')).toBe(true);
  });

  it('a reference to a document that does not even parse loads the same way', async () => {
    const unparsable = `<Policy xmlns="${X3}" PolicyId="urn:broken" Version="1.0" RuleCombiningAlgId="${RULE_ALG}permit-overrides"><Target/><Bogus/></Policy>`;
    const root = set('urn:s', 'permit-overrides', policy('urn:a', permit('r')) + ref('urn:broken'));
    expect(refusal([root, unparsable])).toEqual(['invalid-structure']);
    const r = await decide([root, unparsable]);
    // permit-overrides stops at the first Permit; the broken reference is not reached.
    expect(r.decision).toBe('Permit');
    // Left out, the document is also what the reference cannot find.
    expect(codes(r.warnings).sort()).toEqual(['refused-policy', 'unresolved-reference']);
  });

  it('a refused document nobody references is still refused', () => {
    const broken = policy('urn:lonely', permit('r', `<Apply FunctionId="urn:example:no-such-function"/>`));
    expect(() => load([policy('urn:a', permit('r')), broken], true)).toThrow(XacmlError);
  });

  it('a constant call that would fail (negative substring start) is a processing-error when evaluated', async () => {
    const call = `<Apply FunctionId="${F1}string-equal">
      <Apply FunctionId="urn:oasis:names:tc:xacml:3.0:function:string-substring"><AttributeValue DataType="${XS}string">abc</AttributeValue>
        <AttributeValue DataType="${XS}integer">-1</AttributeValue><AttributeValue DataType="${XS}integer">2</AttributeValue></Apply>
      <AttributeValue DataType="${XS}string">ab</AttributeValue></Apply>`;
    const texts = [policy('urn:p', permit('r', call))];
    expect(refusal(texts)).toEqual(['invalid-value']);
    const r = await decide(texts);
    expect(r.decision).toBe('Indeterminate');
    expect(r.status.code).toBe('urn:oasis:names:tc:xacml:1.0:status:processing-error');
    expect(codes(r.warnings)).toEqual(['failing-constant-call']);
  });

  it('an invalid regular expression in a Match is Indeterminate when the match is evaluated', async () => {
    const target = `<Target><AnyOf><AllOf><Match MatchId="${F1}string-regexp-match">
      <AttributeValue DataType="${XS}string">(unclosed</AttributeValue>
      <AttributeDesignator Category="${SUBJ}" AttributeId="urn:example:name" DataType="${XS}string" MustBePresent="false"/>
    </Match></AllOf></AnyOf></Target>`;
    const texts = [policy('urn:p', `<Rule RuleId="r" Effect="Permit">${target}</Rule>`)];
    expect(refusal(texts)).toEqual(['invalid-regex']);
    const r = await decide(texts);
    expect(r.decision).toBe('Indeterminate');
    expect(codes(r.warnings)).toEqual(['failing-constant-call']);
  });

  describe('XPath prefixes the policy does not declare', () => {
    const request = (owner: string) => `<Request xmlns="${X3}" ReturnPolicyIdList="false" CombinedDecision="false">
      <Attributes Category="${RES}"><Content><d:doc xmlns:d="urn:example:docs"><d:owner>${owner}</d:owner></d:doc></Content></Attributes></Request>`;
    const selectorPolicy = policy('urn:p', permit('r', `<Apply FunctionId="${F1}string-is-in"><AttributeValue DataType="${XS}string">ann</AttributeValue>
      <AttributeSelector Category="${RES}" Path="//d:owner/text()" DataType="${XS}string" MustBePresent="false"/></Apply>`));
    const countPolicy = policy('urn:p', permit('r', `<Apply FunctionId="${F1}integer-equal">
      <Apply FunctionId="urn:oasis:names:tc:xacml:3.0:function:xpath-node-count"><AttributeValue DataType="urn:oasis:names:tc:xacml:3.0:data-type:xpathExpression" XPathCategory="${RES}">//d:owner</AttributeValue></Apply>
      <AttributeValue DataType="${XS}integer">1</AttributeValue></Apply>`));

    it('in a selector: resolved from the request Content, with a warning', async () => {
      const strict = await load([selectorPolicy], false).evaluate(parseRequestXml(request('ann')));
      expect(strict.response.results[0]!.decision).toBe('Indeterminate');
      const r = await decide([selectorPolicy], request('ann'));
      expect(r.decision).toBe('Permit');
      expect(codes(r.warnings)).toEqual(['undeclared-prefix']);
      expect((await decide([selectorPolicy], request('bob'))).decision).toBe('NotApplicable');
    });

    it('in an xpathExpression argument: resolved the same way', async () => {
      const r = await decide([countPolicy], request('ann'));
      expect(r.decision).toBe('Permit');
      expect(codes(r.warnings)).toEqual(['undeclared-prefix']);
    });

    it('a prefix the policy declares keeps the policy\'s namespace', async () => {
      const own = policy('urn:p', permit('r', `<Apply FunctionId="${F1}string-is-in"><AttributeValue DataType="${XS}string">ann</AttributeValue>
        <AttributeSelector Category="${RES}" Path="//d:owner/text()" DataType="${XS}string" MustBePresent="false"/></Apply>`), 'permit-overrides', 'xmlns:d="urn:example:other"');
      const r = await decide([own], request('ann'));
      expect(r.decision).toBe('NotApplicable');
      expect(r.warnings).toEqual([]);
    });
  });
});

describe('safax-xacml --compat and --attributes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'safax-xacml-compat-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const roleCheck = `<Apply FunctionId="${F1}string-is-in"><AttributeValue DataType="${XS}string">auditor</AttributeValue>
    <AttributeDesignator Category="${SUBJ}" AttributeId="urn:example:role" DataType="${XS}string" MustBePresent="false"/></Apply>`;
  const duplicated = file('dup.xml', policy('urn:p', permit('same', roleCheck) + deny('same'), 'permit-overrides'));
  const req = file('req.xml', `<Request xmlns="${X3}" ReturnPolicyIdList="false" CombinedDecision="false"><Attributes Category="${SUBJ}"><Attribute AttributeId="urn:oasis:names:tc:xacml:1.0:subject:subject-id" IncludeInResult="false"><AttributeValue DataType="${XS}string">zoe</AttributeValue></Attribute></Attributes></Request>`);
  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await runCli(argv, { readFile: (p) => readFileSync(p, 'utf8'), writeFile: () => undefined, stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
    return { code, out, err };
  };

  it('check: strict refuses, --compat loads and prints each leniency', async () => {
    expect((await run('check', '--policy', duplicated)).code).toBe(EXIT_REFUSED);
    const r = await run('check', '--policy', duplicated, '--compat');
    expect(r.code).toBe(EXIT_OK);
    expect(r.out).toMatch(/1 compatibility warning/);
    expect(r.err).toMatch(/warning: compatibility mode accepted duplicate-rule-id .*RuleId same is already used/);
  });

  it('eval --attributes answers what the request lacks, per entity', async () => {
    const decision = async (...extra: string[]) => parseRequestXmlDecision((await run('eval', '--policy', duplicated, '--request', req, '--compat', ...extra)).out);
    expect(await decision()).toBe('Deny');
    expect(await decision('--attributes', file('zoe.json', JSON.stringify([{ category: 'subject', entity: 'zoe', attribute: 'urn:example:role', values: ['auditor'] }])))).toBe('Permit');
    expect(await decision('--attributes', file('other.json', JSON.stringify({ attributes: [{ category: 'subject', entity: 'max', attribute: 'urn:example:role', values: ['auditor'] }] })))).toBe('Deny');
    const bad = await run('eval', '--policy', duplicated, '--request', req, '--attributes', file('bad.json', '[{"category": "subject"}]'));
    expect(bad.code).toBe(EXIT_USAGE);
    expect(bad.err).toMatch(/category and attribute are required/);
  });
});

function parseRequestXmlDecision(xml: string): string {
  return /<Decision>(\w+)<\/Decision>/.exec(xml)?.[1] ?? xml;
}
