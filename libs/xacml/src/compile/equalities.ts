/**
 * The standard equality functions seen as key spaces: for each, the datatype it compares and
 * a key such that the function says "equal" exactly when the keys are the same string. The
 * target index buckets literals by these keys; compiled matches use `equal` directly instead
 * of a generic function call.
 */
import type { Datatype } from '../datatypes/datatype';
import { STANDARD_DATATYPES } from '../datatypes/registry';
import type { FunctionDef } from '../functions/function-def';
import { F1, F3 } from '../functions/ids';
import { STANDARD_FUNCTIONS } from '../functions/registry';
import { DT } from '../model/identifiers';

export interface KeySpace {
  /** Distinguishes spaces over one datatype (string-equal vs string-equal-ignore-case). */
  readonly name: string;
  readonly datatype: string;
  /** equal(a, b) ⇔ keyOf(a) === keyOf(b). */
  keyOf(value: unknown): string;
  equal(a: unknown, b: unknown): boolean;
}

const TYPED: readonly (readonly [string, string])[] = [
  [`${F1}string-equal`, DT.string],
  [`${F1}boolean-equal`, DT.boolean],
  [`${F1}integer-equal`, DT.integer],
  [`${F1}double-equal`, DT.double],
  [`${F1}date-equal`, DT.date],
  [`${F1}time-equal`, DT.time],
  [`${F1}dateTime-equal`, DT.dateTime],
  [`${F3}dayTimeDuration-equal`, DT.dayTimeDuration],
  [`${F1}dayTimeDuration-equal`, DT.dayTimeDuration],
  [`${F3}yearMonthDuration-equal`, DT.yearMonthDuration],
  [`${F1}yearMonthDuration-equal`, DT.yearMonthDuration],
  [`${F1}anyURI-equal`, DT.anyURI],
  [`${F1}x500Name-equal`, DT.x500Name],
  [`${F1}rfc822Name-equal`, DT.rfc822Name],
  [`${F1}hexBinary-equal`, DT.hexBinary],
  [`${F1}base64Binary-equal`, DT.base64Binary],
];

/** By function definition: a provider's function under a standard id is not one of these. */
const BY_FUNCTION: ReadonlyMap<FunctionDef, KeySpace> = (() => {
  const m = new Map<FunctionDef, KeySpace>();
  const spaces = new Map<string, KeySpace>();
  for (const [id, datatype] of TYPED) {
    const fn = STANDARD_FUNCTIONS.get(id);
    const dt = STANDARD_DATATYPES.get(datatype) as Datatype | undefined;
    const key = dt?.key;
    if (!fn || !dt || !key) continue;
    // The equality functions compare with the datatype's `equal`, whose `key` is exact by contract.
    let space = spaces.get(datatype);
    if (!space) {
      space = { name: datatype, datatype, keyOf: (v) => key.call(dt, v), equal: (a, b) => dt.equal(a, b) };
      spaces.set(datatype, space);
    }
    m.set(fn, space);
  }
  const ci = STANDARD_FUNCTIONS.get(`${F3}string-equal-ignore-case`);
  if (ci) {
    // The engine's definition: equal ⇔ equal after toLowerCase.
    m.set(ci, {
      name: `${DT.string} ignore-case`,
      datatype: DT.string,
      keyOf: (v) => (v as string).toLowerCase(),
      equal: (a, b) => a === b || (a as string).toLowerCase() === (b as string).toLowerCase(),
    });
  }
  return m;
})();

export function keySpaceOf(fn: FunctionDef): KeySpace | undefined {
  return BY_FUNCTION.get(fn);
}

/** The key space of a standard equality function by id (tests, diagnostics). */
export function equalityKeySpace(functionId: string): KeySpace | undefined {
  const fn = STANDARD_FUNCTIONS.get(functionId);
  return fn ? BY_FUNCTION.get(fn) : undefined;
}
