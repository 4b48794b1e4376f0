/**
 * Arithmetic (A.3.2, A.3.3): add/multiply take two or more arguments, subtract/divide/mod
 * exactly two; abs, round (half toward +∞, as fn:round), floor.
 * Integers are bigint, so they never overflow. A zero divisor makes the call Indeterminate
 * (processing-error).
 */
import { DT } from '../model/identifiers';
import { processingError } from '../model/status';
import type { AttributeValue } from '../model/values';
import { DoubleType, IntegerType } from '../datatypes/registry';
import type { EagerFunctionDef } from './function-def';
import { F1 } from './ids';
import type { Signature } from './signature';
import { defineEager, value } from './signature';

const INT = value(DT.integer);
const DBL = value(DT.double);
const intBinary: Signature = { params: [INT, INT], returns: INT };
const intVariadic: Signature = { params: [INT], variadic: { type: INT, min: 1 }, returns: INT };
const dblBinary: Signature = { params: [DBL, DBL], returns: DBL };
const dblVariadic: Signature = { params: [DBL], variadic: { type: DBL, min: 1 }, returns: DBL };

function int(v: bigint): AttributeValue<bigint> {
  return { datatype: IntegerType, value: v };
}

function dbl(v: number): AttributeValue<number> {
  return { datatype: DoubleType, value: v };
}

function I(args: readonly unknown[], i: number): bigint {
  return (args[i] as AttributeValue<bigint>).value;
}

function D(args: readonly unknown[], i: number): number {
  return (args[i] as AttributeValue<number>).value;
}

export const ARITHMETIC_FUNCTIONS: readonly EagerFunctionDef[] = [
  defineEager(`${F1}integer-add`, intVariadic, (args) => {
    let sum = I(args, 0);
    for (let i = 1; i < args.length; i++) sum += I(args, i);
    return int(sum);
  }),
  defineEager(`${F1}double-add`, dblVariadic, (args) => {
    let sum = D(args, 0);
    for (let i = 1; i < args.length; i++) sum += D(args, i);
    return dbl(sum);
  }),
  defineEager(`${F1}integer-multiply`, intVariadic, (args) => {
    let p = I(args, 0);
    for (let i = 1; i < args.length; i++) p *= I(args, i);
    return int(p);
  }),
  defineEager(`${F1}double-multiply`, dblVariadic, (args) => {
    let p = D(args, 0);
    for (let i = 1; i < args.length; i++) p *= D(args, i);
    return dbl(p);
  }),
  defineEager(`${F1}integer-subtract`, intBinary, (args) => int(I(args, 0) - I(args, 1))),
  defineEager(`${F1}double-subtract`, dblBinary, (args) => dbl(D(args, 0) - D(args, 1))),
  defineEager(`${F1}integer-divide`, intBinary, (args) => {
    const d = I(args, 1);
    if (d === 0n) throw processingError('integer-divide: division by zero');
    return int(I(args, 0) / d);
  }),
  defineEager(`${F1}double-divide`, dblBinary, (args) => {
    const d = D(args, 1);
    if (d === 0) throw processingError('double-divide: division by zero');
    return dbl(D(args, 0) / d);
  }),
  defineEager(`${F1}integer-mod`, intBinary, (args) => {
    const d = I(args, 1);
    if (d === 0n) throw processingError('integer-mod: division by zero');
    return int(I(args, 0) % d);
  }),
  defineEager(`${F1}integer-abs`, { params: [INT], returns: INT }, (args) => {
    const v = I(args, 0);
    return v < 0n ? int(-v) : (args[0] as AttributeValue<bigint>);
  }),
  defineEager(`${F1}double-abs`, { params: [DBL], returns: DBL }, (args) => dbl(Math.abs(D(args, 0)))),
  defineEager(`${F1}round`, { params: [DBL], returns: DBL }, (args) => dbl(Math.round(D(args, 0)))),
  defineEager(`${F1}floor`, { params: [DBL], returns: DBL }, (args) => dbl(Math.floor(D(args, 0)))),
];
