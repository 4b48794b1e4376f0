/** and / or / n-of are lazy and short-circuit in order; not. */
import { IndeterminateError, processingError } from '../../src/model/status';
import type { AttributeValue, ExprValue } from '../../src/model/values';
import type { LazyArg } from '../../src/functions/function-def';
import { FALSE, TRUE } from '../../src/datatypes/registry';
import { F1, PROCESSING_ERROR, XS, check, contextWith, def, v, val } from './helpers';

/** Lazy args that record which ones were evaluated. */
function tracked(values: readonly (boolean | 'error' | ExprValue)[]): { args: LazyArg[]; seen: number[] } {
  const seen: number[] = [];
  const args = values.map((x, i) => () => {
    seen.push(i);
    if (x === 'error') throw processingError(`arg ${i} failed`);
    if (typeof x === 'boolean') return x ? TRUE : FALSE;
    return x;
  });
  return { args, seen };
}

function lazyCall(id: string, values: readonly (boolean | 'error' | ExprValue)[]): { result: boolean | string; seen: number[] } {
  const d = def(id);
  if (!d.lazy) throw new Error('expected a lazy function');
  const { args, seen } = tracked(values);
  try {
    return { result: (d.invoke(args, contextWith()) as AttributeValue<boolean>).value, seen };
  } catch (e) {
    if (e instanceof IndeterminateError) return { result: e.status.code, seen };
    throw e;
  }
}

describe('or', () => {
  it('is false without arguments and stops at the first true', () => {
    expect(lazyCall(`${F1}or`, [])).toEqual({ result: false, seen: [] });
    expect(lazyCall(`${F1}or`, [false, true, 'error'])).toEqual({ result: true, seen: [0, 1] });
    expect(lazyCall(`${F1}or`, [false, false])).toEqual({ result: false, seen: [0, 1] });
  });

  it('an Indeterminate argument decides only when nothing true follows', () => {
    expect(lazyCall(`${F1}or`, ['error', true])).toEqual({ result: true, seen: [0, 1] });
    expect(lazyCall(`${F1}or`, ['error', false]).result).toBe(PROCESSING_ERROR);
  });
});

describe('and', () => {
  it('is true without arguments and stops at the first false', () => {
    expect(lazyCall(`${F1}and`, [])).toEqual({ result: true, seen: [] });
    expect(lazyCall(`${F1}and`, [true, false, 'error'])).toEqual({ result: false, seen: [0, 1] });
    expect(lazyCall(`${F1}and`, ['error', false])).toEqual({ result: false, seen: [0, 1] });
    expect(lazyCall(`${F1}and`, [true, 'error']).result).toBe(PROCESSING_ERROR);
  });

  it('checks that every argument is boolean', () => {
    expect(check(`${F1}and`, { kind: 'value', datatype: `${XS}boolean` }, { kind: 'value', datatype: `${XS}string` })).toEqual({
      ok: false,
      message: `argument 2 of ${F1}and must be ${XS}boolean, got ${XS}string`,
    });
  });
});

describe('n-of', () => {
  it('stops once n arguments are true', () => {
    expect(lazyCall(`${F1}n-of`, [v('integer', '2'), true, false, true, 'error'])).toEqual({ result: true, seen: [0, 1, 2, 3] });
  });

  it('stops once n can no longer be reached', () => {
    expect(lazyCall(`${F1}n-of`, [v('integer', '2'), false, false, true])).toEqual({ result: false, seen: [0, 1, 2] });
  });

  it('n ≤ 0 is true; fewer arguments than n is Indeterminate', () => {
    expect(lazyCall(`${F1}n-of`, [v('integer', '0')])).toEqual({ result: true, seen: [0] });
    expect(lazyCall(`${F1}n-of`, [v('integer', '3'), true, true]).result).toBe(PROCESSING_ERROR);
  });

  it('an Indeterminate counts against n only when it matters', () => {
    expect(lazyCall(`${F1}n-of`, [v('integer', '1'), 'error', true]).result).toBe(true);
    expect(lazyCall(`${F1}n-of`, [v('integer', '2'), 'error', true]).result).toBe(PROCESSING_ERROR);
  });
});

describe('not', () => {
  it('negates', () => {
    expect(val(`${F1}not`, v('boolean', 'true'))).toBe(false);
    expect(def(`${F1}not`).lazy).toBeFalsy();
  });
});
