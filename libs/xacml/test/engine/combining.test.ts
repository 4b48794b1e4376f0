/** Combining algorithms against the truth tables of XACML 3.0 Appendix C. */
import { POLICY_ALGORITHMS, RULE_ALGORITHMS } from '../../src/combining/registry';
import type { Combinable } from '../../src/combining/combinable';
import type { EvalState } from '../../src/evaluate/eval-state';
import { D, type Outcome } from '../../src/evaluate/outcome';

const s = { collectPolicyIds: false } as EvalState;
const status = { code: 'urn:oasis:names:tc:xacml:1.0:status:processing-error', message: 'boom' };
const obligation = (id: string) => ({ id, assignments: [] });

function child(d: D, obligationId?: string): Combinable & { evaluated: number } {
  const o: Outcome = { d, obligations: obligationId ? [obligation(obligationId)] : [], advice: [], ...(d >= D.IndeterminateD ? { status } : {}) };
  return {
    evaluated: 0,
    applicable() {
      return d === D.NotApplicable ? 1 : 0;
    },
    evaluate() {
      this.evaluated++;
      return o;
    },
  };
}

const R3 = 'urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:';
const P3 = 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:';
const combine = (alg: string, ...ds: D[]) => (RULE_ALGORITHMS.get(alg) ?? POLICY_ALGORITHMS.get(alg))!.combine(ds.map((d) => child(d)), s).d;

const { Permit: P, Deny: De, NotApplicable: NA, IndeterminateD: ID, IndeterminateP: IP, IndeterminateDP: IDP } = D;
const NAMES = ['Permit', 'Deny', 'NotApplicable', 'Indeterminate{D}', 'Indeterminate{P}', 'Indeterminate{DP}'];
/** Rows as [title, children, expected] so test titles read like the spec's tables. */
const table = (rows: [D[], D][]): [string, D[], D][] => rows.map(([ds, e]) => [`${ds.map((d) => NAMES[d]).join(', ') || '(none)'} → ${NAMES[e]}`, ds, e]);

describe('deny-overrides (C.2)', () => {
  const alg = `${R3}deny-overrides`;
  it.each(table([
    [[P, De, IDP], De],
    [[P, NA], P],
    [[NA, NA], NA],
    [[], NA],
    [[IDP, P], IDP],
    [[ID, P], IDP],
    [[ID, IP], IDP],
    [[ID, NA], ID],
    [[IP, P], P],
    [[IP, NA], IP],
  ]))('%s', (_t, ds, expected) => expect(combine(alg, ...ds)).toBe(expected));

  it('stops at the first Deny and keeps only its obligations', () => {
    const kids = [child(P, 'p'), child(De, 'd'), child(De, 'd2')];
    const o = RULE_ALGORITHMS.get(alg)!.combine(kids, s);
    expect(o.obligations.map((x) => x.id)).toEqual(['d']);
    expect(kids[2]!.evaluated).toBe(0);
  });

  it('gathers the obligations of every Permit when Permit wins', () => {
    const o = RULE_ALGORITHMS.get(alg)!.combine([child(P, 'a'), child(NA), child(P, 'b')], s);
    expect(o.obligations.map((x) => x.id)).toEqual(['a', 'b']);
  });
});

describe('permit-overrides (C.3)', () => {
  const alg = `${P3}permit-overrides`;
  it.each(table([
    [[De, P], P],
    [[De, NA], De],
    [[IP, De], IDP],
    [[IP, NA], IP],
    [[ID, De], De],
    [[ID, NA], ID],
    [[IDP, De], IDP],
  ]))('%s', (_t, ds, expected) => expect(combine(alg, ...ds)).toBe(expected));
});

describe('the other algorithms', () => {
  it('first-applicable takes the first decision that is not NotApplicable', () => {
    expect(combine('urn:oasis:names:tc:xacml:1.0:rule-combining-algorithm:first-applicable', NA, ID, P)).toBe(ID);
    expect(combine('urn:oasis:names:tc:xacml:1.0:rule-combining-algorithm:first-applicable', NA, NA)).toBe(NA);
  });

  it('deny-unless-permit and permit-unless-deny never answer NotApplicable or Indeterminate', () => {
    expect(combine(`${R3}deny-unless-permit`, NA, IDP)).toBe(De);
    expect(combine(`${R3}deny-unless-permit`, De, P)).toBe(P);
    expect(combine(`${R3}permit-unless-deny`, NA, IDP)).toBe(P);
    expect(combine(`${R3}permit-unless-deny`, P, De)).toBe(De);
  });

  it('only-one-applicable is Indeterminate when two policies apply', () => {
    const alg = 'urn:oasis:names:tc:xacml:1.0:policy-combining-algorithm:only-one-applicable';
    expect(combine(alg, NA, P, NA)).toBe(P);
    expect(combine(alg, P, De)).toBe(IDP);
    expect(combine(alg, NA)).toBe(NA);
  });

  it('legacy 1.0 policy deny-overrides turns Indeterminate into Deny', () => {
    expect(combine('urn:oasis:names:tc:xacml:1.0:policy-combining-algorithm:deny-overrides', P, IDP)).toBe(De);
    expect(combine('urn:oasis:names:tc:xacml:1.0:policy-combining-algorithm:permit-overrides', De, IDP)).toBe(De);
  });

  it('legacy 1.0 rule deny-overrides is Indeterminate when a Deny rule could not be evaluated', () => {
    const alg = 'urn:oasis:names:tc:xacml:1.0:rule-combining-algorithm:deny-overrides';
    expect(combine(alg, P, ID)).toBe(IDP);
    expect(combine(alg, P, IP)).toBe(P);
  });
});
