/**
 * Compiles expressions into closures, checking every function call against its signature
 * once. Literals are parsed here, so evaluation never sees lexical forms.
 */
import { parseValue, STANDARD_DATATYPES } from '../datatypes/registry';
import type { FunctionDef, StaticType } from '../functions/function-def';
import type { ExprNode, SelectorNode, ValueNode } from '../model/policy-ast';
import { DT } from '../model/identifiers';
import { IndeterminateError, processingError } from '../model/status';
import type { AttributeValue, ExprValue } from '../model/values';
import type { EvalState } from '../evaluate/eval-state';
import { SUSPEND } from '../evaluate/suspend';
import { compileSelector } from './selector';
import { Footprint, type CompileScope, type VariableSlot } from './scope';
import { xpathPrefixes } from './leniency';

export type Evaluator = (s: EvalState) => ExprValue;

export interface CompiledExpr {
  readonly eval: Evaluator;
  readonly type: StaticType;
  /** Set when the expression is a literal (used by compile-time checks of literal arguments). */
  readonly literal?: ExprValue;
}

const INVALID: CompiledExpr = {
  eval: () => {
    throw new Error('unreachable: an invalid expression was evaluated');
  },
  type: { kind: 'value', datatype: '' },
};

export function describeType(t: StaticType): string {
  switch (t.kind) {
    case 'value':
      return t.datatype;
    case 'bag':
      return `bag of ${t.datatype}`;
    case 'function':
      return `function ${t.fn.id}`;
  }
}

export function compileValue(node: ValueNode, scope: CompileScope): AttributeValue | undefined {
  if (node.datatype === DT.xpathExpression && !scope.xpath) {
    scope.issues.add('invalid-value', node.path, 'xpathExpression values need XPath support, which is disabled for this PDP', node.line);
    return undefined;
  }
  try {
    // An xpathExpression depends on its element's namespaces: not shared.
    if (node.datatype === DT.xpathExpression) {
      const undeclared = scope.lenient ? xpathPrefixes(node.lexical).filter((p) => node.namespaces[p] === undefined) : [];
      if (undeclared.length > 0) {
        scope.lenient!.add('undeclared-prefix', node.path, `XPath "${node.lexical.trim()}" uses undeclared prefix${undeclared.length > 1 ? 'es' : ''} ${undeclared.join(', ')}: resolved from the request Content's declarations`, node.line);
      }
      return parseValue(node.datatype, node.lexical, {
        namespaces: node.namespaces,
        ...(node.xpathCategory !== undefined ? { xpathCategory: node.xpathCategory } : {}),
      });
    }
    return scope.intern.value(node.datatype, node.lexical, (lexical) => parseValue(node.datatype, lexical));
  } catch (e) {
    const unknown = /unknown datatype/i.test((e as Error).message);
    scope.issues.add(unknown ? 'unknown-datatype' : 'invalid-value', node.path, (e as Error).message, node.line);
    return undefined;
  }
}

export function compileExpression(node: ExprNode, scope: CompileScope): CompiledExpr {
  scope.footprint.add(Footprint.EXPRESSION);
  switch (node.kind) {
    case 'Value': {
      const v = compileValue(node, scope);
      if (!v) return INVALID;
      return { eval: () => v, type: { kind: 'value', datatype: node.datatype }, literal: v };
    }
    case 'Designator': {
      if (!knownDatatype(node.datatype)) {
        scope.issues.add('unknown-datatype', node.path, `unknown datatype ${node.datatype}`, node.line);
        return INVALID;
      }
      const ref = scope.intern.ref(node.category, node.attributeId, node.datatype, node.issuer, node.mustBePresent);
      return { eval: (s) => s.bag(ref), type: { kind: 'bag', datatype: node.datatype } };
    }
    case 'Selector':
      return compileSelectorExpr(node, scope);
    case 'Function': {
      const fn = scope.functions.get(node.functionId);
      if (!fn) {
        scope.issues.add('unknown-function', node.path, `unknown function ${node.functionId}`, node.line);
        return INVALID;
      }
      const v: ExprValue = { kind: 'function', fn };
      return { eval: () => v, type: { kind: 'function', fn }, literal: v };
    }
    case 'VariableRef':
      return compileVariableRef(node.variableId, node.path, node.line, scope);
    case 'Apply':
      return compileApply(node, scope);
  }
}

function compileSelectorExpr(node: SelectorNode, scope: CompileScope): CompiledExpr {
  if (!scope.xpath) {
    scope.issues.add('invalid-structure', node.path, 'AttributeSelector needs XPath support, which is disabled for this PDP', node.line);
    return INVALID;
  }
  if (!knownDatatype(node.datatype)) {
    scope.issues.add('unknown-datatype', node.path, `unknown datatype ${node.datatype}`, node.line);
    return INVALID;
  }
  const sel = compileSelector(node, scope.issues, scope.lenient);
  if (!sel) return INVALID;
  return { eval: sel, type: { kind: 'bag', datatype: node.datatype } };
}

function compileApply(node: Extract<ExprNode, { kind: 'Apply' }>, scope: CompileScope): CompiledExpr {
  const found = scope.functions.get(node.functionId);
  const fn = found?.bindNamespaces && node.namespaces ? found.bindNamespaces(node.namespaces) : found;
  const args = node.args.map((a) => compileExpression(a, scope));
  if (!fn) {
    scope.issues.add('unknown-function', node.path, `unknown function ${node.functionId}`, node.line);
    return INVALID;
  }
  if (args.some((a) => a === INVALID)) return INVALID;
  const checked = fn.check(args.map((a) => a.type));
  if (!checked.ok) {
    scope.issues.add('type-mismatch', node.path, checked.message, node.line);
    return INVALID;
  }
  if (fn.validateLiterals) {
    const problem = fn.validateLiterals(args.map((a) => a.literal));
    if (problem) {
      const code = /regular expression|regex/i.test(problem) ? 'invalid-regex' : /xpath/i.test(problem) ? 'invalid-xpath' : 'invalid-value';
      if (!scope.lenient) {
        scope.issues.add(code, node.path, problem, node.line);
        return INVALID;
      }
      // A.3.9: a function that cannot produce its result is Indeterminate when it is called.
      scope.lenient.add('failing-constant-call', node.path, `${problem}: the call is Indeterminate (processing-error) when evaluated`, node.line, code);
      return { eval: failing(`${node.functionId}: ${problem}`), type: checked.type };
    }
  }
  return { eval: applyEvaluator(fn, args.map((a) => a.eval)), type: checked.type };
}

/**
 * The evaluator of a function call, built apart from compileApply: closures created there would
 * share its context, which holds the compile scope (interner, issue lists) and the AST node.
 */
function applyEvaluator(fn: FunctionDef, evals: readonly Evaluator[]): Evaluator {
  if (fn.lazy) return (s) => fn.invoke(evals.map((e) => () => e(s)), s);
  switch (evals.length) {
    case 0:
      return (s) => fn.invoke([], s);
    case 1: {
      const a = evals[0]!;
      return (s) => fn.invoke([a(s)], s);
    }
    case 2: {
      const a = evals[0]!;
      const b = evals[1]!;
      return (s) => fn.invoke([a(s), b(s)], s);
    }
    default:
      return (s) => {
        const vals = new Array<ExprValue>(evals.length);
        for (let i = 0; i < evals.length; i++) vals[i] = evals[i]!(s);
        return fn.invoke(vals, s);
      };
  }
}

/**
 * Always throws a processing error. Built apart from compileApply: a closure there that named
 * `node` would put the AST node in the context every closure of that call shares, so the
 * compiled PDP would keep the parsed document (and, through sliced strings, its source text).
 */
function failing(message: string): Evaluator {
  return () => {
    throw processingError(message);
  };
}

function compileVariableRef(id: string, path: string, line: number, scope: CompileScope): CompiledExpr {
  const slot = scope.variables?.get(id);
  if (!slot) {
    scope.issues.add('undefined-reference', path, `VariableReference to undefined variable ${id}`, line);
    return INVALID;
  }
  const compiled = compileVariable(slot, scope);
  if (!compiled) {
    if (slot.compiling) scope.issues.add('circular-reference', path, `variable ${id} refers to itself through VariableReference`, line);
    return INVALID;
  }
  return { eval: variableEvaluator(compiled), type: compiled.type };
}

/**
 * A reference evaluates the variable once per request, memoised under its compiled expression
 * (one per definition); the slot itself, with its AST node, is not kept by the compiled PDP.
 */
function variableEvaluator(compiled: CompiledExpr): Evaluator {
  return (s) => evalVariable(compiled, s);
}

/** Compiles a variable once; returns undefined while it is being compiled (a cycle) or invalid. */
export function compileVariable(slot: VariableSlot, scope: CompileScope): CompiledExpr | undefined {
  if (slot.compiled) return slot.compiled === INVALID ? undefined : slot.compiled;
  if (slot.compiling) return undefined;
  slot.compiling = true;
  const c = compileExpression(slot.node.expr, scope);
  slot.compiling = false;
  slot.compiled = c;
  return c === INVALID ? undefined : c;
}

function evalVariable(compiled: CompiledExpr, s: EvalState): ExprValue {
  const cached = s.variables.get(compiled);
  if (cached !== undefined) {
    if (cached instanceof IndeterminateError) throw cached;
    return cached;
  }
  try {
    const v = compiled.eval(s);
    s.variables.set(compiled, v);
    return v;
  } catch (e) {
    if (e === SUSPEND) throw e;
    if (e instanceof IndeterminateError) s.variables.set(compiled, e);
    throw e;
  }
}

export function isInvalid(c: CompiledExpr): boolean {
  return c === INVALID;
}

function knownDatatype(id: string): boolean {
  return STANDARD_DATATYPES.has(id);
}
