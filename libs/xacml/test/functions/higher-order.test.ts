/** Higher-order functions: 3.0 and 1.0 forms, cross products, type checks of the passed function. */
import { F1, F3, XS, bagOf, call, check, fn, members, v, val } from './helpers';
import type { StaticType } from '../../src/functions/function-def';

const STR: StaticType = { kind: 'value', datatype: `${XS}string` };
const STR_BAG: StaticType = { kind: 'bag', datatype: `${XS}string` };
const INT_BAG: StaticType = { kind: 'bag', datatype: `${XS}integer` };
const fnType = (id: string): StaticType => ({ kind: 'function', fn: fn(id).fn });

describe('any-of / all-of', () => {
  it('apply a predicate between values and each bag element (spec examples)', () => {
    expect(val(`${F3}any-of`, fn(`${F1}string-equal`), v('string', 'Paul'), bagOf('string', 'John', 'Paul', 'George', 'Ringo'))).toBe(true);
    expect(val(`${F3}all-of`, fn(`${F1}integer-greater-than`), v('integer', '10'), bagOf('integer', '9', '3', '4', '2'))).toBe(true);
    expect(val(`${F3}all-of`, fn(`${F1}integer-greater-than`), v('integer', '10'), bagOf('integer', '9', '11'))).toBe(false);
    expect(val(`${F3}any-of`, fn(`${F1}string-equal`), v('string', 'x'), bagOf('string'))).toBe(false);
    expect(val(`${F3}all-of`, fn(`${F1}string-equal`), v('string', 'x'), bagOf('string'))).toBe(true);
  });

  it('3.0 forms accept the bag in any position and more than two arguments', () => {
    // integer-less-than(bag element, 5): is some element below 5?
    expect(val(`${F3}any-of`, fn(`${F1}integer-less-than`), bagOf('integer', '7', '4'), v('integer', '5'))).toBe(true);
    expect(val(`${F3}any-of`, fn(`${F2()}time-in-range`), v('time', '09:00:00'), bagOf('time', '10:00:00', '08:00:00'), v('time', '12:00:00'))).toBe(true);
  });

  it('1.0 forms keep their (fn, value, bag) shape', () => {
    expect(val(`${F1}any-of`, fn(`${F1}string-equal`), v('string', 'b'), bagOf('string', 'a', 'b'))).toBe(true);
    expect(check(`${F1}any-of`, fnType(`${F1}string-equal`), STR_BAG, STR)).toEqual({ ok: false, message: `the last argument of ${F1}any-of must be a bag` });
  });
});

function F2(): string {
  return 'urn:oasis:names:tc:xacml:2.0:function:';
}

describe('any-of-any and the nested quantifiers', () => {
  it('any-of-any over the cross product', () => {
    expect(val(`${F3}any-of-any`, fn(`${F1}string-equal`), bagOf('string', 'Ringo', 'Mary'), bagOf('string', 'John', 'Paul', 'George', 'Ringo'))).toBe(true);
    expect(val(`${F3}any-of-any`, fn(`${F1}string-equal`), bagOf('string', 'Mary'), bagOf('string', 'John'))).toBe(false);
    expect(val(`${F3}any-of-any`, fn(`${F1}string-equal`), v('string', 'a'), bagOf('string', 'b', 'a'))).toBe(true);
    expect(val(`${F3}any-of-any`, fn(`${F1}string-equal`), bagOf('string'), bagOf('string', 'a'))).toBe(false);
    expect(val(`${F1}any-of-any`, fn(`${F1}string-equal`), bagOf('string', 'a'), bagOf('string', 'a'))).toBe(true);
  });

  it('all-of-any, any-of-all, all-of-all (spec examples)', () => {
    const gt = fn(`${F1}integer-greater-than`);
    expect(val(`${F1}all-of-any`, gt, bagOf('integer', '10', '20'), bagOf('integer', '1', '3', '5', '19'))).toBe(true);
    expect(val(`${F1}all-of-any`, gt, bagOf('integer', '10', '2'), bagOf('integer', '3', '5'))).toBe(false);
    expect(val(`${F1}any-of-all`, gt, bagOf('integer', '3', '5'), bagOf('integer', '1', '2', '3', '4'))).toBe(true);
    expect(val(`${F1}any-of-all`, gt, bagOf('integer', '3', '4'), bagOf('integer', '1', '2', '3', '4'))).toBe(false);
    expect(val(`${F1}all-of-all`, gt, bagOf('integer', '6', '5'), bagOf('integer', '1', '2', '3', '4'))).toBe(true);
    expect(val(`${F1}all-of-all`, gt, bagOf('integer', '3', '5'), bagOf('integer', '1', '2', '3', '4'))).toBe(false);
  });
});

describe('map', () => {
  it('maps a bag, other arguments in any position', () => {
    expect(members(call(`${F3}map`, [fn(`${F1}string-normalize-to-lower-case`), bagOf('string', 'Hello', 'World!')]))).toEqual(['hello', 'world!']);
    expect(members(call(`${F3}map`, [fn(`${F3}string-substring`), bagOf('string', 'Hello', 'World'), v('integer', '0'), v('integer', '1')]))).toEqual(['H', 'W']);
    expect(call(`${F1}map`, [fn(`${F1}integer-to-double`), bagOf('integer')])).toEqual({ kind: 'bag', datatype: `${XS}double`, values: [] });
  });

  it('types the result as a bag of what the function returns', () => {
    expect(check(`${F3}map`, fnType(`${F1}integer-to-double`), INT_BAG)).toEqual({ ok: true, type: { kind: 'bag', datatype: `${XS}double` } });
  });
});

describe('checks', () => {
  it('refuse a function that does not accept the element types', () => {
    const r = check(`${F3}any-of`, fnType(`${F1}integer-equal`), STR, INT_BAG);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toBe(
      `${F3}any-of: the function ${F1}integer-equal does not accept the element types: argument 1 of ${F1}integer-equal must be ${XS}integer, got ${XS}string`,
    );
  });

  it('refuse a non-boolean predicate, a missing function, a wrong number of bags', () => {
    expect(check(`${F3}any-of`, fnType(`${F1}integer-add`), { kind: 'value', datatype: `${XS}integer` }, INT_BAG)).toEqual({
      ok: false,
      message: `${F3}any-of: the function ${F1}integer-add must return ${XS}boolean, it returns ${XS}integer`,
    });
    expect(check(`${F3}any-of`, STR, STR_BAG)).toEqual({ ok: false, message: `argument 1 of ${F3}any-of must be a function, got ${XS}string` });
    expect(check(`${F3}any-of`, fnType(`${F1}string-equal`), STR_BAG, STR_BAG)).toEqual({
      ok: false,
      message: `${F3}any-of needs exactly one bag argument after the function, got 2`,
    });
    expect(check(`${F1}all-of-all`, fnType(`${F1}string-equal`), STR, STR_BAG).ok).toBe(false);
    expect(check(`${F3}map`, fnType(`${F1}string-bag`), STR_BAG)).toEqual({
      ok: false,
      message: `${F3}map: the function ${F1}string-bag must return a single value, it returns a bag of ${XS}string`,
    });
  });

  it('accept a lazy function as the predicate', () => {
    expect(val(`${F3}any-of`, fn(`${F1}and`), v('boolean', 'true'), bagOf('boolean', 'false', 'true'))).toBe(true);
  });
});
