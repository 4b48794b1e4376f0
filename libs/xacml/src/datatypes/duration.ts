/**
 * xs:dayTimeDuration and xs:yearMonthDuration (also known by their XACML 1.0
 * `WD-xquery-operators-20020816` ids, which the registry maps here).
 *
 * JS representation:
 * - dayTimeDuration → `{ negative, seconds, fraction }`: the absolute length in whole seconds
 *   (bigint, so any number of days is exact) plus the fractional second digits (no trailing
 *   zeros); zero is never negative.
 * - yearMonthDuration → `{ months }`: signed total months (a safe integer).
 * Equality is by length (P1D equals PT24H, P1Y equals P12M); the canonical form is the
 * XML Schema one (P1DT2H, PT0S, P1Y2M, P0M).
 */
import { DT } from '../model/identifiers';
import type { Datatype } from './datatype';
import { compareFractions, normFraction } from './calendar';
import { collapse, invalidValue } from './lexical';

export interface DayTimeDurationValue {
  readonly negative: boolean;
  readonly seconds: bigint;
  readonly fraction: string;
}

export interface YearMonthDurationValue {
  readonly months: number;
}

const DTD_RE = /^(-)?P(?:([0-9]+)D)?(?:T(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+)(?:\.([0-9]+))?S)?)?$/;
const YMD_RE = /^(-)?P(?:([0-9]+)Y)?(?:([0-9]+)M)?$/;

export function makeDayTimeDuration(negative: boolean, seconds: bigint, fraction: string): DayTimeDurationValue {
  const zero = seconds === 0n && fraction === '';
  return { negative: zero ? false : negative, seconds, fraction };
}

export function parseDayTimeDuration(lexical: string): DayTimeDurationValue {
  const v = collapse(lexical);
  const m = DTD_RE.exec(v);
  // At least one component, and a 'T' must be followed by one.
  if (!m || v.endsWith('P') || v.endsWith('T') || (m[2] ?? m[3] ?? m[4] ?? m[5]) === undefined) {
    throw invalidValue(DT.dayTimeDuration, lexical, 'expected [-]PnDTnHnMn.nS with at least one component');
  }
  const seconds =
    BigInt(m[2] ?? '0') * 86400n + BigInt(m[3] ?? '0') * 3600n + BigInt(m[4] ?? '0') * 60n + BigInt(m[5] ?? '0');
  return makeDayTimeDuration(m[1] === '-', seconds, normFraction(m[6]));
}

export function formatDayTimeDuration(d: DayTimeDurationValue): string {
  if (d.seconds === 0n && d.fraction === '') return 'PT0S';
  const days = d.seconds / 86400n;
  let rest = d.seconds % 86400n;
  const hours = rest / 3600n;
  rest %= 3600n;
  const minutes = rest / 60n;
  const secs = rest % 60n;
  let out = d.negative ? '-P' : 'P';
  if (days > 0n) out += `${days}D`;
  if (hours > 0n || minutes > 0n || secs > 0n || d.fraction !== '') {
    out += 'T';
    if (hours > 0n) out += `${hours}H`;
    if (minutes > 0n) out += `${minutes}M`;
    if (secs > 0n || d.fraction !== '') out += `${secs}${d.fraction === '' ? '' : `.${d.fraction}`}S`;
  }
  return out;
}

export function compareDayTimeDurations(a: DayTimeDurationValue, b: DayTimeDurationValue): number {
  if (a.negative !== b.negative) return a.negative ? -1 : 1;
  const mag = a.seconds < b.seconds ? -1 : a.seconds > b.seconds ? 1 : compareFractions(a.fraction, b.fraction);
  return a.negative ? -mag : mag;
}

export function parseYearMonthDuration(lexical: string): YearMonthDurationValue {
  const v = collapse(lexical);
  const m = YMD_RE.exec(v);
  if (!m || (m[2] === undefined && m[3] === undefined)) {
    throw invalidValue(DT.yearMonthDuration, lexical, 'expected [-]PnYnM with at least one component');
  }
  const months = Number(m[2] ?? '0') * 12 + Number(m[3] ?? '0');
  if (!Number.isSafeInteger(months)) throw invalidValue(DT.yearMonthDuration, lexical, 'too large');
  return { months: m[1] === '-' && months !== 0 ? -months : months };
}

export function formatYearMonthDuration(d: YearMonthDurationValue): string {
  if (d.months === 0) return 'P0M';
  const abs = Math.abs(d.months);
  const years = Math.floor(abs / 12);
  const months = abs % 12;
  return `${d.months < 0 ? '-' : ''}P${years > 0 ? `${years}Y` : ''}${months > 0 ? `${months}M` : ''}`;
}

export const dayTimeDurationDatatype: Datatype<DayTimeDurationValue> = Object.freeze({
  id: DT.dayTimeDuration,
  parse: parseDayTimeDuration,
  format: formatDayTimeDuration,
  equal: (a: DayTimeDurationValue, b: DayTimeDurationValue): boolean =>
    a.negative === b.negative && a.seconds === b.seconds && a.fraction === b.fraction,
  key: (d: DayTimeDurationValue): string => `${d.negative ? '-' : ''}${d.seconds}.${d.fraction}`,
  compare: compareDayTimeDurations,
});

export const yearMonthDurationDatatype: Datatype<YearMonthDurationValue> = Object.freeze({
  id: DT.yearMonthDuration,
  parse: parseYearMonthDuration,
  format: formatYearMonthDuration,
  equal: (a: YearMonthDurationValue, b: YearMonthDurationValue): boolean => a.months === b.months,
  key: (d: YearMonthDurationValue): string => String(d.months),
  compare: (a: YearMonthDurationValue, b: YearMonthDurationValue): number =>
    a.months < b.months ? -1 : a.months > b.months ? 1 : 0,
});
