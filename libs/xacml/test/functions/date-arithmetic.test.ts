/** Date and time arithmetic across month ends, leap years, timezones and fractions. */
import type { AttributeValue } from '../../src/model/values';
import { F1, F3, call, v } from './helpers';

function fmt(id: string, a: AttributeValue, b: AttributeValue): string {
  const r = call(id, [a, b]) as AttributeValue;
  return r.datatype.format(r.value);
}

describe('dateTime ± dayTimeDuration', () => {
  it('adds exactly, keeping the timezone', () => {
    expect(fmt(`${F3}dateTime-add-dayTimeDuration`, v('dateTime', '2002-03-22T08:23:47-05:00'), v('dayTimeDuration', 'P5DT2H0M0S'))).toBe('2002-03-27T10:23:47-05:00');
    expect(fmt(`${F3}dateTime-add-dayTimeDuration`, v('dateTime', '2000-02-28T23:00:00'), v('dayTimeDuration', 'PT2H'))).toBe('2000-02-29T01:00:00');
    expect(fmt(`${F3}dateTime-add-dayTimeDuration`, v('dateTime', '1999-12-31T23:59:59.9Z'), v('dayTimeDuration', 'PT0.15S'))).toBe('2000-01-01T00:00:00.05Z');
    expect(fmt(`${F3}dateTime-add-dayTimeDuration`, v('dateTime', '2002-01-01T00:00:00'), v('dayTimeDuration', '-P1D'))).toBe('2001-12-31T00:00:00');
  });

  it('subtracts, including negative durations', () => {
    expect(fmt(`${F3}dateTime-subtract-dayTimeDuration`, v('dateTime', '2002-03-01T00:00:00Z'), v('dayTimeDuration', 'P1D'))).toBe('2002-02-28T00:00:00Z');
    expect(fmt(`${F3}dateTime-subtract-dayTimeDuration`, v('dateTime', '2002-03-01T00:00:00Z'), v('dayTimeDuration', '-PT1.5S'))).toBe('2002-03-01T00:00:01.5Z');
    expect(fmt(`${F1}dateTime-subtract-dayTimeDuration`, v('dateTime', '2004-03-01T00:30:00+14:00'), v('dayTimeDuration', 'PT1H'))).toBe('2004-02-29T23:30:00+14:00');
  });
});

describe('± yearMonthDuration', () => {
  it('pins the day to the end of a shorter month', () => {
    expect(fmt(`${F3}dateTime-add-yearMonthDuration`, v('dateTime', '2004-01-31T10:00:00Z'), v('yearMonthDuration', 'P1M'))).toBe('2004-02-29T10:00:00Z');
    expect(fmt(`${F3}dateTime-add-yearMonthDuration`, v('dateTime', '2003-01-31T10:00:00'), v('yearMonthDuration', 'P1M'))).toBe('2003-02-28T10:00:00');
    expect(fmt(`${F3}date-add-yearMonthDuration`, v('date', '2000-02-29'), v('yearMonthDuration', 'P1Y'))).toBe('2001-02-28');
    expect(fmt(`${F3}date-subtract-yearMonthDuration`, v('date', '2002-03-31+02:00'), v('yearMonthDuration', 'P1M'))).toBe('2002-02-28+02:00');
    expect(fmt(`${F3}dateTime-subtract-yearMonthDuration`, v('dateTime', '2002-01-15T00:00:00'), v('yearMonthDuration', 'P1Y2M'))).toBe('2000-11-15T00:00:00');
    expect(fmt(`${F1}date-add-yearMonthDuration`, v('date', '2002-11-30'), v('yearMonthDuration', '-P11M'))).toBe('2001-12-30');
  });

  it('accepts the legacy duration datatype id on the 1.0 functions', () => {
    const legacy = 'http://www.w3.org/TR/2002/WD-xquery-operators-20020816#yearMonthDuration';
    expect(fmt(`${F1}dateTime-add-yearMonthDuration`, v('dateTime', '2002-01-31T00:00:00'), v(legacy, 'P1M'))).toBe('2002-02-28T00:00:00');
  });
});
