/** Equality and ordering predicates, signature checks, time-in-range. */
import { F1, F2, F3, XS, call, check, v, val } from './helpers';

describe('equality', () => {
  it('uses each datatype\'s value equality', () => {
    expect(val(`${F1}string-equal`, v('string', 'abc'), v('string', 'abc'))).toBe(true);
    expect(val(`${F1}string-equal`, v('string', 'abc'), v('string', 'ABC'))).toBe(false);
    expect(val(`${F3}string-equal-ignore-case`, v('string', 'abc'), v('string', 'ABC'))).toBe(true);
    expect(val(`${F1}integer-equal`, v('integer', '007'), v('integer', '7'))).toBe(true);
    expect(val(`${F1}double-equal`, v('double', '27.50'), v('double', '2.75E1'))).toBe(true);
    expect(val(`${F1}double-equal`, v('double', 'NaN'), v('double', 'NaN'))).toBe(true);
    expect(val(`${F1}double-equal`, v('double', 'NaN'), v('double', 'INF'))).toBe(false);
    expect(val(`${F1}dateTime-equal`, v('dateTime', '2002-03-22T08:23:47-05:00'), v('dateTime', '2002-03-22T13:23:47Z'))).toBe(true);
    expect(val(`${F1}date-equal`, v('date', '2002-03-22'), v('date', '2002-03-22Z'))).toBe(true);
    expect(val(`${F1}time-equal`, v('time', '08:00:00+01:00'), v('time', '07:00:00Z'))).toBe(true);
    expect(val(`${F3}dayTimeDuration-equal`, v('dayTimeDuration', 'P1D'), v('dayTimeDuration', 'PT24H'))).toBe(true);
    expect(val(`${F1}yearMonthDuration-equal`, v('yearMonthDuration', 'P1Y'), v('yearMonthDuration', 'P12M'))).toBe(true);
    expect(val(`${F1}hexBinary-equal`, v('hexBinary', '0fa0'), v('hexBinary', '0FA0'))).toBe(true);
    expect(val(`${F1}base64Binary-equal`, v('base64Binary', 'c3VyZS4='), v('base64Binary', 'YXN1cmUu'))).toBe(false);
    expect(val(`${F1}anyURI-equal`, v('anyURI', 'http://a/'), v('anyURI', 'http://a/'))).toBe(true);
    expect(val(`${F1}boolean-equal`, v('boolean', '1'), v('boolean', 'true'))).toBe(true);
    expect(
      val(`${F1}x500Name-equal`, v('urn:oasis:names:tc:xacml:1.0:data-type:x500Name', 'cn=AHA,OU=Sun Labs, o=Sun,c=US'), v('urn:oasis:names:tc:xacml:1.0:data-type:x500Name', 'CN=aha,ou=Sun Labs,o=Sun,c=US')),
    ).toBe(true);
    expect(
      val(`${F1}rfc822Name-equal`, v('urn:oasis:names:tc:xacml:1.0:data-type:rfc822Name', 'j_hibbert@MEDICO.COM'), v('urn:oasis:names:tc:xacml:1.0:data-type:rfc822Name', 'j_hibbert@medico.com')),
    ).toBe(true);
  });

  it('checks argument count and types with precise messages', () => {
    expect(check(`${F1}integer-equal`, { kind: 'value', datatype: `${XS}integer` }, { kind: 'value', datatype: `${XS}string` })).toEqual({
      ok: false,
      message: `argument 2 of ${F1}integer-equal must be ${XS}integer, got ${XS}string`,
    });
    expect(check(`${F1}string-equal`, { kind: 'value', datatype: `${XS}string` })).toEqual({
      ok: false,
      message: `${F1}string-equal takes 2 arguments, got 1`,
    });
    expect(check(`${F1}string-equal`, { kind: 'bag', datatype: `${XS}string` }, { kind: 'value', datatype: `${XS}string` })).toEqual({
      ok: false,
      message: `argument 1 of ${F1}string-equal must be ${XS}string, got a bag of ${XS}string`,
    });
    // Legacy duration ids are accepted where the 3.0 ones are expected.
    const legacy = 'http://www.w3.org/TR/2002/WD-xquery-operators-20020816#dayTimeDuration';
    expect(check(`${F1}dayTimeDuration-equal`, { kind: 'value', datatype: legacy }, { kind: 'value', datatype: `${XS}dayTimeDuration` }).ok).toBe(true);
  });
});

describe('comparison', () => {
  it('orders numbers, strings and temporal values', () => {
    expect(val(`${F1}integer-greater-than`, v('integer', '10'), v('integer', '9'))).toBe(true);
    expect(val(`${F1}integer-less-than-or-equal`, v('integer', '9'), v('integer', '9'))).toBe(true);
    expect(val(`${F1}double-less-than`, v('double', '-INF'), v('double', '0'))).toBe(true);
    expect(val(`${F1}double-greater-than-or-equal`, v('double', 'NaN'), v('double', '0'))).toBe(false);
    expect(val(`${F1}double-less-than`, v('double', 'NaN'), v('double', '0'))).toBe(false);
    expect(val(`${F1}string-less-than`, v('string', 'Abc'), v('string', 'abc'))).toBe(true);
    expect(val(`${F1}dateTime-greater-than`, v('dateTime', '2002-03-22T08:00:00-05:00'), v('dateTime', '2002-03-22T12:59:59Z'))).toBe(true);
    expect(val(`${F1}date-less-than`, v('date', '2002-03-22+05:00'), v('date', '2002-03-22'))).toBe(true);
    expect(val(`${F1}time-greater-than-or-equal`, v('time', '09:30:00.5'), v('time', '09:30:00.499'))).toBe(true);
  });

  it('time-in-range handles bounds, midnight wrap and timezones', () => {
    const tir = (t: string, lo: string, hi: string): unknown => val(`${F2}time-in-range`, v('time', t), v('time', lo), v('time', hi));
    expect(tir('09:00:00', '08:00:00', '17:00:00')).toBe(true);
    expect(tir('08:00:00', '08:00:00', '17:00:00')).toBe(true);
    expect(tir('17:00:00', '08:00:00', '17:00:00')).toBe(true);
    expect(tir('17:00:01', '08:00:00', '17:00:00')).toBe(false);
    expect(tir('23:30:00', '22:00:00', '06:00:00')).toBe(true);
    expect(tir('05:00:00', '22:00:00', '06:00:00')).toBe(true);
    expect(tir('12:00:00', '22:00:00', '06:00:00')).toBe(false);
    // Bounds without timezone take the first argument's: 09:00+02:00 is in [08:00, 10:00] local.
    expect(tir('09:00:00+02:00', '08:00:00', '10:00:00')).toBe(true);
    // With explicit bound timezones: 09:00+02:00 = 07:00Z, outside [08:00Z, 10:00Z].
    expect(tir('09:00:00+02:00', '08:00:00Z', '10:00:00Z')).toBe(false);
    expect(call(`${F2}time-in-range`, [v('time', '10:00:00'), v('time', '10:00:00'), v('time', '10:00:00')])).toMatchObject({ value: true });
  });
});
