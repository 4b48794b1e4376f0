/** Arithmetic, numeric conversion and string functions, including their Indeterminate cases. */
import { F1, F2, F3, PROCESSING_ERROR, SYNTAX_ERROR, XS, call, check, indeterminate, members, v, val } from './helpers';
import type { AttributeValue } from '../../src/model/values';
import { def } from './helpers';

describe('arithmetic', () => {
  it('adds and multiplies any number of arguments, exactly for integers', () => {
    expect(val(`${F1}integer-add`, v('integer', '1'), v('integer', '2'), v('integer', '3'))).toBe(6n);
    expect(val(`${F1}integer-multiply`, v('integer', '9007199254740993'), v('integer', '2'))).toBe(18014398509481986n);
    expect(val(`${F1}double-add`, v('double', '0.5'), v('double', '0.25'))).toBe(0.75);
    expect(val(`${F1}double-multiply`, v('double', '1.5'), v('double', '2'), v('double', '2'))).toBe(6);
    expect(check(`${F1}integer-add`, { kind: 'value', datatype: `${XS}integer` })).toEqual({
      ok: false,
      message: `${F1}integer-add takes at least 2 arguments, got 1`,
    });
    expect(check(`${F1}integer-add`, { kind: 'value', datatype: `${XS}integer` }, { kind: 'value', datatype: `${XS}string` })).toEqual({
      ok: false,
      message: `argument 2 of ${F1}integer-add must be ${XS}integer, got ${XS}string`,
    });
  });

  it('subtracts, divides (truncating) and takes remainders', () => {
    expect(val(`${F1}integer-subtract`, v('integer', '5'), v('integer', '7'))).toBe(-2n);
    expect(val(`${F1}integer-divide`, v('integer', '-7'), v('integer', '2'))).toBe(-3n);
    expect(val(`${F1}integer-mod`, v('integer', '-7'), v('integer', '2'))).toBe(-1n);
    expect(val(`${F1}double-divide`, v('double', '1'), v('double', '4'))).toBe(0.25);
    expect(val(`${F1}double-subtract`, v('double', '1'), v('double', '0.5'))).toBe(0.5);
  });

  it('division by zero is a processing error', () => {
    expect(indeterminate(`${F1}integer-divide`, [v('integer', '1'), v('integer', '0')]).code).toBe(PROCESSING_ERROR);
    expect(indeterminate(`${F1}integer-mod`, [v('integer', '1'), v('integer', '0')]).code).toBe(PROCESSING_ERROR);
    expect(indeterminate(`${F1}double-divide`, [v('double', '1'), v('double', '0')]).code).toBe(PROCESSING_ERROR);
  });

  it('abs, round (half up), floor and conversions', () => {
    expect(val(`${F1}integer-abs`, v('integer', '-5'))).toBe(5n);
    expect(val(`${F1}double-abs`, v('double', '-2.5'))).toBe(2.5);
    expect(val(`${F1}round`, v('double', '2.5'))).toBe(3);
    expect(val(`${F1}round`, v('double', '-2.5'))).toBe(-2);
    expect(val(`${F1}floor`, v('double', '-2.1'))).toBe(-3);
    expect(val(`${F1}double-to-integer`, v('double', '-2.9'))).toBe(-2n);
    expect(val(`${F1}integer-to-double`, v('integer', '3'))).toBe(3);
    expect(indeterminate(`${F1}double-to-integer`, [v('double', 'INF')]).code).toBe(PROCESSING_ERROR);
  });
});

describe('string functions', () => {
  it('concatenates', () => {
    expect(val(`${F2}string-concatenate`, v('string', 'ab'), v('string', 'c'), v('string', 'd'))).toBe('abcd');
    const uri = call(`${F2}uri-string-concatenate`, [v('anyURI', 'http://a/'), v('string', 'b')]) as AttributeValue;
    expect(uri.value).toBe('http://a/b');
  });

  it('starts-with/ends-with/contains look for the first argument in the second', () => {
    expect(val(`${F3}string-starts-with`, v('string', 'ab'), v('string', 'abc'))).toBe(true);
    expect(val(`${F3}string-starts-with`, v('string', 'abc'), v('string', 'ab'))).toBe(false);
    expect(val(`${F3}string-ends-with`, v('string', 'bc'), v('string', 'abc'))).toBe(true);
    expect(val(`${F3}string-contains`, v('string', 'b'), v('string', 'abc'))).toBe(true);
    expect(val(`${F3}anyURI-starts-with`, v('string', 'http://'), v('anyURI', 'http://x/y'))).toBe(true);
    expect(val(`${F3}anyURI-ends-with`, v('string', '/y'), v('anyURI', 'http://x/y'))).toBe(true);
    expect(val(`${F3}anyURI-contains`, v('string', 'x/'), v('anyURI', 'http://x/y'))).toBe(true);
  });

  it('substring counts characters, -1 meaning the end; out of bounds is Indeterminate', () => {
    expect(val(`${F3}string-substring`, v('string', 'This is the initial test string.'), v('integer', '0'), v('integer', '4'))).toBe('This');
    expect(val(`${F3}string-substring`, v('string', 'abc'), v('integer', '1'), v('integer', '-1'))).toBe('bc');
    expect(val(`${F3}string-substring`, v('string', 'a\u{1F600}b'), v('integer', '1'), v('integer', '2'))).toBe('\u{1F600}');
    expect(val(`${F3}anyURI-substring`, v('anyURI', 'http://x'), v('integer', '0'), v('integer', '4'))).toBe('http');
    expect(indeterminate(`${F3}string-substring`, [v('string', 'abc'), v('integer', '2'), v('integer', '5')]).code).toBe(PROCESSING_ERROR);
    expect(indeterminate(`${F3}string-substring`, [v('string', 'abc'), v('integer', '-2'), v('integer', '2')]).code).toBe(PROCESSING_ERROR);
  });

  it('refuses literal substring positions that can never be valid', () => {
    const validate = def(`${F3}string-substring`).validateLiterals;
    expect(validate?.([v('string', 'This is the initial test string.'), v('integer', '-2'), v('integer', '8')])).toMatch(/negative/);
    expect(validate?.([undefined, v('integer', '3'), v('integer', '1')])).toMatch(/before begin/);
    expect(validate?.([v('string', 'abc'), v('integer', '0'), v('integer', '9')])).toMatch(/out of bounds/);
    expect(validate?.([undefined, v('integer', '0'), v('integer', '1')])).toBeUndefined();
    expect(def(`${F3}anyURI-substring`).validateLiterals?.([v('anyURI', 'http://this/is/the/initial/uri'), v('integer', '-2'), v('integer', '8')])).toMatch(/negative/);
  });

  it('normalize-space trims; normalize-to-lower-case lowers', () => {
    expect(val(`${F1}string-normalize-space`, v('string', ' \t a  b \n'))).toBe('a  b');
    expect(val(`${F1}string-normalize-to-lower-case`, v('string', 'AbC'))).toBe('abc');
  });

  it('converts from and to strings', () => {
    expect(val(`${F3}integer-from-string`, v('string', '+42'))).toBe(42n);
    expect(val(`${F3}boolean-from-string`, v('string', '1'))).toBe(true);
    expect(val(`${F3}string-from-double`, v('double', '27.50'))).toBe('27.5');
    expect(val(`${F3}string-from-boolean`, v('boolean', '0'))).toBe('false');
    expect(val(`${F3}string-from-dayTimeDuration`, v('dayTimeDuration', 'PT36H'))).toBe('P1DT12H');
    expect(val(`${F3}string-from-ipAddress`, v('urn:oasis:names:tc:xacml:2.0:data-type:ipAddress', '10.0.0.1/8'))).toBe('10.0.0.1/8');
    const e = indeterminate(`${F3}integer-from-string`, [v('string', '4x')]);
    expect(e.code).toBe(SYNTAX_ERROR);
    expect(e.message).toMatch(/invalid integer value "4x"/);
    expect(indeterminate(`${F3}dateTime-from-string`, [v('string', '2002-02-30T00:00:00')]).code).toBe(SYNTAX_ERROR);
  });

  it('string-from/to conversions round-trip every convertible type', () => {
    const samples: Record<string, string> = {
      boolean: 'true', integer: '-12', double: '1.5', time: '10:00:00Z', date: '2002-03-22', dateTime: '2002-03-22T10:00:00.25-05:00',
      anyURI: 'urn:x', dayTimeDuration: 'P1DT2H', yearMonthDuration: 'P1Y2M', x500Name: 'cn=A,o=B', rfc822Name: 'a@b.com',
      ipAddress: '10.0.0.1:80', dnsName: '*.example.com:443',
    };
    for (const [name, lexical] of Object.entries(samples)) {
      const parsed = call(`${F3}${name}-from-string`, [v('string', lexical)]);
      expect(val(`${F3}string-from-${name}`, parsed as AttributeValue)).toBe(lexical);
    }
    expect(members({ kind: 'bag', datatype: `${XS}string`, values: [] })).toEqual([]);
  });
});
