/** Bag and set functions: sizes, membership, duplicates, typed equality, large bags. */
import { F1, F2, F3, PROCESSING_ERROR, XS, bagOf, call, check, indeterminate, members, v, val } from './helpers';
import type { AttributeValue } from '../../src/model/values';

describe('bag functions', () => {
  it('one-and-only needs exactly one value', () => {
    expect((call(`${F1}string-one-and-only`, [bagOf('string', 'a')]) as AttributeValue).value).toBe('a');
    expect(indeterminate(`${F1}string-one-and-only`, [bagOf('string')]).code).toBe(PROCESSING_ERROR);
    expect(indeterminate(`${F1}integer-one-and-only`, [bagOf('integer', '1', '1')]).message).toMatch(/got 2/);
  });

  it('bag-size counts duplicates; is-in uses the type equality', () => {
    expect(val(`${F1}string-bag-size`, bagOf('string', 'a', 'a', 'b'))).toBe(3n);
    expect(val(`${F1}dateTime-is-in`, v('dateTime', '2002-03-22T10:00:00Z'), bagOf('dateTime', '2002-03-22T12:00:00+02:00'))).toBe(true);
    expect(val(`${F1}string-is-in`, v('string', 'A'), bagOf('string', 'a'))).toBe(false);
    expect(val(`${F2}ipAddress-bag-size`, bagOf('urn:oasis:names:tc:xacml:2.0:data-type:ipAddress', '10.0.0.1', '[::1]'))).toBe(2n);
  });

  it('type-bag builds a typed bag of any size, including empty', () => {
    expect(members(call(`${F1}integer-bag`, [v('integer', '1'), v('integer', '2')]))).toEqual(['1', '2']);
    const empty = call(`${F3}dayTimeDuration-bag`, []);
    expect(empty).toEqual({ kind: 'bag', datatype: `${XS}dayTimeDuration`, values: [] });
    expect(check(`${F1}integer-bag`, { kind: 'value', datatype: `${XS}string` }).ok).toBe(false);
  });
});

describe('set functions', () => {
  it('intersection and union drop duplicates', () => {
    expect(members(call(`${F1}string-intersection`, [bagOf('string', 'a', 'a', 'b', 'c'), bagOf('string', 'c', 'a', 'a')]))).toEqual(['a', 'c']);
    expect(members(call(`${F1}string-union`, [bagOf('string', 'a', 'a'), bagOf('string', 'b', 'a'), bagOf('string', 'c')]))).toEqual(['a', 'b', 'c']);
    expect(members(call(`${F1}integer-union`, [bagOf('integer'), bagOf('integer')]))).toEqual([]);
    expect(check(`${F1}string-union`, { kind: 'bag', datatype: `${XS}string` })).toEqual({
      ok: false,
      message: `${F1}string-union takes at least 2 arguments, got 1`,
    });
  });

  it('subset, set-equals and at-least-one-member-of ignore duplicates', () => {
    expect(val(`${F1}string-set-equals`, bagOf('string', 'a', 'a', 'b'), bagOf('string', 'b', 'a'))).toBe(true);
    expect(val(`${F1}string-set-equals`, bagOf('string', 'a'), bagOf('string', 'a', 'b'))).toBe(false);
    expect(val(`${F1}integer-subset`, bagOf('integer', '1', '1'), bagOf('integer', '1', '2'))).toBe(true);
    expect(val(`${F1}integer-subset`, bagOf('integer'), bagOf('integer'))).toBe(true);
    expect(val(`${F1}integer-subset`, bagOf('integer', '3'), bagOf('integer', '1', '2'))).toBe(false);
    expect(val(`${F1}string-at-least-one-member-of`, bagOf('string', 'x', 'b'), bagOf('string', 'a', 'b'))).toBe(true);
    expect(val(`${F1}string-at-least-one-member-of`, bagOf('string'), bagOf('string', 'a'))).toBe(false);
  });

  it('uses value equality, not lexical equality', () => {
    expect(val(`${F3}dayTimeDuration-set-equals`, bagOf('dayTimeDuration', 'P1D', 'PT1H'), bagOf('dayTimeDuration', 'PT60M', 'PT24H'))).toBe(true);
    expect(
      members(call(`${F1}x500Name-intersection`, [
        bagOf('urn:oasis:names:tc:xacml:1.0:data-type:x500Name', 'cn=A, o=B'),
        bagOf('urn:oasis:names:tc:xacml:1.0:data-type:x500Name', 'CN=a,O=b'),
      ])),
    ).toEqual(['cn=A, o=B']);
    expect(val(`${F1}double-set-equals`, bagOf('double', '1.0', '0'), bagOf('double', '-0', '1'))).toBe(true);
  });

  it('large bags give the same answers through the keyed path', () => {
    const big = Array.from({ length: 300 }, (_, i) => String(i % 150));
    const other = Array.from({ length: 150 }, (_, i) => String(149 - i));
    expect(val(`${F1}integer-set-equals`, bagOf('integer', ...big), bagOf('integer', ...other))).toBe(true);
    expect(members(call(`${F1}integer-union`, [bagOf('integer', ...big), bagOf('integer', '1000')]))).toHaveLength(151);
    expect(members(call(`${F1}integer-intersection`, [bagOf('integer', ...big), bagOf('integer', ...other.slice(0, 10))]))).toHaveLength(10);
  });
});
