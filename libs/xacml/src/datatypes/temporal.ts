/**
 * xs:date, xs:time and xs:dateTime.
 *
 * JS representation: immutable plain objects (`DateValue`, `TimeValue`, `DateTimeValue`) that
 * keep the fields as written, the fractional seconds exactly (a digit string without trailing
 * zeros) and the timezone offset in minutes, or `undefined` when the value has none.
 *
 * Order and equality follow XML Schema: values are compared as instants on the time line.
 * A value without timezone is placed on the time line with the PDP's implicit timezone,
 * which is UTC (Z). So `2002-03-05T10:00:00` equals `2002-03-05T10:00:00Z` and
 * `2002-03-05T12:00:00+02:00`. A date is the instant its day starts in its timezone; a time
 * is placed on the reference day 1972-12-31 (so `23:00:00-05:00` is after `01:00:00Z`).
 * `24:00:00` is accepted and normalised to 00:00:00 of the next day (for time: 00:00:00).
 * Format keeps the value's own timezone (not normalised to Z).
 */
import { DT } from '../model/identifiers';
import type { Datatype } from './datatype';
import {
  civilFromDays,
  compareFractions,
  daysFromCivil,
  daysInMonth,
  formatTimezone,
  formatYear,
  normFraction,
  pad2,
} from './calendar';
import { collapse, invalidValue } from './lexical';

export interface DateValue {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** Offset from UTC in minutes; undefined when the value has no timezone. */
  readonly tz: number | undefined;
}

export interface TimeValue {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Digits after the decimal point, trailing zeros removed ('' when none). */
  readonly fraction: string;
  readonly tz: number | undefined;
}

export interface DateTimeValue {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly fraction: string;
  readonly tz: number | undefined;
}

/** The PDP's implicit timezone (minutes), applied to values without one. */
export const IMPLICIT_TIMEZONE = 0;

const YEAR = '(-?(?:[1-9][0-9]{4,8}|[0-9]{4}))';
const TZ = '(Z|[+-][0-9]{2}:[0-9]{2})?';
const TIME = '([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]+))?';
const DATE_RE = new RegExp(`^${YEAR}-([0-9]{2})-([0-9]{2})${TZ}$`);
const TIME_RE = new RegExp(`^${TIME}${TZ}$`);
const DATETIME_RE = new RegExp(`^${YEAR}-([0-9]{2})-([0-9]{2})T${TIME}${TZ}$`);

function parseTimezone(id: string, lexical: string, tz: string | undefined): number | undefined {
  if (tz === undefined) return undefined;
  if (tz === 'Z') return 0;
  const h = Number(tz.slice(1, 3));
  const m = Number(tz.slice(4, 6));
  if (m > 59 || h > 14 || (h === 14 && m !== 0)) throw invalidValue(id, lexical, 'timezone out of range (-14:00..+14:00)');
  return (tz[0] === '-' ? -1 : 1) * (h * 60 + m);
}

function checkDate(id: string, lexical: string, year: number, month: number, day: number): void {
  if (month < 1 || month > 12) throw invalidValue(id, lexical, 'month out of range');
  if (day < 1 || day > daysInMonth(year, month)) throw invalidValue(id, lexical, 'day out of range for the month');
}

/** Validates h:m:s; returns true when the time is 24:00:00 (end of day). */
function checkTime(id: string, lexical: string, h: number, m: number, s: number, fraction: string): boolean {
  if (m > 59) throw invalidValue(id, lexical, 'minute out of range');
  if (s > 59) throw invalidValue(id, lexical, 'second out of range');
  if (h === 24) {
    if (m !== 0 || s !== 0 || fraction !== '') throw invalidValue(id, lexical, '24 is allowed only as 24:00:00');
    return true;
  }
  if (h > 23) throw invalidValue(id, lexical, 'hour out of range');
  return false;
}

export function parseDate(lexical: string): DateValue {
  const m = DATE_RE.exec(collapse(lexical));
  if (!m) throw invalidValue(DT.date, lexical, 'expected [-]YYYY-MM-DD[timezone]');
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  checkDate(DT.date, lexical, year, month, day);
  return { year, month, day, tz: parseTimezone(DT.date, lexical, m[4]) };
}

export function parseTime(lexical: string): TimeValue {
  const m = TIME_RE.exec(collapse(lexical));
  if (!m) throw invalidValue(DT.time, lexical, 'expected hh:mm:ss[.fff][timezone]');
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  const second = Number(m[3]);
  const fraction = normFraction(m[4]);
  const endOfDay = checkTime(DT.time, lexical, hour, minute, second, fraction);
  return { hour: endOfDay ? 0 : hour, minute, second, fraction, tz: parseTimezone(DT.time, lexical, m[5]) };
}

export function parseDateTime(lexical: string): DateTimeValue {
  const m = DATETIME_RE.exec(collapse(lexical));
  if (!m) throw invalidValue(DT.dateTime, lexical, 'expected [-]YYYY-MM-DDThh:mm:ss[.fff][timezone]');
  let year = Number(m[1]);
  let month = Number(m[2]);
  let day = Number(m[3]);
  checkDate(DT.dateTime, lexical, year, month, day);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  const fraction = normFraction(m[7]);
  const tz = parseTimezone(DT.dateTime, lexical, m[8]);
  if (checkTime(DT.dateTime, lexical, hour, minute, second, fraction)) {
    ({ year, month, day } = civilFromDays(daysFromCivil(year, month, day) + 1));
    return { year, month, day, hour: 0, minute, second, fraction, tz };
  }
  return { year, month, day, hour, minute, second, fraction, tz };
}

/** Whole seconds of the instant since 1970-01-01T00:00:00Z (implicit timezone applied). */
export function dateTimeEpochSeconds(v: DateTimeValue): number {
  return (
    daysFromCivil(v.year, v.month, v.day) * 86400 +
    v.hour * 3600 +
    v.minute * 60 +
    v.second -
    (v.tz ?? IMPLICIT_TIMEZONE) * 60
  );
}

export function dateEpochSeconds(v: DateValue): number {
  return daysFromCivil(v.year, v.month, v.day) * 86400 - (v.tz ?? IMPLICIT_TIMEZONE) * 60;
}

/** Seconds on the reference day (may fall outside 0..86399 once the timezone is applied). */
export function timeSeconds(v: TimeValue): number {
  return v.hour * 3600 + v.minute * 60 + v.second - (v.tz ?? IMPLICIT_TIMEZONE) * 60;
}

function formatClock(hour: number, minute: number, second: number, fraction: string): string {
  return `${pad2(hour)}:${pad2(minute)}:${pad2(second)}${fraction === '' ? '' : `.${fraction}`}`;
}

export function formatDate(v: DateValue): string {
  return `${formatYear(v.year)}-${pad2(v.month)}-${pad2(v.day)}${formatTimezone(v.tz)}`;
}

export function formatTime(v: TimeValue): string {
  return `${formatClock(v.hour, v.minute, v.second, v.fraction)}${formatTimezone(v.tz)}`;
}

export function formatDateTime(v: DateTimeValue): string {
  return `${formatYear(v.year)}-${pad2(v.month)}-${pad2(v.day)}T${formatClock(v.hour, v.minute, v.second, v.fraction)}${formatTimezone(v.tz)}`;
}

function cmpNum(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareDateTimes(a: DateTimeValue, b: DateTimeValue): number {
  return cmpNum(dateTimeEpochSeconds(a), dateTimeEpochSeconds(b)) || compareFractions(a.fraction, b.fraction);
}

export function compareTimes(a: TimeValue, b: TimeValue): number {
  return cmpNum(timeSeconds(a), timeSeconds(b)) || compareFractions(a.fraction, b.fraction);
}

export function compareDates(a: DateValue, b: DateValue): number {
  return cmpNum(dateEpochSeconds(a), dateEpochSeconds(b));
}

export const dateDatatype: Datatype<DateValue> = Object.freeze({
  id: DT.date,
  parse: parseDate,
  format: formatDate,
  equal: (a: DateValue, b: DateValue): boolean => compareDates(a, b) === 0,
  key: (v: DateValue): string => String(dateEpochSeconds(v)),
  compare: compareDates,
});

export const timeDatatype: Datatype<TimeValue> = Object.freeze({
  id: DT.time,
  parse: parseTime,
  format: formatTime,
  equal: (a: TimeValue, b: TimeValue): boolean => compareTimes(a, b) === 0,
  key: (v: TimeValue): string => `${timeSeconds(v)}.${v.fraction}`,
  compare: compareTimes,
});

export const dateTimeDatatype: Datatype<DateTimeValue> = Object.freeze({
  id: DT.dateTime,
  parse: parseDateTime,
  format: formatDateTime,
  equal: (a: DateTimeValue, b: DateTimeValue): boolean => compareDateTimes(a, b) === 0,
  key: (v: DateTimeValue): string => `${dateTimeEpochSeconds(v)}.${v.fraction}`,
  compare: compareDateTimes,
});
