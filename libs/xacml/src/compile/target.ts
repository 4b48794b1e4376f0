/**
 * Targets (XACML 3.0 §7.6–7.7) compiled to closures: a Match applies its function to the
 * literal and each value of the attribute's bag; AllOf is a conjunction, AnyOf a disjunction,
 * the Target a conjunction of AnyOf — with Indeterminate handled as the spec's tables say.
 * Alongside, the target's shape (which designator each match compares with which literal)
 * for the index of the enclosing policy.
 */
import type { FunctionDef } from '../functions/function-def';
import type { MatchNode, TargetNode } from '../model/policy-ast';
import { DT } from '../model/identifiers';
import { IndeterminateError, processingError, type Status } from '../model/status';
import type { AttributeValue, Bag } from '../model/values';
import type { AttributeRef, EvalState } from '../evaluate/eval-state';
import { SUSPEND } from '../evaluate/suspend';
import { MATCH, NO_MATCH, type Applicability } from '../combining/combinable';
import { keySpaceOf } from './equalities';
import { compileExpression, compileValue, describeType, isInvalid } from './expression';
import { Footprint, type CompileScope } from './scope';

export type TargetEval = (s: EvalState) => Applicability;

export const ALWAYS: TargetEval = () => MATCH;

/** A valid Match of a designator: what the index needs to know of it. */
export interface MatchShape {
  readonly fn: FunctionDef;
  readonly literal: AttributeValue;
  readonly ref: AttributeRef;
}

/** AnyOf → AllOf → Match, undefined where a match is not a designator's (or is invalid). */
export type TargetShape = readonly (readonly (readonly (MatchShape | undefined)[])[])[];

export interface CompiledTarget {
  readonly eval: TargetEval;
  readonly shape: TargetShape;
}

const EMPTY_TARGET: CompiledTarget = Object.freeze({ eval: ALWAYS, shape: Object.freeze([]) as TargetShape });

/** Returns MATCH, NO_MATCH, or the Status of an Indeterminate. */
export function compileTarget(target: TargetNode, scope: CompileScope): CompiledTarget {
  if (target.length === 0) return EMPTY_TARGET;
  const compiled = target.map((anyOf) => anyOf.map((allOf) => allOf.map((m) => compileMatch(m, scope))));
  const anyOfs = compiled.map((anyOf) => anyOf.map((allOf) => allOf.map((m) => m.eval)));
  const shape = compiled.map((anyOf) => anyOf.map((allOf) => allOf.map((m) => m.shape)));
  return { eval: evalTarget(anyOfs), shape };
}

function evalTarget(anyOfs: readonly (readonly (readonly Match[])[])[]): TargetEval {
  // One AnyOf of one AllOf (the commonest shape): no loop over alternatives.
  if (anyOfs.length === 1 && anyOfs[0]!.length === 1) return allOfTarget(anyOfs[0]![0]!);
  return (s) => {
    let indeterminate: Status | undefined;
    for (const anyOf of anyOfs) {
      const r = evalAnyOf(anyOf, s);
      if (r === NO_MATCH) return NO_MATCH;
      if (r !== MATCH) indeterminate ??= r;
    }
    return indeterminate ?? MATCH;
  };
}

// Apart from evalTarget, so the closure keeps the one AllOf alive, not the nested lists.
function allOfTarget(allOf: readonly Match[]): TargetEval {
  return (s) => evalAllOf(allOf, s);
}

/** A compiled Match: an object rather than a closure, the smallest form for thousands of rules. */
interface Match {
  test(s: EvalState): Applicability;
}

function evalAnyOf(allOfs: readonly (readonly Match[])[], s: EvalState): Applicability {
  let indeterminate: Status | undefined;
  for (const allOf of allOfs) {
    const r = evalAllOf(allOf, s);
    if (r === MATCH) return MATCH;
    if (r !== NO_MATCH) indeterminate ??= r;
  }
  return indeterminate ?? NO_MATCH;
}

function evalAllOf(matches: readonly Match[], s: EvalState): Applicability {
  let indeterminate: Status | undefined;
  for (let i = 0; i < matches.length; i++) {
    const r = matches[i]!.test(s);
    if (r === NO_MATCH) return NO_MATCH;
    if (r !== MATCH) indeterminate ??= r;
  }
  return indeterminate ?? MATCH;
}

/** Compatibility mode: a match whose constant makes its function fail, Indeterminate every time. */
class FailingMatch implements Match {
  constructor(private readonly status: Status) {}
  test(): Applicability {
    return this.status;
  }
}

const NEVER_MATCH: Match = Object.freeze({ test: () => NO_MATCH });
const NEVER: { eval: Match; shape: undefined } = Object.freeze({ eval: NEVER_MATCH, shape: undefined });

function compileMatch(node: MatchNode, scope: CompileScope): { eval: Match; shape: MatchShape | undefined } {
  scope.footprint.add(Footprint.MATCH);
  const fn = scope.functions.get(node.matchId);
  const literal = compileValue(node.value, scope);
  const attr = compileExpression(node.attribute, scope);
  if (!fn) {
    scope.issues.add('unknown-function', node.path, `unknown function ${node.matchId}`, node.line);
    return NEVER;
  }
  if (!literal || isInvalid(attr)) return NEVER;
  if (fn.lazy) {
    scope.issues.add('type-mismatch', node.path, `${node.matchId} cannot be used as a MatchId`, node.line);
    return NEVER;
  }
  const attrType = attr.type.kind === 'bag' ? attr.type.datatype : '';
  const checked = fn.check([{ kind: 'value', datatype: node.value.datatype }, { kind: 'value', datatype: attrType }]);
  if (!checked.ok || checked.type.kind !== 'value' || checked.type.datatype !== DT.boolean) {
    scope.issues.add('type-mismatch', node.path,
      `MatchId ${node.matchId} must be a boolean function of (${node.value.datatype}, ${attrType})${checked.ok ? `, it returns ${describeType(checked.type)}` : `: ${checked.message}`}`,
      node.line);
    return NEVER;
  }
  if (fn.validateLiterals) {
    const problem = fn.validateLiterals([literal, undefined]);
    if (problem) {
      if (!scope.lenient) {
        scope.issues.add('invalid-regex', node.path, problem, node.line);
        return NEVER;
      }
      scope.lenient.add('failing-constant-call', node.path, `${problem}: the match is Indeterminate (processing-error) when evaluated`, node.line, 'invalid-regex');
      return { eval: new FailingMatch(processingError(`${node.matchId}: ${problem}`).status), shape: undefined };
    }
  }
  const a = node.attribute;
  const ref = a.kind === 'Designator' ? scope.intern.ref(a.category, a.attributeId, a.datatype, a.issuer, a.mustBePresent) : undefined;
  const shape = ref ? { fn, literal, ref } : undefined;
  const space = keySpaceOf(fn);
  // A standard equality of a designator (most matches): the datatype's equality, no generic call.
  if (ref && space) {
    // The designator's compiled evaluator (counted by compileExpression) is not kept: the match reads the bag itself.
    scope.footprint.add(-Footprint.EXPRESSION);
    return { shape, eval: new EqualityMatch(ref, space.equal, literal.value) };
  }
  return { shape, eval: new GenericMatch(attr.eval, fn, literal) };
}

class EqualityMatch implements Match {
  constructor(
    private readonly ref: AttributeRef,
    private readonly equal: (a: unknown, b: unknown) => boolean,
    private readonly lit: unknown,
  ) {}

  test(s: EvalState): Applicability {
    let values: readonly AttributeValue[];
    try {
      values = s.bag(this.ref).values;
    } catch (e) {
      if (e instanceof IndeterminateError) return e.status;
      throw e;
    }
    for (let i = 0; i < values.length; i++) if (this.equal(this.lit, values[i]!.value)) return MATCH;
    return NO_MATCH;
  }
}

class GenericMatch implements Match {
  constructor(
    private readonly getBag: (s: EvalState) => unknown,
    private readonly fn: FunctionDef & { lazy?: false },
    private readonly literal: AttributeValue,
  ) {}

  test(s: EvalState): Applicability {
    let bag: Bag;
    try {
      bag = this.getBag(s) as Bag;
    } catch (e) {
      if (e instanceof IndeterminateError) return e.status;
      throw e;
    }
    let indeterminate: Status | undefined;
    for (const v of bag.values) {
      try {
        const r = this.fn.invoke([this.literal, v], s) as AttributeValue;
        if (r.value === true) return MATCH;
      } catch (e) {
        if (e === SUSPEND || !(e instanceof IndeterminateError)) throw e;
        indeterminate ??= e.status;
      }
    }
    return indeterminate ?? NO_MATCH;
  }
}
