/**
 * Equality predicates (A.3.1): `<type>-equal` for every type that defines one, and
 * string-equal-ignore-case. Equality is the datatype's own (`Datatype.equal`), e.g. dateTime
 * instants across timezones, x500Name by normalised RDNs, rfc822Name with a case-insensitive
 * domain. The duration equalities also keep their deprecated 1.0 ids (A.4).
 */
import { DT } from '../model/identifiers';
import type { AttributeValue } from '../model/values';
import type { Datatype } from '../datatypes/datatype';
import {
  AnyURIType,
  Base64BinaryType,
  BooleanType,
  DateTimeType,
  DateType,
  DayTimeDurationType,
  DoubleType,
  HexBinaryType,
  IntegerType,
  Rfc822NameType,
  StringType,
  TimeType,
  X500NameType,
  YearMonthDurationType,
  booleanValue,
} from '../datatypes/registry';
import type { EagerFunctionDef } from './function-def';
import { F1, F3 } from './ids';
import { defineEager, value } from './signature';

function equalFn<T>(id: string, type: Datatype<T>): EagerFunctionDef {
  const equal = type.equal;
  return defineEager(id, { params: [value(type.id), value(type.id)], returns: value(DT.boolean) }, (args) =>
    booleanValue(equal((args[0] as AttributeValue<T>).value, (args[1] as AttributeValue<T>).value)),
  );
}

export const EQUALITY_FUNCTIONS: readonly EagerFunctionDef[] = [
  equalFn(`${F1}string-equal`, StringType),
  equalFn(`${F1}boolean-equal`, BooleanType),
  equalFn(`${F1}integer-equal`, IntegerType),
  equalFn(`${F1}double-equal`, DoubleType),
  equalFn(`${F1}date-equal`, DateType),
  equalFn(`${F1}time-equal`, TimeType),
  equalFn(`${F1}dateTime-equal`, DateTimeType),
  equalFn(`${F3}dayTimeDuration-equal`, DayTimeDurationType),
  equalFn(`${F1}dayTimeDuration-equal`, DayTimeDurationType),
  equalFn(`${F3}yearMonthDuration-equal`, YearMonthDurationType),
  equalFn(`${F1}yearMonthDuration-equal`, YearMonthDurationType),
  equalFn(`${F1}anyURI-equal`, AnyURIType),
  equalFn(`${F1}x500Name-equal`, X500NameType),
  equalFn(`${F1}rfc822Name-equal`, Rfc822NameType),
  equalFn(`${F1}hexBinary-equal`, HexBinaryType),
  equalFn(`${F1}base64Binary-equal`, Base64BinaryType),
  defineEager(
    `${F3}string-equal-ignore-case`,
    { params: [value(DT.string), value(DT.string)], returns: value(DT.boolean) },
    (args) => {
      const a = (args[0] as AttributeValue<string>).value;
      const b = (args[1] as AttributeValue<string>).value;
      return booleanValue(a === b || a.toLowerCase() === b.toLowerCase());
    },
  ),
];
