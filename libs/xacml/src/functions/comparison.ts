/**
 * Ordering predicates (A.3.6, A.3.8): greater-than, greater-than-or-equal, less-than,
 * less-than-or-equal for integer, double, string, time, date and dateTime, and time-in-range.
 * Values without timezone use the implicit timezone (Z). A comparison with NaN is false.
 */
import { DT } from '../model/identifiers';
import type { AttributeValue } from '../model/values';
import type { Datatype } from '../datatypes/datatype';
import { DateTimeType, DateType, DoubleType, IntegerType, StringType, TimeType, booleanValue } from '../datatypes/registry';
import type { TimeValue } from '../datatypes/temporal';
import { IMPLICIT_TIMEZONE } from '../datatypes/temporal';
import type { EagerFunctionDef } from './function-def';
import { F1, F2 } from './ids';
import { defineEager, value } from './signature';

type Test = (c: number) => boolean;

const TESTS: ReadonlyArray<readonly [string, Test]> = [
  ['greater-than', (c) => c > 0],
  ['greater-than-or-equal', (c) => c >= 0],
  ['less-than', (c) => c < 0],
  ['less-than-or-equal', (c) => c <= 0],
];

function comparisons<T>(prefix: string, type: Datatype<T>): EagerFunctionDef[] {
  const compare = type.compare as (a: T, b: T) => number | undefined;
  return TESTS.map(([suffix, test]) =>
    defineEager(`${F1}${prefix}-${suffix}`, { params: [value(type.id), value(type.id)], returns: value(DT.boolean) }, (args) => {
      const c = compare((args[0] as AttributeValue<T>).value, (args[1] as AttributeValue<T>).value);
      return booleanValue(c !== undefined && test(c));
    }),
  );
}

/** Seconds since midnight UTC (0 ≤ s < 86400, with fraction) of a time, using `tz` when it has none. */
function utcSecondsOfDay(t: TimeValue, fallbackTz: number): number {
  const tz = t.tz ?? fallbackTz;
  const s = t.hour * 3600 + t.minute * 60 + t.second - tz * 60 + (t.fraction === '' ? 0 : Number(`0.${t.fraction}`));
  return ((s % 86400) + 86400) % 86400;
}

/**
 * time-in-range(t, lower, upper): t lies in [lower, upper]; upper is taken as at most 24 hours
 * after lower (so a range may span midnight). Bounds without timezone take t's timezone; t
 * without one takes the implicit timezone.
 */
export function timeInRange(t: TimeValue, lower: TimeValue, upper: TimeValue): boolean {
  const tz = t.tz ?? IMPLICIT_TIMEZONE;
  const x = utcSecondsOfDay(t, IMPLICIT_TIMEZONE);
  const lo = utcSecondsOfDay(lower, tz);
  let hi = utcSecondsOfDay(upper, tz);
  if (hi < lo) hi += 86400;
  const xs = x < lo ? x + 86400 : x;
  return xs <= hi;
}

export const COMPARISON_FUNCTIONS: readonly EagerFunctionDef[] = [
  ...comparisons('integer', IntegerType),
  ...comparisons('double', DoubleType),
  ...comparisons('string', StringType),
  ...comparisons('time', TimeType),
  ...comparisons('date', DateType),
  ...comparisons('dateTime', DateTimeType),
  defineEager(
    `${F2}time-in-range`,
    { params: [value(DT.time), value(DT.time), value(DT.time)], returns: value(DT.boolean) },
    (args) =>
      booleanValue(
        timeInRange(
          (args[0] as AttributeValue<TimeValue>).value,
          (args[1] as AttributeValue<TimeValue>).value,
          (args[2] as AttributeValue<TimeValue>).value,
        ),
      ),
  ),
];
