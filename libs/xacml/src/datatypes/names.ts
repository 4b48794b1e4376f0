/**
 * x500Name and rfc822Name.
 *
 * x500Name → `X500NameValue`: the text as given (trimmed) and its RDNs in string order
 * (most specific first, as RFC 4514 writes them), each RDN a sorted list of normalised
 * attribute-value assertions. Parsing follows RFC 4514 (escapes `\,` `\+` `\"` `\\` `\<`
 * `\>` `\;` `\=` `\#` `\ ` and `\XX` hex pairs, `#hex` BER values) and accepts the RFC 1779
 * liberties still seen in policies: spaces around separators, `;` between RDNs, quoted values,
 * `OID.` prefixes. Equality (x500Name-equal, A.3.1) compares RDN by RDN, AVAs as unordered
 * sets; attribute types are compared case-insensitively with well-known OIDs mapped to their
 * short names, and values with the X.520 caseIgnoreMatch approximation LDAP uses: leading and
 * trailing spaces removed, inner runs of spaces folded to one, case folded.
 *
 * rfc822Name → `Rfc822NameValue`: `local` (case-sensitive) and `domain` (compared
 * case-insensitively, kept as written; `domainLower` precomputed for matching).
 */
import { DT } from '../model/identifiers';
import type { Datatype } from './datatype';
import { collapse, invalidValue } from './lexical';

export interface X500Ava {
  /** Normalised attribute type (lower-case short name or dotted OID). */
  readonly type: string;
  /** Normalised value used for comparison. */
  readonly value: string;
}

export interface X500NameValue {
  readonly text: string;
  /** RDNs in the order written (leaf first); AVAs of one RDN sorted. */
  readonly rdns: readonly (readonly X500Ava[])[];
  /** Comparison key of each RDN, same order as `rdns` (x500Name-match compares these). */
  readonly rdnKeys: readonly string[];
  /** Comparison key of the whole name; equal names have equal keys. */
  readonly normalized: string;
}

const OID_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'cn',
  '2.5.4.4': 'sn',
  '2.5.4.5': 'serialnumber',
  '2.5.4.6': 'c',
  '2.5.4.7': 'l',
  '2.5.4.8': 'st',
  '2.5.4.9': 'street',
  '2.5.4.10': 'o',
  '2.5.4.11': 'ou',
  '2.5.4.12': 'title',
  '2.5.4.42': 'givenname',
  '0.9.2342.19200300.100.1.1': 'uid',
  '0.9.2342.19200300.100.1.25': 'dc',
  '1.2.840.113549.1.9.1': 'emailaddress',
};

const TYPE_ALIASES: Readonly<Record<string, string>> = {
  s: 'st',
  e: 'emailaddress',
  email: 'emailaddress',
  userid: 'uid',
  commonname: 'cn',
  countryname: 'c',
  organizationname: 'o',
  organizationalunitname: 'ou',
  localityname: 'l',
  stateorprovincename: 'st',
  domaincomponent: 'dc',
  surname: 'sn',
};

const DESCR_RE = /^[A-Za-z][A-Za-z0-9-]*$/;
const OID_RE = /^(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))+$/;
const SPECIALS = '"+,;<>\\=# ';

function normalizeType(raw: string, lexical: string): string {
  let t = raw;
  if (/^oid\./i.test(t)) t = t.slice(4);
  if (OID_RE.test(t)) return OID_NAMES[t] ?? t;
  if (!DESCR_RE.test(t)) throw invalidValue(DT.x500Name, lexical, `bad attribute type "${raw}"`);
  const lower = t.toLowerCase();
  return TYPE_ALIASES[lower] ?? lower;
}

function normalizeValue(v: string): string {
  return v.replace(/\s+/g, ' ').trim().toLowerCase();
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9A-Fa-f]$/.test(c);
}

/** Parses a distinguished name; returns its RDNs, each a list of AVAs. */
function parseDn(text: string, lexical: string): X500Ava[][] {
  const rdns: X500Ava[][] = [];
  if (text === '') return rdns;
  const fail = (why: string): never => {
    throw invalidValue(DT.x500Name, lexical, why);
  };
  let i = 0;
  const n = text.length;
  const skipSpaces = (): void => {
    while (i < n && text[i] === ' ') i++;
  };
  let rdn: X500Ava[] = [];
  for (;;) {
    skipSpaces();
    const typeStart = i;
    while (i < n && text[i] !== '=' && text[i] !== ',' && text[i] !== '+' && text[i] !== ';') i++;
    if (i >= n || text[i] !== '=') fail('expected type=value');
    const type = normalizeType(text.slice(typeStart, i).trim(), lexical);
    i++; // '='
    skipSpaces();
    let value: string;
    if (text[i] === '#') {
      const start = ++i;
      while (i < n && isHex(text[i])) i++;
      const hex = text.slice(start, i);
      if (hex.length === 0 || hex.length % 2 !== 0) fail('bad #hex value');
      value = `#${hex.toLowerCase()}`;
      skipSpaces();
    } else if (text[i] === '"') {
      i++;
      let out = '';
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\') {
          i++;
          if (i >= n) fail('dangling escape');
        }
        out += text[i];
        i++;
      }
      if (i >= n) fail('unterminated quoted value');
      i++;
      skipSpaces();
      value = normalizeValue(out);
    } else {
      // Escaped bytes are collected as UTF-8 and decoded, so \C3\A9 yields 'é'.
      const bytes: number[] = [];
      const flushText = (s: string): void => {
        for (const b of Buffer.from(s, 'utf8')) bytes.push(b);
      };
      let lastNonSpace = 0;
      while (i < n && text[i] !== ',' && text[i] !== '+' && text[i] !== ';') {
        const c = text[i] as string;
        if (c === '\\') {
          const d = text[i + 1];
          if (isHex(d) && isHex(text[i + 2])) {
            bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
            i += 3;
          } else if (d !== undefined && SPECIALS.includes(d)) {
            flushText(d);
            i += 2;
          } else {
            fail('bad escape');
          }
          lastNonSpace = bytes.length;
        } else {
          if (c === '"' || c === '<' || c === '>') fail(`unescaped '${c}'`);
          flushText(c);
          i++;
          if (c !== ' ') lastNonSpace = bytes.length;
        }
      }
      // Unescaped trailing spaces are not part of the value.
      value = normalizeValue(Buffer.from(bytes.slice(0, lastNonSpace)).toString('utf8'));
    }
    rdn.push({ type, value });
    if (i >= n) break;
    const sep = text[i];
    i++;
    if (sep !== '+') {
      rdns.push(rdn);
      rdn = [];
    }
    if (i >= n) fail('trailing separator');
  }
  rdns.push(rdn);
  for (const r of rdns) r.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return rdns;
}

function escapeKey(s: string): string {
  return s.replace(/[\\,+=]/g, (c) => `\\${c}`);
}

export function rdnKey(rdn: readonly X500Ava[]): string {
  return rdn.map((a) => `${escapeKey(a.type)}=${escapeKey(a.value)}`).join('+');
}

export function parseX500Name(lexical: string): X500NameValue {
  const text = lexical.trim();
  const rdns = parseDn(text, lexical);
  const rdnKeys = rdns.map(rdnKey);
  return { text, rdns, rdnKeys, normalized: rdnKeys.join(',') };
}

export const x500NameDatatype: Datatype<X500NameValue> = Object.freeze({
  id: DT.x500Name,
  parse: parseX500Name,
  format: (v: X500NameValue): string => v.text,
  equal: (a: X500NameValue, b: X500NameValue): boolean => a.normalized === b.normalized,
  key: (v: X500NameValue): string => v.normalized,
});

export interface Rfc822NameValue {
  readonly local: string;
  readonly domain: string;
  readonly domainLower: string;
}

const LOCAL_RE = /^(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*|"(?:[^"\\\r\n]|\\.)*")$/;
const DOMAIN_RE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[^\][\\]*\])$/;

export function parseRfc822Name(lexical: string): Rfc822NameValue {
  const v = collapse(lexical);
  const at = v.lastIndexOf('@');
  if (at <= 0 || at === v.length - 1) throw invalidValue(DT.rfc822Name, lexical, 'expected local-part@domain');
  const local = v.slice(0, at);
  const domain = v.slice(at + 1);
  if (!LOCAL_RE.test(local)) throw invalidValue(DT.rfc822Name, lexical, 'bad local part');
  if (!DOMAIN_RE.test(domain)) throw invalidValue(DT.rfc822Name, lexical, 'bad domain');
  return { local, domain, domainLower: domain.toLowerCase() };
}

export const rfc822NameDatatype: Datatype<Rfc822NameValue> = Object.freeze({
  id: DT.rfc822Name,
  parse: parseRfc822Name,
  format: (v: Rfc822NameValue): string => `${v.local}@${v.domain}`,
  equal: (a: Rfc822NameValue, b: Rfc822NameValue): boolean => a.local === b.local && a.domainLower === b.domainLower,
  key: (v: Rfc822NameValue): string => `${v.local}@${v.domainLower}`,
});
