/**
 * Numeric conversion (A.3.4): double-to-integer truncates toward zero (NaN and ±INF have no
 * integer value: processing-error); integer-to-double rounds to the nearest double.
 */
import { DT } from '../model/identifiers';
import { processingError } from '../model/status';
import type { AttributeValue } from '../model/values';
import { DoubleType, IntegerType } from '../datatypes/registry';
import type { EagerFunctionDef } from './function-def';
import { F1 } from './ids';
import { defineEager, value } from './signature';

const INT = value(DT.integer);
const DBL = value(DT.double);

export const NUMERIC_CONVERSION_FUNCTIONS: readonly EagerFunctionDef[] = [
  defineEager(`${F1}double-to-integer`, { params: [DBL], returns: INT }, (args) => {
    const v = (args[0] as AttributeValue<number>).value;
    if (!Number.isFinite(v)) throw processingError(`double-to-integer: ${v} has no integer value`);
    return { datatype: IntegerType, value: BigInt(Math.trunc(v)) };
  }),
  defineEager(`${F1}integer-to-double`, { params: [INT], returns: DBL }, (args) => ({
    datatype: DoubleType,
    value: Number((args[0] as AttributeValue<bigint>).value),
  })),
];
