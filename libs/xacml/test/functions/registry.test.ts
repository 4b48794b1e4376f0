/** The function registry: completeness against the spec lists and the conformance suite, immutability, clashes. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuplicateFunctionError, STANDARD_FUNCTIONS, createFunctionRegistry } from '../../src/functions/registry';
import type { EagerFunctionDef } from '../../src/functions/function-def';
import { FALSE } from '../../src/datatypes/registry';
import { F1, F2, F3 } from './helpers';

const CONFORMANCE = resolve(__dirname, '../../../../../shared/conformance');

function xmlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...xmlFiles(p));
    else if (name.endsWith('.xml')) out.push(p);
  }
  return out;
}

describe('STANDARD_FUNCTIONS', () => {
  it('knows every function id the conformance suite uses', () => {
    const ids = new Set<string>();
    for (const f of xmlFiles(CONFORMANCE)) {
      for (const m of readFileSync(f, 'utf8').matchAll(/(?:FunctionId|MatchId)="([^"]+)"/g)) ids.add(m[1] as string);
    }
    expect(ids.size).toBeGreaterThan(150);
    expect([...ids].filter((id) => !STANDARD_FUNCTIONS.has(id))).toEqual([]);
  });

  it('has the bag and set families for every primitive type and the deprecated ids', () => {
    const types = ['string', 'boolean', 'integer', 'double', 'time', 'date', 'dateTime', 'anyURI', 'hexBinary', 'base64Binary', 'x500Name', 'rfc822Name'];
    for (const t of types) {
      for (const f of ['one-and-only', 'bag-size', 'is-in', 'bag', 'intersection', 'at-least-one-member-of', 'union', 'subset', 'set-equals']) {
        expect(STANDARD_FUNCTIONS.has(`${F1}${t}-${f}`)).toBe(true);
      }
    }
    for (const t of ['dayTimeDuration', 'yearMonthDuration']) expect(STANDARD_FUNCTIONS.has(`${F3}${t}-set-equals`)).toBe(true);
    for (const t of ['ipAddress', 'dnsName']) {
      expect(STANDARD_FUNCTIONS.has(`${F2}${t}-one-and-only`)).toBe(true);
      expect(STANDARD_FUNCTIONS.has(`${F2}${t}-union`)).toBe(false);
    }
    for (const id of [
      `${F1}dateTime-add-dayTimeDuration`, `${F1}date-subtract-yearMonthDuration`, `${F1}dayTimeDuration-equal`,
      `${F1}xpath-node-count`, `${F2}uri-string-concatenate`, `${F1}any-of`, `${F1}map`, `${F2}time-in-range`,
      `${F3}string-from-dnsName`, `${F3}ipAddress-from-string`, `${F3}string-equal-ignore-case`,
    ]) expect(STANDARD_FUNCTIONS.has(id)).toBe(true);
    expect(STANDARD_FUNCTIONS.ids().length).toBeGreaterThan(250);
    expect(new Set(STANDARD_FUNCTIONS.ids()).size).toBe(STANDARD_FUNCTIONS.ids().length);
  });

  it('is immutable and refuses clashing extras', () => {
    expect(Object.isFrozen(STANDARD_FUNCTIONS)).toBe(true);
    const udf: EagerFunctionDef = { id: 'urn:example:udf', check: () => ({ ok: true, type: { kind: 'value', datatype: 'x' } }), invoke: () => FALSE };
    const reg = createFunctionRegistry([udf]);
    expect(reg.get('urn:example:udf')).toBe(udf);
    expect(reg.has(`${F1}and`)).toBe(true);
    expect(STANDARD_FUNCTIONS.has('urn:example:udf')).toBe(false);
    expect(() => createFunctionRegistry([{ ...udf, id: `${F1}string-equal` }])).toThrow(DuplicateFunctionError);
    expect(() => createFunctionRegistry([udf, udf])).toThrow(/urn:example:udf is defined twice/);
  });
});
