/** Evaluation behaviour of the engine through its public API. */
import { compilePdp, parseRequestXml, type AttributeResolver } from '../../src/index';
import { ACTION, FN, match, policy, policySet, request, RESOURCE, rule, STR, SUBJECT, target } from './fixtures';

const ROLE = 'urn:test:role';

async function decide(policies: string[], req: string, options: Parameters<typeof compilePdp>[1] = {}) {
  const pdp = compilePdp(policies.map((text) => ({ text })), options);
  const { response } = await pdp.evaluate(parseRequestXml(req));
  return response.results[0]!;
}

describe('evaluation', () => {
  const readPolicy = policy('p', 'deny-overrides', rule('read', 'Permit', target([match(ACTION, 'a', 'read')])));

  it('decides Permit, NotApplicable, and reports missing attributes with detail', async () => {
    expect((await decide([readPolicy], request({ [ACTION]: { a: 'read' } }))).decision).toBe('Permit');
    expect((await decide([readPolicy], request({ [ACTION]: { a: 'write' } }))).decision).toBe('NotApplicable');
    const strict = policy('p', 'deny-overrides', rule('r', 'Permit', target([match(ACTION, 'a', 'read', true)])));
    const r = await decide([strict], request({}));
    expect(r.decision).toBe('Indeterminate');
    expect(r.status.code).toBe('urn:oasis:names:tc:xacml:1.0:status:missing-attribute');
    expect(r.status.missingAttributes).toEqual([{ category: ACTION, attributeId: 'a', datatype: STR }]);
  });

  it('asks the resolver for attributes the request lacks, once per evaluation', async () => {
    const calls: string[] = [];
    const resolver: AttributeResolver = {
      async resolve(q, view) {
        calls.push(`${q.attributeId}:${view.values(SUBJECT, 'id').join(',')}`);
        return q.attributeId === ROLE && view.values(SUBJECT, 'id')[0] === 'alice' ? ['doctor', 'admin'] : [];
      },
    };
    const p = policy('p', 'first-applicable',
      rule('doctors', 'Permit', target([match(SUBJECT, ROLE, 'doctor')])) +
      rule('doctors-again', 'Permit', `<Condition><Apply FunctionId="${FN}string-is-in"><AttributeValue DataType="${STR}">admin</AttributeValue><AttributeDesignator Category="${SUBJECT}" AttributeId="${ROLE}" DataType="${STR}" MustBePresent="false"/></Apply></Condition>`) +
      rule('others', 'Deny'));
    expect((await decide([p], request({ [SUBJECT]: { id: 'alice' } }), { attributeResolver: resolver })).decision).toBe('Permit');
    expect((await decide([p], request({ [SUBJECT]: { id: 'bob' } }), { attributeResolver: resolver })).decision).toBe('Deny');
    expect(calls).toEqual([`${ROLE}:alice`, `${ROLE}:bob`]);
  });

  it('turns a failing or slow resolver into Indeterminate with a processing-error status', async () => {
    const p = policy('p', 'deny-overrides', rule('r', 'Permit', target([match(SUBJECT, ROLE, 'doctor', true)])));
    const failing: AttributeResolver = { resolve: async () => { throw new Error('context handler unreachable'); } };
    const r = await decide([p], request({}), { attributeResolver: failing });
    expect(r.decision).toBe('Indeterminate');
    expect(r.status.code).toBe('urn:oasis:names:tc:xacml:1.0:status:processing-error');
    expect(r.status.message).toContain('context handler unreachable');

    const slow: AttributeResolver = { resolve: () => new Promise((res) => setTimeout(() => res(['doctor']), 2_000).unref()) };
    const pdp = compilePdp([{ text: p }], { attributeResolver: slow });
    const started = Date.now();
    const { response } = await pdp.evaluate(parseRequestXml(request({})), { timeoutMs: 50 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(response.results[0]!.decision).toBe('Indeterminate');
    expect(response.results[0]!.status.message).toMatch(/timeout/);
  });

  it('returns the applicable policies when asked, and a trace of what decided', async () => {
    const root = policySet('root', 'deny-overrides',
      policy('p1', 'deny-overrides', rule('r1', 'Permit', target([match(ACTION, 'a', 'read')]))) +
      policy('p2', 'deny-overrides', rule('r2', 'Deny', target([match(ACTION, 'a', 'write')]))));
    const pdp = compilePdp([{ text: root }]);
    const { response, traces } = await pdp.evaluate(parseRequestXml(request({ [ACTION]: { a: 'read' } }, ' ').replace('ReturnPolicyIdList="false"', 'ReturnPolicyIdList="true"')), { trace: true });
    expect(response.results[0]!.policyIdentifiers).toEqual({ policies: [{ id: 'p1', version: '1.0' }], policySets: [{ id: 'root', version: '1.0' }] });
    expect(traces![0]).toEqual(expect.arrayContaining([
      { kind: 'rule', id: 'r1', policyId: 'p1', decision: 'Permit' },
      { kind: 'policy', id: 'p2', version: '1.0', decision: 'NotApplicable' },
      { kind: 'policySet', id: 'root', version: '1.0', decision: 'Permit' },
    ]));
  });

  it('combines several root policies with the configured algorithm', async () => {
    const permit = policy('a', 'deny-overrides', rule('r', 'Permit'));
    const deny = policy('b', 'deny-overrides', rule('r', 'Deny'));
    expect((await decide([permit, deny], request({}))).decision).toBe('Deny');
    expect((await decide([permit, deny], request({}), { rootCombiningAlgorithm: 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:permit-overrides' })).decision).toBe('Permit');
    expect((await decide([permit, deny], request({}), { rootPolicyIds: ['b'] })).decision).toBe('Deny');
  });

  it('picks the referenced policy version by Version, EarliestVersion and LatestVersion', async () => {
    const v = (version: string, effect: 'Permit' | 'Deny') => policy('p', 'deny-overrides', rule('r', effect), version);
    const ref = (attrs: string) => policySet('root', 'first-applicable', `<PolicyIdReference ${attrs}>p</PolicyIdReference>`);
    const docs = [v('1.0', 'Permit'), v('1.2', 'Deny'), v('2.0', 'Permit')];
    expect((await decide([ref('Version="1.+"'), ...docs], request({}), { rootPolicyIds: ['root'] })).decision).toBe('Deny');
    expect((await decide([ref('LatestVersion="1.1"'), ...docs], request({}), { rootPolicyIds: ['root'] })).decision).toBe('Permit');
    expect((await decide([ref('EarliestVersion="1.1" LatestVersion="1.*"'), ...docs], request({}), { rootPolicyIds: ['root'] })).decision).toBe('Deny');
  });

  it('evaluates XACML 2.0 policies translated to 3.0', async () => {
    const v2 = `<Policy xmlns="urn:oasis:names:tc:xacml:2.0:policy:schema:os" PolicyId="v2" RuleCombiningAlgId="urn:oasis:names:tc:xacml:1.0:rule-combining-algorithm:deny-overrides">
      <Target><Subjects><Subject><SubjectMatch MatchId="${FN}string-equal"><AttributeValue DataType="${STR}">bob</AttributeValue><SubjectAttributeDesignator AttributeId="id" DataType="${STR}"/></SubjectMatch></Subject></Subjects></Target>
      <Rule RuleId="r" Effect="Permit"><Target><Actions><Action><ActionMatch MatchId="${FN}string-equal"><AttributeValue DataType="${STR}">view</AttributeValue><ActionAttributeDesignator AttributeId="a" DataType="${STR}"/></ActionMatch></Action></Actions></Target></Rule>
      <Obligations><Obligation ObligationId="log" FulfillOn="Permit"><AttributeAssignment AttributeId="msg" DataType="${STR}">viewed</AttributeAssignment></Obligation></Obligations>
    </Policy>`;
    const r = await decide([v2], request({ [SUBJECT]: { id: 'bob' }, [ACTION]: { a: 'view' } }));
    expect(r.decision).toBe('Permit');
    expect(r.obligations).toEqual([{ id: 'log', assignments: [expect.objectContaining({ attributeId: 'msg' })] }]);
    expect((await decide([v2], request({ [SUBJECT]: { id: 'eve' }, [ACTION]: { a: 'view' } }))).decision).toBe('NotApplicable');
  });

  it('gives the same decisions with the target index as a linear scan would', async () => {
    // 40 policies (indexed: ≥ 8 children guarded by resource type), first-applicable so order matters.
    const types = Array.from({ length: 40 }, (_, i) => `type${i % 10}`);
    const body = types.map((t, i) => policy(`p${i}`, 'first-applicable',
      rule(`r${i}`, i % 3 === 0 ? 'Deny' : 'Permit', target([match(ACTION, 'a', i % 2 ? 'read' : 'write')])),
    ).replace('<Rule', `${target([match(RESOURCE, 'type', t)])}<Rule`)).join('');
    const root = policySet('root', 'first-applicable', body);
    const pdp = compilePdp([{ text: root }]);
    for (const t of ['type0', 'type3', 'type9', 'none']) {
      for (const a of ['read', 'write']) {
        const { response } = await pdp.evaluate(parseRequestXml(request({ [RESOURCE]: { type: t }, [ACTION]: { a } })));
        const first = types.findIndex((x, i) => x === t && (i % 2 ? 'read' : 'write') === a);
        const expected = first < 0 ? 'NotApplicable' : first % 3 === 0 ? 'Deny' : 'Permit';
        expect([t, a, response.results[0]!.decision]).toEqual([t, a, expected]);
      }
    }
  });
});

describe('access-permitted (A.3.16)', () => {
  const selector = `<AttributeSelector Category="${RESOURCE}" Path="record/owner/text()" DataType="${STR}" MustBePresent="false"/>`;
  const ownerIsAlice = rule('owner', 'Permit', `<Condition><Apply FunctionId="${FN}string-is-in"><AttributeValue DataType="${STR}">alice</AttributeValue>${selector}</Apply></Condition>`);
  const accessPermitted = (xml: string) => `<Apply FunctionId="urn:oasis:names:tc:xacml:3.0:function:access-permitted"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#anyURI">${RESOURCE}</AttributeValue><AttributeValue DataType="${STR}">${xml}</AttributeValue></Apply>`;
  // The nested request has Content, so the guard keeps the rule from asking again.
  const noContentYet = `<Apply FunctionId="${FN}integer-equal"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#integer">0</AttributeValue><Apply FunctionId="${FN}string-bag-size">${selector}</Apply></Apply>`;
  const askAbout = (xml: string, guarded = true) => rule('ask', 'Permit', target([match(ACTION, 'a', 'ask')]) +
    `<Condition>${guarded ? `<Apply FunctionId="${FN}and">${noContentYet}${accessPermitted(xml)}</Apply>` : accessPermitted(xml)}</Condition>`);

  it('evaluates the root policy on the request with the given Content', async () => {
    const p = (xml: string) => policy('p', 'deny-overrides', ownerIsAlice + askAbout(xml));
    expect((await decide([p('&lt;record&gt;&lt;owner&gt;alice&lt;/owner&gt;&lt;/record&gt;')], request({ [ACTION]: { a: 'ask' } }))).decision).toBe('Permit');
    expect((await decide([p('&lt;record&gt;&lt;owner&gt;bob&lt;/owner&gt;&lt;/record&gt;')], request({ [ACTION]: { a: 'ask' } }))).decision).toBe('NotApplicable');
  });

  it('stops a policy that asks about itself forever', async () => {
    const selfish = policy('p', 'deny-overrides', askAbout('&lt;x/&gt;', false));
    const r = await decide([selfish], request({ [ACTION]: { a: 'ask' } }));
    expect(r.decision).toBe('Indeterminate');
    expect(r.status.message).toMatch(/nested deeper/);
  });
});
