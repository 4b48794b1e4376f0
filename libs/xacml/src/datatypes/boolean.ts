/** xs:boolean. JS representation: boolean. Lexical forms true/false/1/0; canonical true/false. */
import { DT } from '../model/identifiers';
import type { Datatype } from './datatype';
import { collapse, invalidValue } from './lexical';

export const booleanDatatype: Datatype<boolean> = Object.freeze({
  id: DT.boolean,
  parse(lexical: string): boolean {
    switch (collapse(lexical)) {
      case 'true':
      case '1':
        return true;
      case 'false':
      case '0':
        return false;
      default:
        throw invalidValue(DT.boolean, lexical, 'expected true, false, 1 or 0');
    }
  },
  format: (value: boolean): string => (value ? 'true' : 'false'),
  equal: (a: boolean, b: boolean): boolean => a === b,
  key: (value: boolean): string => (value ? 'true' : 'false'),
});
