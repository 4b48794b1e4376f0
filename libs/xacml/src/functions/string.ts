/**
 * String functions (A.3.9): concatenation, starts-with/ends-with/contains (note the argument
 * order: the *second* argument is searched for the *first*), substring (positions in
 * characters, end -1 = end of string, out of range → processing-error), normalize-space
 * (trims leading and trailing whitespace), normalize-to-lower-case, and the conversions
 * `<type>-from-string` (an invalid lexical form → Indeterminate with a syntax-error status)
 * and `string-from-<type>` (the datatype's canonical form).
 */
import { DT } from '../model/identifiers';
import { chargeString } from '../evaluate/limits';
import { ValueSyntaxError } from '../model/errors';
import { IndeterminateError, processingError, syntaxErrorStatus } from '../model/status';
import type { AttributeValue, ExprValue } from '../model/values';
import { isAttributeValue } from '../model/values';
import type { Datatype } from '../datatypes/datatype';
import {
  AnyURIType,
  BooleanType,
  DateTimeType,
  DateType,
  DayTimeDurationType,
  DnsNameType,
  DoubleType,
  IntegerType,
  IpAddressType,
  Rfc822NameType,
  StringType,
  TimeType,
  X500NameType,
  YearMonthDurationType,
  booleanValue,
} from '../datatypes/registry';
import type { EagerFunctionDef } from './function-def';
import { F1, F2, F3 } from './ids';
import { defineEager, value } from './signature';

const STR = value(DT.string);
const URI = value(DT.anyURI);
const INT = value(DT.integer);
const BOOL = value(DT.boolean);

function S(args: readonly unknown[], i: number): string {
  return (args[i] as AttributeValue<string>).value;
}

function str(s: string): AttributeValue<string> {
  return { datatype: StringType, value: s };
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Substring by character (code point) positions, as XACML counts them. */
export function substringChars(s: string, begin: bigint, end: bigint, fn: string): string {
  const chars = SURROGATE.test(s) ? Array.from(s) : undefined;
  const length = BigInt(chars ? chars.length : s.length);
  const stop = end === -1n ? length : end;
  if (begin < 0n || begin > length || stop < begin || stop > length) {
    throw processingError(`${fn}: positions ${begin}..${end} out of bounds for a string of ${length} characters`);
  }
  return chars ? chars.slice(Number(begin), Number(stop)).join('') : s.slice(Number(begin), Number(stop));
}

/** Refuses at load time a substring call whose literal positions can never be in bounds. */
function validateSubstring(literals: readonly (ExprValue | undefined)[]): string | undefined {
  const lit = (i: number): unknown => {
    const v = literals[i];
    return v !== undefined && isAttributeValue(v) ? v.value : undefined;
  };
  const s = lit(0);
  const begin = lit(1);
  const end = lit(2);
  if (typeof begin === 'bigint' && begin < 0n) return `substring begin position ${begin} is negative`;
  if (typeof end === 'bigint' && end < -1n) return `substring end position ${end} is below -1`;
  if (typeof begin === 'bigint' && typeof end === 'bigint' && end !== -1n && end < begin) {
    return `substring end position ${end} is before begin position ${begin}`;
  }
  if (typeof s === 'string' && typeof begin === 'bigint' && typeof end === 'bigint') {
    try {
      substringChars(s, begin, end, 'substring');
    } catch (e) {
      if (e instanceof IndeterminateError) return e.message;
      throw e;
    }
  }
  return undefined;
}

const XML_SPACE_EDGES = /^[ \t\r\n]+|[ \t\r\n]+$/g;

function searchFn(id: string, second: typeof STR, test: (haystack: string, needle: string) => boolean): EagerFunctionDef {
  return defineEager(id, { params: [STR, second], returns: BOOL }, (args) => booleanValue(test(S(args, 1), S(args, 0))));
}

function fromString<T>(name: string, type: Datatype<T>): EagerFunctionDef {
  const id = `${F3}${name}-from-string`;
  return defineEager(id, { params: [STR], returns: value(type.id) }, (args) => {
    try {
      const parsed = type.parse(S(args, 0));
      return typeof parsed === 'boolean' ? booleanValue(parsed) : { datatype: type, value: parsed };
    } catch (e) {
      if (e instanceof ValueSyntaxError) throw syntaxErrorStatus(`${id}: ${e.message}`);
      throw e;
    }
  });
}

function toString<T>(name: string, type: Datatype<T>): EagerFunctionDef {
  const format = type.format;
  return defineEager(`${F3}string-from-${name}`, { params: [value(type.id)], returns: STR }, (args) =>
    str(format((args[0] as AttributeValue<T>).value)),
  );
}

const CONVERTIBLE: ReadonlyArray<readonly [string, Datatype<never>]> = [
  ['boolean', BooleanType],
  ['integer', IntegerType],
  ['double', DoubleType],
  ['time', TimeType],
  ['date', DateType],
  ['dateTime', DateTimeType],
  ['anyURI', AnyURIType],
  ['dayTimeDuration', DayTimeDurationType],
  ['yearMonthDuration', YearMonthDurationType],
  ['x500Name', X500NameType],
  ['rfc822Name', Rfc822NameType],
  ['ipAddress', IpAddressType],
  ['dnsName', DnsNameType],
] as unknown as ReadonlyArray<readonly [string, Datatype<never>]>;

/** Length of the concatenation, known before it is built (the evaluation limits bound it). */
function totalLength(args: readonly ExprValue[]): number {
  let n = 0;
  for (let i = 0; i < args.length; i++) n += S(args, i).length;
  return n;
}

export const STRING_FUNCTIONS: readonly EagerFunctionDef[] = [
  defineEager(`${F2}string-concatenate`, { params: [STR], variadic: { type: STR, min: 1 }, returns: STR }, (args, ctx) => {
    chargeString(ctx, 'string-concatenate', totalLength(args));
    let out = S(args, 0);
    for (let i = 1; i < args.length; i++) out += S(args, i);
    return str(out);
  }),
  defineEager(`${F2}uri-string-concatenate`, { params: [URI], variadic: { type: STR, min: 1 }, returns: URI }, (args, ctx) => {
    chargeString(ctx, 'uri-string-concatenate', totalLength(args));
    let out = S(args, 0);
    for (let i = 1; i < args.length; i++) out += S(args, i);
    return { datatype: AnyURIType, value: out };
  }),
  searchFn(`${F3}string-starts-with`, STR, (h, n) => h.startsWith(n)),
  searchFn(`${F3}anyURI-starts-with`, URI, (h, n) => h.startsWith(n)),
  searchFn(`${F3}string-ends-with`, STR, (h, n) => h.endsWith(n)),
  searchFn(`${F3}anyURI-ends-with`, URI, (h, n) => h.endsWith(n)),
  searchFn(`${F3}string-contains`, STR, (h, n) => h.includes(n)),
  searchFn(`${F3}anyURI-contains`, URI, (h, n) => h.includes(n)),
  defineEager(`${F3}string-substring`, { params: [STR, INT, INT], returns: STR }, (args) =>
    str(substringChars(S(args, 0), (args[1] as AttributeValue<bigint>).value, (args[2] as AttributeValue<bigint>).value, 'string-substring')),
    { validateLiterals: validateSubstring },
  ),
  defineEager(`${F3}anyURI-substring`, { params: [URI, INT, INT], returns: STR }, (args) =>
    str(substringChars(S(args, 0), (args[1] as AttributeValue<bigint>).value, (args[2] as AttributeValue<bigint>).value, 'anyURI-substring')),
    { validateLiterals: validateSubstring },
  ),
  defineEager(`${F1}string-normalize-space`, { params: [STR], returns: STR }, (args) =>
    str(S(args, 0).replace(XML_SPACE_EDGES, '')),
  ),
  defineEager(`${F1}string-normalize-to-lower-case`, { params: [STR], returns: STR }, (args) => str(S(args, 0).toLowerCase())),
  ...CONVERTIBLE.flatMap(([name, type]) => [fromString(name, type), toString(name, type)]),
];
