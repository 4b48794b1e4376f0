/**
 * Date and time arithmetic (A.3.7): dateTime ± dayTimeDuration, dateTime ± yearMonthDuration,
 * date ± yearMonthDuration, under their 3.0 ids and the deprecated 1.0 ones (A.4).
 *
 * Semantics of XPath F&O op:add-*-to-dateTime: a dayTimeDuration moves the wall-clock value by
 * an exact number of seconds (fractions kept exactly) and the result keeps the operand's
 * timezone (or its absence); a yearMonthDuration moves year and month and pins the day to the
 * last day of the resulting month when it would overflow (2004-01-31 + P1M = 2004-02-29).
 */
import { DT } from '../model/identifiers';
import type { AttributeValue } from '../model/values';
import {
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  floorDivMod,
  fractionUnits,
  pow10,
  unitsToFraction,
} from '../datatypes/calendar';
import type { DayTimeDurationValue, YearMonthDurationValue } from '../datatypes/duration';
import { DateTimeType, DateType } from '../datatypes/registry';
import type { DateTimeValue, DateValue } from '../datatypes/temporal';
import type { EagerFunctionDef } from './function-def';
import { F1, F3 } from './ids';
import { defineEager, value } from './signature';

export function addDayTimeDuration(dt: DateTimeValue, d: DayTimeDurationValue, sign: 1 | -1): DateTimeValue {
  const scale = Math.max(dt.fraction.length, d.fraction.length);
  const unit = pow10(scale);
  const local = BigInt(daysFromCivil(dt.year, dt.month, dt.day) * 86400 + dt.hour * 3600 + dt.minute * 60 + dt.second);
  const a = local * unit + fractionUnits(dt.fraction, scale);
  const b = d.seconds * unit + fractionUnits(d.fraction, scale);
  const subtract = d.negative !== (sign < 0);
  const [secs, frac] = floorDivMod(subtract ? a - b : a + b, unit);
  const [days, secOfDay] = floorDivMod(secs, 86400n);
  const { year, month, day } = civilFromDays(Number(days));
  const s = Number(secOfDay);
  return {
    year,
    month,
    day,
    hour: Math.floor(s / 3600),
    minute: Math.floor((s % 3600) / 60),
    second: s % 60,
    fraction: unitsToFraction(frac, scale),
    tz: dt.tz,
  };
}

/** Year and month moved by `months`; the day pinned to the end of the resulting month. */
export function addMonths<T extends { readonly year: number; readonly month: number; readonly day: number }>(v: T, months: number): T {
  const total = v.year * 12 + (v.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  return { ...v, year, month, day: Math.min(v.day, daysInMonth(year, month)) };
}

const DATETIME = value(DT.dateTime);
const DATE = value(DT.date);
const DTD = value(DT.dayTimeDuration);
const YMD = value(DT.yearMonthDuration);

function dateTimeDayTime(id: string, sign: 1 | -1): EagerFunctionDef {
  return defineEager(id, { params: [DATETIME, DTD], returns: DATETIME }, (args) => ({
    datatype: DateTimeType,
    value: addDayTimeDuration(
      (args[0] as AttributeValue<DateTimeValue>).value,
      (args[1] as AttributeValue<DayTimeDurationValue>).value,
      sign,
    ),
  }));
}

function dateTimeYearMonth(id: string, sign: 1 | -1): EagerFunctionDef {
  return defineEager(id, { params: [DATETIME, YMD], returns: DATETIME }, (args) => ({
    datatype: DateTimeType,
    value: addMonths(
      (args[0] as AttributeValue<DateTimeValue>).value,
      sign * (args[1] as AttributeValue<YearMonthDurationValue>).value.months,
    ),
  }));
}

function dateYearMonth(id: string, sign: 1 | -1): EagerFunctionDef {
  return defineEager(id, { params: [DATE, YMD], returns: DATE }, (args) => ({
    datatype: DateType,
    value: addMonths(
      (args[0] as AttributeValue<DateValue>).value,
      sign * (args[1] as AttributeValue<YearMonthDurationValue>).value.months,
    ),
  }));
}

export const DATE_ARITHMETIC_FUNCTIONS: readonly EagerFunctionDef[] = [F3, F1].flatMap((ns) => [
  dateTimeDayTime(`${ns}dateTime-add-dayTimeDuration`, 1),
  dateTimeDayTime(`${ns}dateTime-subtract-dayTimeDuration`, -1),
  dateTimeYearMonth(`${ns}dateTime-add-yearMonthDuration`, 1),
  dateTimeYearMonth(`${ns}dateTime-subtract-yearMonthDuration`, -1),
  dateYearMonth(`${ns}date-add-yearMonthDuration`, 1),
  dateYearMonth(`${ns}date-subtract-yearMonthDuration`, -1),
]);
