/**
 * Targets (XACML 3.0 §7.6–7.7) compiled to closures: a Match applies its function to the
 * literal and each value of the attribute's bag; AllOf is a conjunction, AnyOf a disjunction,
 * the Target a conjunction of AnyOf — with Indeterminate handled as the spec's tables say.
 */
import type { MatchNode, TargetNode } from '../model/policy-ast';
import { DT } from '../model/identifiers';
import { IndeterminateError, type Status } from '../model/status';
import type { AttributeValue, Bag } from '../model/values';
import type { EvalState } from '../evaluate/eval-state';
import { SUSPEND } from '../evaluate/suspend';
import { MATCH, NO_MATCH, type Applicability } from '../combining/combinable';
import { compileExpression, compileValue, describeType, isInvalid } from './expression';
import type { CompileScope } from './scope';

export type TargetEval = (s: EvalState) => Applicability;

export const ALWAYS: TargetEval = () => MATCH;

/** Returns MATCH, NO_MATCH, or the Status of an Indeterminate. */
export function compileTarget(target: TargetNode, scope: CompileScope): TargetEval {
  if (target.length === 0) return ALWAYS;
  const anyOfs = target.map((anyOf) => anyOf.map((allOf) => allOf.map((m) => compileMatch(m, scope))));
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

type MatchEval = (s: EvalState) => Applicability;

function evalAnyOf(allOfs: readonly (readonly MatchEval[])[], s: EvalState): Applicability {
  let indeterminate: Status | undefined;
  for (const allOf of allOfs) {
    const r = evalAllOf(allOf, s);
    if (r === MATCH) return MATCH;
    if (r !== NO_MATCH) indeterminate ??= r;
  }
  return indeterminate ?? NO_MATCH;
}

function evalAllOf(matches: readonly MatchEval[], s: EvalState): Applicability {
  let indeterminate: Status | undefined;
  for (const m of matches) {
    const r = m(s);
    if (r === NO_MATCH) return NO_MATCH;
    if (r !== MATCH) indeterminate ??= r;
  }
  return indeterminate ?? MATCH;
}

function compileMatch(node: MatchNode, scope: CompileScope): MatchEval {
  const fn = scope.functions.get(node.matchId);
  const literal = compileValue(node.value, scope);
  const attr = compileExpression(node.attribute, scope);
  if (!fn) {
    scope.issues.add('unknown-function', node.path, `unknown function ${node.matchId}`, node.line);
    return () => NO_MATCH;
  }
  if (!literal || isInvalid(attr)) return () => NO_MATCH;
  if (fn.lazy) {
    scope.issues.add('type-mismatch', node.path, `${node.matchId} cannot be used as a MatchId`, node.line);
    return () => NO_MATCH;
  }
  const attrType = attr.type.kind === 'bag' ? attr.type.datatype : '';
  const checked = fn.check([{ kind: 'value', datatype: node.value.datatype }, { kind: 'value', datatype: attrType }]);
  if (!checked.ok || checked.type.kind !== 'value' || checked.type.datatype !== DT.boolean) {
    scope.issues.add('type-mismatch', node.path,
      `MatchId ${node.matchId} must be a boolean function of (${node.value.datatype}, ${attrType})${checked.ok ? `, it returns ${describeType(checked.type)}` : `: ${checked.message}`}`,
      node.line);
    return () => NO_MATCH;
  }
  if (fn.validateLiterals) {
    const problem = fn.validateLiterals([literal, undefined]);
    if (problem) {
      scope.issues.add('invalid-regex', node.path, problem, node.line);
      return () => NO_MATCH;
    }
  }
  const getBag = attr.eval;
  return (s) => {
    let bag: Bag;
    try {
      bag = getBag(s) as Bag;
    } catch (e) {
      if (e instanceof IndeterminateError) return e.status;
      throw e;
    }
    let indeterminate: Status | undefined;
    for (const v of bag.values) {
      try {
        const r = fn.invoke([literal, v], s) as AttributeValue;
        if (r.value === true) return MATCH;
      } catch (e) {
        if (e === SUSPEND || !(e instanceof IndeterminateError)) throw e;
        indeterminate ??= e.status;
      }
    }
    return indeterminate ?? NO_MATCH;
  };
}

