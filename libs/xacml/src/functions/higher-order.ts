/**
 * Higher-order bag functions (A.3.12). The first argument is a `<Function>` (a FunctionArg at
 * run time, a `function` static type at compile time); `check` verifies that this function
 * accepts the element types the call will give it and returns what the higher-order function
 * needs (boolean, or any primitive value for map).
 *
 * 3.0 forms: any-of / all-of / map (fn, values..., one bag, in any position), any-of-any
 * (fn, any mix of values and bags: the cross product), and the 1.0-id all-of-any, any-of-all,
 * all-of-all (fn, bag, bag). The deprecated 1.0 any-of / all-of (fn, value, bag), any-of-any
 * (fn, bag, bag) and map (fn, bag) are kept with their narrower argument lists.
 * An Indeterminate from the applied function makes the whole call Indeterminate.
 */
import { DT } from '../model/identifiers';
import { processingError } from '../model/status';
import type { AttributeValue, Bag, ExprValue, FunctionArg } from '../model/values';
import { isBag } from '../model/values';
import type { EvalContext } from '../evaluate/eval-context';
import { chargeBag } from '../evaluate/limits';
import { FALSE, TRUE } from '../datatypes/registry';
import type { CheckResult, EagerFunctionDef, FunctionDef, LazyArg, StaticType } from './function-def';
import { F1, F3 } from './ids';
import { canonicalDatatype, describeType, fail, ok } from './signature';

const BOOLEAN: StaticType = { kind: 'value', datatype: DT.boolean };

/** What the passed function must return. */
type Wanted = 'boolean' | 'value';

/** Argument shapes after the function: which positions must be bags. */
type Shape =
  | { readonly kind: 'one-bag'; readonly exactArgs?: number }
  | { readonly kind: 'any-mix'; readonly bagsOnly?: number }
  | { readonly kind: 'two-bags' };

function checkHigherOrder(id: string, shape: Shape, wanted: Wanted, args: readonly StaticType[]): CheckResult {
  const first = args[0];
  if (first === undefined || first.kind !== 'function') {
    return fail(`argument 1 of ${id} must be a function, got ${first ? describeType(first) : 'nothing'}`);
  }
  const rest = args.slice(1);
  if (rest.length === 0) return fail(`${id} needs at least one argument after the function`);
  for (let i = 0; i < rest.length; i++) {
    const t = rest[i] as StaticType;
    if (t.kind === 'function') return fail(`argument ${i + 2} of ${id} must be a value or a bag, got ${describeType(t)}`);
  }
  const bags = rest.filter((t) => t.kind === 'bag').length;
  switch (shape.kind) {
    case 'one-bag':
      if (shape.exactArgs !== undefined && rest.length !== shape.exactArgs) {
        return fail(`${id} takes ${shape.exactArgs + 1} arguments, got ${args.length}`);
      }
      if (bags !== 1) return fail(`${id} needs exactly one bag argument after the function, got ${bags}`);
      if (shape.exactArgs !== undefined && rest[rest.length - 1]?.kind !== 'bag') {
        return fail(`the last argument of ${id} must be a bag`);
      }
      break;
    case 'two-bags':
      if (rest.length !== 2 || bags !== 2) return fail(`${id} takes a function and two bags`);
      break;
    case 'any-mix':
      if (shape.bagsOnly !== undefined && (rest.length !== shape.bagsOnly || bags !== shape.bagsOnly)) {
        return fail(`${id} takes a function and ${shape.bagsOnly} bags`);
      }
      break;
  }
  // The passed function sees one element of each bag at a time.
  const elementTypes: StaticType[] = rest.map((t) => (t.kind === 'bag' ? { kind: 'value', datatype: canonicalDatatype(t.datatype) } : t));
  const inner = first.fn.check(elementTypes);
  if (!inner.ok) return fail(`${id}: the function ${first.fn.id} does not accept the element types: ${inner.message}`);
  if (wanted === 'boolean') {
    if (inner.type.kind !== 'value' || inner.type.datatype !== DT.boolean) {
      return fail(`${id}: the function ${first.fn.id} must return ${DT.boolean}, it returns ${describeType(inner.type)}`);
    }
    return ok(BOOLEAN);
  }
  if (inner.type.kind !== 'value') {
    return fail(`${id}: the function ${first.fn.id} must return a single value, it returns ${describeType(inner.type)}`);
  }
  return ok({ kind: 'bag', datatype: inner.type.datatype });
}

/** Applies `fn` to `args` (already evaluated), eager or lazy alike. */
function apply(fn: FunctionDef, args: readonly ExprValue[], ctx: EvalContext): ExprValue {
  if (!fn.lazy) return fn.invoke(args, ctx);
  const thunks: LazyArg[] = args.map((a) => () => a);
  return fn.invoke(thunks, ctx);
}

function truth(v: ExprValue): boolean {
  return (v as AttributeValue<boolean>).value === true;
}

function bagIndex(args: readonly ExprValue[]): number {
  for (let i = 1; i < args.length; i++) if (isBag(args[i] as ExprValue)) return i;
  throw processingError('higher-order function called without a bag argument');
}

/** Calls fn with the bag at `bi` replaced by each element in turn; stops when `stop` says so. */
function overBag(args: readonly ExprValue[], ctx: EvalContext, stopOn: boolean): boolean {
  const fn = (args[0] as FunctionArg).fn;
  const bi = bagIndex(args);
  const bag = args[bi] as Bag;
  const call = args.slice(1);
  for (const v of bag.values) {
    call[bi - 1] = v;
    if (truth(apply(fn, call, ctx)) === stopOn) return true;
  }
  return false;
}

function anyOfInvoke(args: readonly ExprValue[], ctx: EvalContext): ExprValue {
  return overBag(args, ctx, true) ? TRUE : FALSE;
}

function allOfInvoke(args: readonly ExprValue[], ctx: EvalContext): ExprValue {
  return overBag(args, ctx, false) ? FALSE : TRUE;
}

/** any-of-any: true when fn holds for some tuple of the cross product of bags and values. */
function anyOfAnyInvoke(args: readonly ExprValue[], ctx: EvalContext): ExprValue {
  const fn = (args[0] as FunctionArg).fn;
  const rest = args.slice(1);
  const bagPositions: number[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as ExprValue;
    if (isBag(a)) {
      if (a.values.length === 0) return FALSE;
      bagPositions.push(i);
    }
  }
  const call = rest.slice();
  const counters = new Array<number>(bagPositions.length).fill(0);
  for (;;) {
    for (let k = 0; k < bagPositions.length; k++) {
      const pos = bagPositions[k] as number;
      call[pos] = (rest[pos] as Bag).values[counters[k] as number] as AttributeValue;
    }
    if (truth(apply(fn, call, ctx))) return TRUE;
    // Advance the odometer over the bags.
    let k = bagPositions.length - 1;
    for (; k >= 0; k--) {
      const size = (rest[bagPositions[k] as number] as Bag).values.length;
      counters[k] = (counters[k] as number) + 1;
      if ((counters[k] as number) < size) break;
      counters[k] = 0;
    }
    if (k < 0) return FALSE;
  }
}

type Quantifier = 'all' | 'any';

/** Q1 x in bag1, Q2 y in bag2: fn(x, y). */
function nested(outer: Quantifier, inner: Quantifier) {
  return (args: readonly ExprValue[], ctx: EvalContext): ExprValue => {
    const fn = (args[0] as FunctionArg).fn;
    const a = (args[1] as Bag).values;
    const b = (args[2] as Bag).values;
    const call: ExprValue[] = [a[0] as AttributeValue, b[0] as AttributeValue];
    for (const x of a) {
      call[0] = x;
      let innerResult = inner === 'all';
      for (const y of b) {
        call[1] = y;
        const r = truth(apply(fn, call, ctx));
        if (inner === 'any' && r) {
          innerResult = true;
          break;
        }
        if (inner === 'all' && !r) {
          innerResult = false;
          break;
        }
      }
      if (outer === 'any' && innerResult) return TRUE;
      if (outer === 'all' && !innerResult) return FALSE;
    }
    return outer === 'all' ? TRUE : FALSE;
  };
}

function mapInvoke(args: readonly ExprValue[], ctx: EvalContext): ExprValue {
  const fn = (args[0] as FunctionArg).fn;
  const bi = bagIndex(args);
  const bag = args[bi] as Bag;
  const call = args.slice(1);
  const out: AttributeValue[] = [];
  for (const v of bag.values) {
    call[bi - 1] = v;
    out.push(apply(fn, call, ctx) as AttributeValue);
  }
  chargeBag(ctx, 'map', out.length);
  const first = out[0];
  if (first) return { kind: 'bag', datatype: first.datatype.id, values: out };
  // An empty result still has a type: ask the function what it returns for these arguments.
  const types: StaticType[] = call.map((a, i) =>
    i === bi - 1 ? { kind: 'value', datatype: bag.datatype } : isBag(a) ? { kind: 'bag', datatype: a.datatype } : { kind: 'value', datatype: (a as AttributeValue).datatype.id },
  );
  const r = fn.check(types);
  return { kind: 'bag', datatype: r.ok && r.type.kind === 'value' ? r.type.datatype : bag.datatype, values: [] };
}

function define(id: string, shape: Shape, wanted: Wanted, invoke: EagerFunctionDef['invoke']): EagerFunctionDef {
  return Object.freeze({ id, check: (args: readonly StaticType[]) => checkHigherOrder(id, shape, wanted, args), invoke });
}

export const HIGHER_ORDER_FUNCTIONS: readonly EagerFunctionDef[] = [
  define(`${F3}any-of`, { kind: 'one-bag' }, 'boolean', anyOfInvoke),
  define(`${F3}all-of`, { kind: 'one-bag' }, 'boolean', allOfInvoke),
  define(`${F3}any-of-any`, { kind: 'any-mix' }, 'boolean', anyOfAnyInvoke),
  define(`${F1}all-of-any`, { kind: 'two-bags' }, 'boolean', nested('all', 'any')),
  define(`${F1}any-of-all`, { kind: 'two-bags' }, 'boolean', nested('any', 'all')),
  define(`${F1}all-of-all`, { kind: 'two-bags' }, 'boolean', nested('all', 'all')),
  define(`${F3}map`, { kind: 'one-bag' }, 'value', mapInvoke),
  // Deprecated 1.0 forms (A.3.12 of XACML 2.0).
  define(`${F1}any-of`, { kind: 'one-bag', exactArgs: 2 }, 'boolean', anyOfInvoke),
  define(`${F1}all-of`, { kind: 'one-bag', exactArgs: 2 }, 'boolean', allOfInvoke),
  define(`${F1}any-of-any`, { kind: 'any-mix', bagsOnly: 2 }, 'boolean', anyOfAnyInvoke),
  define(`${F1}map`, { kind: 'one-bag', exactArgs: 1 }, 'value', mapInvoke),
];
