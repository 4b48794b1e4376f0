/**
 * Logical functions (A.3.5). `or`, `and` and `n-of` are lazy: they evaluate their arguments in
 * order and stop as soon as the result is known. An Indeterminate argument does not decide by
 * itself: evaluation goes on, and the call is Indeterminate only if the remaining arguments
 * cannot decide the result without it (e.g. `or(Indeterminate, true)` is true,
 * `or(Indeterminate, false)` is Indeterminate). `not` is eager.
 */
import { DT } from '../model/identifiers';
import { IndeterminateError, processingError } from '../model/status';
import type { AttributeValue } from '../model/values';
import { FALSE, TRUE, booleanValue } from '../datatypes/registry';
import type { EagerFunctionDef, LazyArg, LazyFunctionDef } from './function-def';
import { F1 } from './ids';
import { defineEager, defineLazy, value } from './signature';

const BOOL = value(DT.boolean);

/** Evaluates one boolean argument; an IndeterminateError is returned rather than thrown. */
function evalBool(arg: LazyArg): boolean | IndeterminateError {
  try {
    return (arg() as AttributeValue<boolean>).value;
  } catch (e) {
    if (e instanceof IndeterminateError) return e;
    throw e;
  }
}

function orInvoke(args: readonly LazyArg[]): AttributeValue<boolean> {
  let error: IndeterminateError | undefined;
  for (const arg of args) {
    const v = evalBool(arg);
    if (v === true) return TRUE;
    if (v !== false) error ??= v;
  }
  if (error) throw error;
  return FALSE;
}

function andInvoke(args: readonly LazyArg[]): AttributeValue<boolean> {
  let error: IndeterminateError | undefined;
  for (const arg of args) {
    const v = evalBool(arg);
    if (v === false) return FALSE;
    if (v !== true) error ??= v;
  }
  if (error) throw error;
  return TRUE;
}

function nOfInvoke(args: readonly LazyArg[]): AttributeValue<boolean> {
  const first = args[0] as LazyArg;
  const n = (first() as AttributeValue<bigint>).value;
  const rest = args.length - 1;
  if (n <= 0n) return TRUE;
  if (BigInt(rest) < n) throw processingError(`n-of: needs ${n} true arguments but has only ${rest}`);
  const need = Number(n);
  let trues = 0;
  let errors = 0;
  let firstError: IndeterminateError | undefined;
  for (let i = 1; i < args.length; i++) {
    const v = evalBool(args[i] as LazyArg);
    if (v === true) {
      if (++trues >= need) return TRUE;
    } else if (v !== false) {
      errors++;
      firstError ??= v;
    }
    // Stop once even all remaining arguments being true could not reach n.
    if (trues + errors + (args.length - 1 - i) < need) return FALSE;
  }
  if (firstError) throw firstError;
  return FALSE;
}

export const LOGICAL_FUNCTIONS: readonly (EagerFunctionDef | LazyFunctionDef)[] = [
  defineLazy(`${F1}or`, { params: [], variadic: { type: BOOL, min: 0 }, returns: BOOL }, orInvoke),
  defineLazy(`${F1}and`, { params: [], variadic: { type: BOOL, min: 0 }, returns: BOOL }, andInvoke),
  defineLazy(`${F1}n-of`, { params: [value(DT.integer)], variadic: { type: BOOL, min: 0 }, returns: BOOL }, nOfInvoke),
  defineEager(`${F1}not`, { params: [BOOL], returns: BOOL }, (args) =>
    booleanValue(!(args[0] as AttributeValue<boolean>).value),
  ),
];
