/**
 * xs:integer and xs:double.
 * - integer → bigint (arbitrary precision, as XML Schema's integer is unbounded).
 * - double → number (IEEE 754 binary64); lexical INF, +INF, -INF, NaN accepted.
 *   Canonical form: the shortest decimal that round-trips (`27.5`, `1.0E21` style exponents
 *   for very large/small magnitudes), `INF`, `-INF`, `NaN`.
 *   Equality is IEEE equality (0 equals -0) except that NaN equals NaN, as the XACML
 *   conformance suite requires of double-equal (IIC350, IIC358: "permit if the age is NaN").
 *   Order leaves NaN incomparable, so every comparison with NaN is false.
 */
import { DT } from '../model/identifiers';
import type { Datatype } from './datatype';
import { collapse, invalidValue } from './lexical';

const INTEGER_RE = /^[+-]?[0-9]+$/;

export const integerDatatype: Datatype<bigint> = Object.freeze({
  id: DT.integer,
  parse(lexical: string): bigint {
    const v = collapse(lexical);
    if (!INTEGER_RE.test(v)) throw invalidValue(DT.integer, lexical, 'expected an optionally signed decimal integer');
    return BigInt(v);
  },
  format: (value: bigint): string => value.toString(),
  equal: (a: bigint, b: bigint): boolean => a === b,
  key: (value: bigint): string => value.toString(),
  compare: (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0),
});

const DOUBLE_RE = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

export function parseDouble(lexical: string): number | undefined {
  const v = collapse(lexical);
  switch (v) {
    case 'INF':
    case '+INF':
      return Infinity;
    case '-INF':
      return -Infinity;
    case 'NaN':
      return NaN;
    default:
      return DOUBLE_RE.test(v) ? Number(v) : undefined;
  }
}

export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'INF';
  if (value === -Infinity) return '-INF';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const s = String(value);
  const e = s.indexOf('e');
  if (e < 0) return s;
  // JS writes 1e+21 / 1.5e-7; XML Schema writes a mantissa with a fraction and 'E'.
  const mantissa = s.slice(0, e);
  const exp = s.slice(e + 1).replace('+', '');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exp}`;
}

export const doubleDatatype: Datatype<number> = Object.freeze({
  id: DT.double,
  parse(lexical: string): number {
    const n = parseDouble(lexical);
    if (n === undefined) throw invalidValue(DT.double, lexical, 'expected a decimal or scientific number, INF, -INF or NaN');
    return n;
  },
  format: formatDouble,
  // `a !== a` is the NaN test without a call on the hot path.
  equal: (a: number, b: number): boolean => a === b || (a !== a && b !== b),
  key: (value: number): string => (value === 0 ? '0' : String(value)),
  compare: (a: number, b: number): number | undefined =>
    a < b ? -1 : a > b ? 1 : a === b ? 0 : undefined,
});
