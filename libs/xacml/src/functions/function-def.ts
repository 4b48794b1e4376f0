/**
 * The contract of every XACML function, standard or supplied from outside (UDF).
 *
 * Type checking happens once, at compile time: the compiler asks `check` for the result type
 * of a call given the static types of its arguments. Evaluation then never re-checks types.
 */
import type { ExprValue } from '../model/values';
import type { EvalContext } from '../evaluate/eval-context';

/** The static type of an expression. */
export type StaticType =
  | { readonly kind: 'value'; readonly datatype: string }
  | { readonly kind: 'bag'; readonly datatype: string }
  | { readonly kind: 'function'; readonly fn: FunctionDef };

/** Result of a signature check: the call's result type, or why the arguments do not fit. */
export type CheckResult =
  | { readonly ok: true; readonly type: StaticType }
  | { readonly ok: false; readonly message: string };

/** An argument as the function sees it at evaluation: eager functions get values. */
export type LazyArg = () => ExprValue;

interface FunctionDefBase {
  readonly id: string;
  /** Checks argument types and arity; returns the result type. */
  check(args: readonly StaticType[]): CheckResult;
  /**
   * Optional compile-time validation of literal arguments (e.g. a regular expression that
   * does not compile). `literals[i]` is the value when argument i is a literal, else undefined.
   * Returns an error message, or undefined when fine.
   */
  validateLiterals?(literals: readonly (ExprValue | undefined)[]): string | undefined;
  /**
   * For functions whose string arguments are XPath paths (the XACML 1.0/2.0 xpath-node-*):
   * the same function resolving prefixes with the namespaces in scope where it is called.
   */
  bindNamespaces?(namespaces: Readonly<Record<string, string>>): FunctionDef;
}

/** Arguments evaluated first, left to right; an Indeterminate argument makes the call Indeterminate. */
export interface EagerFunctionDef extends FunctionDefBase {
  readonly lazy?: false;
  invoke(args: readonly ExprValue[], ctx: EvalContext): ExprValue;
}

/** Arguments evaluated on demand (and, or, n-of short-circuit). */
export interface LazyFunctionDef extends FunctionDefBase {
  readonly lazy: true;
  invoke(args: readonly LazyArg[], ctx: EvalContext): ExprValue;
}

export type FunctionDef = EagerFunctionDef | LazyFunctionDef;

/** Supplies functions the standard library lacks (UDFs), consulted at compile time. */
export interface FunctionProvider {
  find(functionId: string): FunctionDef | undefined;
}
