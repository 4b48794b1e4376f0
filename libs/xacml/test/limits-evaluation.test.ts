/**
 * Evaluation limits (issue 14, finding 6): a small policy cannot make one evaluation build
 * huge strings or bags, fill the response, or walk an exponential tree of references. Each
 * bound answers Indeterminate with a processing-error status naming it, quickly.
 */
import { performance } from 'node:perf_hooks';
import { compilePdp, parseRequestJson } from '../src/index';
import type { PdpOptions, PolicySource, XacmlResult } from '../src/index';

const X = 'urn:oasis:names:tc:xacml:3.0:core:schema:wd-17';
const STR = 'http://www.w3.org/2001/XMLSchema#string';
const F = 'urn:oasis:names:tc:xacml:1.0:function:';
const CONCAT = 'urn:oasis:names:tc:xacml:2.0:function:string-concatenate';
const PROCESSING_ERROR = 'urn:oasis:names:tc:xacml:1.0:status:processing-error';
const request = parseRequestJson(JSON.stringify({ Request: { Action: { Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:action:action-id', Value: 'read' }] } } }));

/** A policy with these variables, permitting with an obligation carrying `assign` (VariableIds) each once. */
function policyWith(variables: string, assign: readonly string[], condition = ''): string {
  const assignments = assign.map((v) => `<AttributeAssignmentExpression AttributeId="out"><VariableReference VariableId="${v}"/></AttributeAssignmentExpression>`).join('');
  return `<Policy xmlns="${X}" PolicyId="amplifier" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides">
  <Target/>${variables}
  <Rule RuleId="r" Effect="Permit">${condition}
    <ObligationExpressions><ObligationExpression ObligationId="show" FulfillOn="Permit">${assignments}</ObligationExpression></ObligationExpressions>
  </Rule>
</Policy>`;
}

/** v0 = "abcdefgh"; v(i) = v(i-1) ++ v(i-1): v25 would be 268 million characters. */
function doubling(levels: number): string {
  let vars = `<VariableDefinition VariableId="v0"><AttributeValue DataType="${STR}">abcdefgh</AttributeValue></VariableDefinition>`;
  for (let i = 1; i <= levels; i++) vars += `<VariableDefinition VariableId="v${i}"><Apply FunctionId="${CONCAT}"><VariableReference VariableId="v${i - 1}"/><VariableReference VariableId="v${i - 1}"/></Apply></VariableDefinition>`;
  return vars;
}

async function decide(sources: PolicySource[], options: PdpOptions = {}): Promise<{ result: XacmlResult; ms: number; heapMb: number }> {
  const pdp = compilePdp(sources, options);
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const evaluation = await pdp.evaluate(request);
  const ms = performance.now() - started;
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  return { result: evaluation.response.results[0]!, ms, heapMb };
}

describe('evaluation limits', () => {
  it('the 25-variable string-doubling policy answers Indeterminate quickly with bounded memory', async () => {
    const text = policyWith(doubling(25), ['v25'], `<Condition><Apply FunctionId="${F}string-equal"><VariableReference VariableId="v25"/><AttributeValue DataType="${STR}">x</AttributeValue></Apply></Condition>`);
    expect(text.length).toBeLessThan(8_000);
    const { result, ms, heapMb } = await decide([{ text }]);
    expect(result.decision).toBe('Indeterminate');
    expect(result.status).toEqual({ code: PROCESSING_ERROR, message: 'evaluation limit exceeded: string-concatenate would produce a string of 2097152 characters; the limit is 1048576' });
    // Measured: a few ms and a few MB (it was 268 MB per response and 1.2 GB of heap). Generous bounds.
    expect(ms).toBeLessThan(1_000);
    expect(heapMb).toBeLessThan(64);
    process.stdout.write(`doubling policy: ${ms.toFixed(1)} ms, heap +${heapMb.toFixed(1)} MB\n`);
  });

  it('below the string limit it decides as before', async () => {
    const { result } = await decide([{ text: policyWith(doubling(3), ['v3']) }]);
    expect(result.decision).toBe('Permit');
    expect(result.obligations[0]!.assignments[0]!.value.value).toBe('abcdefgh'.repeat(8));
  });

  it('bounds the response: obligation values past maxResponseChars make the decision Indeterminate', async () => {
    // v16 is 512 Ki characters (within the string limit); ten copies are 5 Mi > 4 Mi.
    const { result } = await decide([{ text: policyWith(doubling(16), Array.from({ length: 10 }, () => 'v16')) }]);
    expect(result.decision).toBe('Indeterminate');
    expect(result.status.message).toBe('evaluation limit exceeded: obligation and advice values exceed 4194304 characters');
    expect(result.obligations).toEqual([]);
  });

  it('bounds bags a function builds: union doubling a bag through map', async () => {
    let vars = `<VariableDefinition VariableId="b0"><Apply FunctionId="${F}string-bag"><AttributeValue DataType="${STR}">a</AttributeValue></Apply></VariableDefinition>`;
    for (let i = 1; i <= 16; i++) {
      vars += `<VariableDefinition VariableId="b${i}"><Apply FunctionId="${F}string-union"><VariableReference VariableId="b${i - 1}"/><Apply FunctionId="urn:oasis:names:tc:xacml:3.0:function:map"><Function FunctionId="${CONCAT}"/><VariableReference VariableId="b${i - 1}"/><AttributeValue DataType="${STR}">${i}</AttributeValue></Apply></Apply></VariableDefinition>`;
    }
    const condition = `<Condition><Apply FunctionId="${F}string-is-in"><AttributeValue DataType="${STR}">zz</AttributeValue><VariableReference VariableId="b16"/></Apply></Condition>`;
    const { result } = await decide([{ text: policyWith(vars, [], condition) }]);
    expect(result.decision).toBe('Indeterminate');
    expect(result.status.message).toMatch(/^evaluation limit exceeded: string-union would produce a bag of 1\d{4} values; the limit is 10000$/);
  });

  it('bounds what all function calls of one evaluation produce together', async () => {
    const { result } = await decide([{ text: policyWith(doubling(8), ['v8']) }], { evaluationLimits: { maxProducedSize: 1000 } });
    expect(result.decision).toBe('Indeterminate');
    expect(result.status.message).toBe('evaluation limit exceeded: function calls produced more than 1000 characters and bag values (last string-concatenate)');
  });

  const set = (id: string, body: string) =>
    `<PolicySet xmlns="${X}" PolicySetId="${id}" Version="1.0" PolicyCombiningAlgId="urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:deny-overrides"><Target/>${body}</PolicySet>`;
  const leaf = set('leaf', `<Policy PolicyId="p" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides"><Target/><Rule RuleId="r" Effect="Permit"/></Policy>`);

  it('an 18-level reference fan-out (each set naming the next twice) answers a clear status, not a stack overflow', async () => {
    const docs = Array.from({ length: 18 }, (_, i) => ({ text: set(`s${i}`, `<PolicySetIdReference>${i === 17 ? 'leaf' : `s${i + 1}`}</PolicySetIdReference>`.repeat(2)) }));
    const { result, ms } = await decide([...docs, { text: leaf }], { alwaysReturnPolicyIdList: true });
    expect(result.decision).toBe('Indeterminate');
    expect(result.status.code).toBe(PROCESSING_ERROR);
    expect(result.status.message).toMatch(/^evaluation limit exceeded: more than 20000 policy and policy set evaluations \(at .+\): too much reference fan-out$/);
    expect(ms).toBeLessThan(2_000);
    process.stdout.write(`18-level fan-out: ${ms.toFixed(1)} ms\n`);
  });

  it('a reference chain deeper than maxPolicyDepth answers a clear status', async () => {
    const docs = Array.from({ length: 300 }, (_, i) => ({ text: set(`c${i}`, `<PolicySetIdReference>${i === 299 ? 'leaf' : `c${i + 1}`}</PolicySetIdReference>`) }));
    const { result } = await decide([...docs, { text: leaf }]);
    expect(result.decision).toBe('Indeterminate');
    expect(result.status.message).toBe('evaluation limit exceeded: policies and policy sets nest deeper than 256 (at PolicySet c256)');
    // Within the limit the same shape decides.
    const shallow = Array.from({ length: 50 }, (_, i) => ({ text: set(`c${i}`, `<PolicySetIdReference>${i === 49 ? 'leaf' : `c${i + 1}`}</PolicySetIdReference>`) }));
    expect((await decide([...shallow, { text: leaf }])).result.decision).toBe('Permit');
  });
});
