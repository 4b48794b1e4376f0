/**
 * xs:string. JS representation: the string itself, unchanged (no whitespace processing).
 * Order is by Unicode code point, as fn:compare with the codepoint collation.
 */
import { DT } from '../model/identifiers';
import type { Datatype } from './datatype';

/** Code point order; differs from UTF-16 unit order only when surrogates meet U+E000..U+FFFF. */
export function compareCodepoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // A surrogate (D800-DFFF) encodes a code point above every BMP character.
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1;
      return x < y ? -1 : 1;
    }
  }
  return a.length - b.length < 0 ? -1 : a.length === b.length ? 0 : 1;
}

export const stringDatatype: Datatype<string> = Object.freeze({
  id: DT.string,
  parse: (lexical: string): string => lexical,
  format: (value: string): string => value,
  equal: (a: string, b: string): boolean => a === b,
  key: (value: string): string => value,
  compare: compareCodepoints,
});
