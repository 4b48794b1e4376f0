/**
 * The evaluable policy tree: rules (XACML 3.0 §7.11), policies (§7.12) and policy sets
 * (§7.13), with obligations and advice (§7.18). Built by `compile/policy-tree.ts`.
 */
import type { AttributeAssignment, IdReference, PepAction } from '../model/response';
import { IndeterminateError, type Status } from '../model/status';
import type { AttributeValue, ExprValue } from '../model/values';
import { isBag } from '../model/values';
import { MATCH, NO_MATCH, type Applicability, type Combinable, type CombiningAlgorithm } from '../combining/combinable';
import type { Evaluator } from '../compile/expression';
import type { Candidates } from '../compile/target-index';
import type { TargetEval } from '../compile/target';
import type { EvalState } from './eval-state';
import { concatActions, D, indeterminate, NOT_APPLICABLE, traceName, type Outcome } from './outcome';

export interface CompiledAssignment {
  readonly attributeId: string;
  readonly category?: string;
  readonly issuer?: string;
  readonly eval: Evaluator;
}

export interface CompiledPepAction {
  readonly id: string;
  readonly appliesTo: D.Permit | D.Deny;
  readonly assignments: readonly CompiledAssignment[];
}

const NONE: readonly never[] = Object.freeze([]);

/** Evaluates the obligation or advice expressions that apply to decision `d`; throws IndeterminateError. */
function pepActions(list: readonly CompiledPepAction[], d: D.Permit | D.Deny, s: EvalState): readonly PepAction[] {
  if (list.length === 0) return NONE;
  const out: PepAction[] = [];
  for (const a of list) {
    if (a.appliesTo !== d) continue;
    const assignments: AttributeAssignment[] = [];
    for (const asg of a.assignments) {
      const v: ExprValue = asg.eval(s);
      const values: readonly AttributeValue[] = isBag(v) ? v.values : [v as AttributeValue];
      for (const value of values) {
        s.chargeResponse(valueChars(value));
        assignments.push({
          attributeId: asg.attributeId,
          ...(asg.category !== undefined ? { category: asg.category } : {}),
          ...(asg.issuer !== undefined ? { issuer: asg.issuer } : {}),
          value,
        });
      }
    }
    out.push({ id: a.id, assignments });
  }
  return out;
}

/** Characters a value takes in a response, roughly (strings exactly; other types as their printed size). */
function valueChars(v: AttributeValue): number {
  const x = v.value as unknown;
  if (typeof x === 'string') return x.length;
  if (x instanceof Uint8Array) return 2 * x.byteLength;
  return 32;
}

function indeterminateFor(d: D.Permit | D.Deny): D.IndeterminateP | D.IndeterminateD {
  return d === D.Permit ? D.IndeterminateP : D.IndeterminateD;
}

export class CompiledRule implements Combinable {
  constructor(
    readonly id: string,
    readonly policyId: string,
    private readonly effect: D.Permit | D.Deny,
    private readonly target: TargetEval,
    private readonly condition: Evaluator | undefined,
    private readonly obligations: readonly CompiledPepAction[],
    private readonly advice: readonly CompiledPepAction[],
  ) {}

  applicable(s: EvalState): Applicability {
    return this.target(s);
  }

  evaluate(s: EvalState): Outcome {
    const o = this.decide(s);
    s.trace?.push({ kind: 'rule', id: this.id, policyId: this.policyId, decision: traceName(o.d) });
    return o;
  }

  private decide(s: EvalState): Outcome {
    const t = this.target(s);
    if (t === NO_MATCH) return NOT_APPLICABLE;
    if (t !== MATCH) return indeterminate(indeterminateFor(this.effect), t);
    try {
      if (this.condition && (this.condition(s) as AttributeValue).value !== true) return NOT_APPLICABLE;
      return {
        d: this.effect,
        obligations: pepActions(this.obligations, this.effect, s),
        advice: pepActions(this.advice, this.effect, s),
      };
    } catch (e) {
      if (e instanceof IndeterminateError) return indeterminate(indeterminateFor(this.effect), e.status);
      throw e;
    }
  }
}

/** A Policy or a PolicySet: a target, a combining algorithm over candidates, own obligations and advice. */
export class CompiledPolicy implements Combinable {
  private readonly ref: IdReference;

  constructor(
    readonly kind: 'Policy' | 'PolicySet',
    readonly id: string,
    readonly version: string,
    private readonly target: TargetEval,
    private readonly algorithm: CombiningAlgorithm,
    private readonly children: Candidates<Combinable>,
    private readonly obligations: readonly CompiledPepAction[],
    private readonly advice: readonly CompiledPepAction[],
  ) {
    this.ref = Object.freeze({ id, version });
  }

  applicable(s: EvalState): Applicability {
    return this.target(s);
  }

  evaluate(s: EvalState): Outcome {
    s.enterPolicy(this.kind, this.id);
    let o: Outcome;
    try {
      o = this.decide(s);
    } finally {
      s.leavePolicy();
    }
    s.trace?.push({ kind: this.kind === 'Policy' ? 'policy' : 'policySet', id: this.id, version: this.version, decision: traceName(o.d) });
    return o;
  }

  private decide(s: EvalState): Outcome {
    const t = this.target(s);
    if (t === NO_MATCH) return NOT_APPLICABLE;
    const combined = this.algorithm.combine(this.children.select(s), s);
    if (t !== MATCH) return this.withSelf(afterIndeterminateTarget(combined, t), s);
    if (combined.d !== D.Permit && combined.d !== D.Deny) return this.withSelf(combined, s);
    if (this.obligations.length === 0 && this.advice.length === 0) return this.withSelf(combined, s);
    try {
      return this.withSelf({
        ...combined,
        obligations: concatActions(combined.obligations, pepActions(this.obligations, combined.d, s)),
        advice: concatActions(combined.advice, pepActions(this.advice, combined.d, s)),
      }, s);
    } catch (e) {
      if (e instanceof IndeterminateError) {
        return this.withSelf({ ...indeterminate(indeterminateFor(combined.d), e.status), policies: combined.policies, policySets: combined.policySets }, s);
      }
      throw e;
    }
  }

  /** Adds this policy to the applicable-policy lists when they are collected. */
  private withSelf(o: Outcome, s: EvalState): Outcome {
    if (!s.collectPolicyIds || o.d === D.NotApplicable) return o;
    const policies = o.policies ?? NONE;
    const policySets = o.policySets ?? NONE;
    return this.kind === 'Policy'
      ? { ...o, policies: [...policies, this.ref], policySets }
      : { ...o, policies, policySets: [...policySets, this.ref] };
  }
}

/** XACML 3.0 Table 7: a policy whose target is Indeterminate. */
function afterIndeterminateTarget(o: Outcome, status: Status): Outcome {
  switch (o.d) {
    case D.NotApplicable:
      return o;
    case D.Permit:
      return { ...indeterminate(D.IndeterminateP, status), ...(o.policies ? { policies: o.policies, policySets: o.policySets } : {}) };
    case D.Deny:
      return { ...indeterminate(D.IndeterminateD, status), ...(o.policies ? { policies: o.policies, policySets: o.policySets } : {}) };
    case D.IndeterminateD:
    case D.IndeterminateP:
    case D.IndeterminateDP:
      return { ...o, status: o.status ?? status };
  }
}
