/**
 * Declarative function signatures: each standard function states its parameters (value or
 * bag, datatype, an optional variadic tail with a minimum count) and its result once; `check`
 * is derived from that and gives precise messages, e.g.
 * `argument 2 of urn:...:integer-add must be http://www.w3.org/2001/XMLSchema#integer, got ...#string`.
 */
import { LEGACY_DATATYPE_ALIASES } from '../model/identifiers';
import type { ExprValue } from '../model/values';
import type { EvalContext } from '../evaluate/eval-context';
import type { CheckResult, EagerFunctionDef, LazyArg, LazyFunctionDef, StaticType } from './function-def';

export interface ParamType {
  readonly kind: 'value' | 'bag';
  readonly datatype: string;
}

export interface Signature {
  readonly params: readonly ParamType[];
  /** A repeated last parameter: `min` or more arguments of this type after `params`. */
  readonly variadic?: { readonly type: ParamType; readonly min: number };
  readonly returns: StaticType;
}

export function value(datatype: string): ParamType & StaticType {
  return { kind: 'value', datatype };
}

export function bag(datatype: string): ParamType & StaticType {
  return { kind: 'bag', datatype };
}

/** Maps a legacy datatype id to its 3.0 id so either spelling type-checks. */
export function canonicalDatatype(id: string): string {
  return LEGACY_DATATYPE_ALIASES[id] ?? id;
}

/** How a static type reads in messages. */
export function describeType(t: StaticType): string {
  switch (t.kind) {
    case 'value':
      return t.datatype;
    case 'bag':
      return `a bag of ${t.datatype}`;
    case 'function':
      return `the function ${t.fn.id}`;
  }
}

function describeParam(p: ParamType): string {
  return p.kind === 'value' ? p.datatype : `a bag of ${p.datatype}`;
}

export function fits(param: ParamType, arg: StaticType): boolean {
  return arg.kind === param.kind && canonicalDatatype(arg.datatype) === param.datatype;
}

export function ok(type: StaticType): CheckResult {
  return { ok: true, type };
}

export function fail(message: string): CheckResult {
  return { ok: false, message };
}

function arityText(sig: Signature): string {
  const n = sig.params.length;
  if (!sig.variadic) return `${n} argument${n === 1 ? '' : 's'}`;
  const min = n + sig.variadic.min;
  return `at least ${min} argument${min === 1 ? '' : 's'}`;
}

/** Checks `args` against `sig`; the message names the function and the first argument at fault. */
export function checkSignature(id: string, sig: Signature, args: readonly StaticType[]): CheckResult {
  const fixed = sig.params.length;
  const arityOk = sig.variadic ? args.length >= fixed + sig.variadic.min : args.length === fixed;
  if (!arityOk) return fail(`${id} takes ${arityText(sig)}, got ${args.length}`);
  for (let i = 0; i < args.length; i++) {
    const param = i < fixed ? sig.params[i] : sig.variadic?.type;
    const arg = args[i] as StaticType;
    if (param && !fits(param, arg)) {
      return fail(`argument ${i + 1} of ${id} must be ${describeParam(param)}, got ${describeType(arg)}`);
    }
  }
  return ok(sig.returns);
}

export type EagerInvoke = (args: readonly ExprValue[], ctx: EvalContext) => ExprValue;
export type LazyInvoke = (args: readonly LazyArg[], ctx: EvalContext) => ExprValue;

/** Extra hooks a definition may carry besides its signature. */
export interface DefinitionExtras {
  readonly validateLiterals?: (literals: readonly (ExprValue | undefined)[]) => string | undefined;
}

/** An eagerly evaluated function with a declared signature. */
export function defineEager(id: string, sig: Signature, invoke: EagerInvoke, extras?: DefinitionExtras): EagerFunctionDef {
  const def: EagerFunctionDef = {
    id,
    check: (args) => checkSignature(id, sig, args),
    invoke,
    ...(extras?.validateLiterals ? { validateLiterals: extras.validateLiterals } : {}),
  };
  return Object.freeze(def);
}

/** A function whose arguments are thunks it evaluates in order (and, or, n-of). */
export function defineLazy(id: string, sig: Signature, invoke: LazyInvoke): LazyFunctionDef {
  return Object.freeze({ id, lazy: true as const, check: (args: readonly StaticType[]) => checkSignature(id, sig, args), invoke });
}
