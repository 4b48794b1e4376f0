/**
 * xs:hexBinary and xs:base64Binary. JS representation: Uint8Array, equal when the bytes are.
 * Canonical forms: upper-case hex; base64 with padding and no whitespace. The base64 parser
 * follows XML Schema strictly (whitespace allowed and ignored, padding required, unused bits
 * of the last group zero) so that one value has one set of lexical forms.
 */
import { DT } from '../model/identifiers';
import type { Datatype } from './datatype';
import { collapse, invalidValue } from './lexical';

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;
const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)?$/;

const HEX_DIGITS = '0123456789ABCDEF';

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += (HEX_DIGITS[b >> 4] as string) + (HEX_DIGITS[b & 15] as string);
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const hexBinaryDatatype: Datatype<Uint8Array> = Object.freeze({
  id: DT.hexBinary,
  parse(lexical: string): Uint8Array {
    const v = collapse(lexical);
    if (!HEX_RE.test(v)) throw invalidValue(DT.hexBinary, lexical, 'expected an even number of hexadecimal digits');
    return new Uint8Array(Buffer.from(v, 'hex'));
  },
  format: bytesToHex,
  equal: bytesEqual,
  key: bytesToHex,
});

export const base64BinaryDatatype: Datatype<Uint8Array> = Object.freeze({
  id: DT.base64Binary,
  parse(lexical: string): Uint8Array {
    const v = lexical.replace(/[\t\n\r ]+/g, '');
    if (!B64_RE.test(v)) throw invalidValue(DT.base64Binary, collapse(lexical), 'not valid base64 (alphabet, padding or trailing bits)');
    return new Uint8Array(Buffer.from(v, 'base64'));
  },
  format: (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
  equal: bytesEqual,
  key: bytesToHex,
});
