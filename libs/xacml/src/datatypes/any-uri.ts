/**
 * xs:anyURI. JS representation: the string after whitespace collapsing. XML Schema accepts
 * almost any character sequence (an IRI reference, possibly relative), so only characters that
 * can never appear in one, even escaped in spirit (controls), are refused. Equality is code
 * point equality, as XACML's anyURI-equal defines it.
 */
import { DT } from '../model/identifiers';
import type { Datatype } from './datatype';
import { collapse, invalidValue } from './lexical';

export const anyURIDatatype: Datatype<string> = Object.freeze({
  id: DT.anyURI,
  parse(lexical: string): string {
    const v = collapse(lexical);
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    if (/[\u0000-\u001f\u007f]/.test(v)) throw invalidValue(DT.anyURI, lexical, 'control character');
    return v;
  },
  format: (value: string): string => value,
  equal: (a: string, b: string): boolean => a === b,
  key: (value: string): string => value,
});
