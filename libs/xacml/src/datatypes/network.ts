/**
 * ipAddress and dnsName (XACML 3.0 A.2).
 *
 * ipAddress → `IpAddressValue`: `address [ "/" mask ] [ ":" portrange ]`. IPv4 addresses and
 * masks are dotted quads; IPv6 ones are bracketed (`[2001:db8::1]/[ffff:ffff::]:443`).
 * As an extension a mask may also be a prefix length (`10.0.0.0/8`, `[2001:db8::]/32`); it
 * is stored as the equivalent mask. Address and mask are byte arrays (4 or 16 bytes).
 * `format` returns the text as written (ipAddress-regexp-match and string-from-ipAddress
 * see what the policy or request wrote); equality and `key` use the canonical form.
 *
 * dnsName → `DnsNameValue`: `hostname [ ":" portrange ]`, where the first label may be `*`
 * (any sub-domain). Host names are compared case-insensitively (stored lower-cased in
 * `host`, the text as written in `text`).
 *
 * portrange → `PortRange { low?, high? }`: `n` (low = high = n), `-n` (up to n), `n-`
 * (from n), `n-m`; a missing bound is open.
 */
import { DT } from '../model/identifiers';
import type { Datatype } from './datatype';
import { bytesEqual } from './binary';
import { collapse, invalidValue } from './lexical';

export interface PortRange {
  readonly low: number | undefined;
  readonly high: number | undefined;
}

export interface IpAddressValue {
  /** The text as written (whitespace collapsed): what format() and regexp-match see. */
  readonly text: string;
  readonly version: 4 | 6;
  readonly address: Uint8Array;
  readonly mask: Uint8Array | undefined;
  readonly ports: PortRange | undefined;
}

export interface DnsNameValue {
  /** Lower-cased host name, possibly starting with `*.`. */
  readonly host: string;
  readonly text: string;
  readonly ports: PortRange | undefined;
}

const PORT_RE = /^(?:([0-9]{1,5})|-([0-9]{1,5})|([0-9]{1,5})-([0-9]{1,5})?)$/;

function parsePorts(id: string, lexical: string, text: string): PortRange {
  const m = PORT_RE.exec(text);
  if (!m) throw invalidValue(id, lexical, `bad port range "${text}"`);
  const num = (s: string | undefined): number | undefined => {
    if (s === undefined) return undefined;
    const p = Number(s);
    if (p > 65535) throw invalidValue(id, lexical, `port ${s} out of range`);
    return p;
  };
  if (m[1] !== undefined) {
    const p = num(m[1]);
    return { low: p, high: p };
  }
  if (m[2] !== undefined) return { low: undefined, high: num(m[2]) };
  const low = num(m[3]);
  const high = num(m[4]);
  if (low !== undefined && high !== undefined && low > high) throw invalidValue(id, lexical, 'port range low > high');
  return { low, high };
}

export function formatPorts(p: PortRange | undefined): string {
  if (p === undefined) return '';
  if (p.low !== undefined && p.low === p.high) return `:${p.low}`;
  return `:${p.low ?? ''}-${p.high ?? ''}`;
}

function parseIpv4(s: string): Uint8Array | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let k = 0; k < 4; k++) {
    const p = parts[k] as string;
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[k] = n;
  }
  return out;
}

function parseIpv6(s: string): Uint8Array | undefined {
  let text = s;
  let tail: Uint8Array | undefined;
  // An embedded IPv4 in the last 32 bits (::ffff:1.2.3.4).
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) >= 0) {
    tail = parseIpv4(text.slice(lastColon + 1));
    if (!tail) return undefined;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0] as string);
  const rest = halves.length === 2 ? groups(halves[1] as string) : [];
  if (!head || !rest) return undefined;
  const total = head.length + rest.length;
  if (halves.length === 2 ? total > 7 : total !== 8) return undefined;
  const all = [...head, ...new Array<number>(8 - total).fill(0), ...rest];
  const out = new Uint8Array(16);
  all.forEach((g, k) => {
    out[2 * k] = g >> 8;
    out[2 * k + 1] = g & 0xff;
  });
  if (tail) out.set(tail, 12);
  return out;
}

function prefixMask(bits: number, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let k = 0; k < bytes; k++) {
    const b = Math.max(0, Math.min(8, bits - 8 * k));
    out[k] = b === 0 ? 0 : (0xff << (8 - b)) & 0xff;
  }
  return out;
}

export function parseIpAddress(lexical: string): IpAddressValue {
  const id = DT.ipAddress;
  const v = collapse(lexical);
  const bad = (why: string): never => {
    throw invalidValue(id, lexical, why);
  };
  if (v.startsWith('[')) {
    const close = v.indexOf(']');
    if (close < 0) bad('missing ]');
    const address = parseIpv6(v.slice(1, close)) ?? bad('bad IPv6 address');
    let rest = v.slice(close + 1);
    let mask: Uint8Array | undefined;
    if (rest.startsWith('/')) {
      if (rest.startsWith('/[')) {
        const end = rest.indexOf(']');
        if (end < 0) bad('missing ] in mask');
        mask = parseIpv6(rest.slice(2, end)) ?? bad('bad IPv6 mask');
        rest = rest.slice(end + 1);
      } else {
        const m = /^\/([0-9]{1,3})/.exec(rest);
        if (!m || Number(m[1]) > 128) bad('bad IPv6 mask');
        mask = prefixMask(Number(m?.[1]), 16);
        rest = rest.slice((m?.[0] ?? '').length);
      }
    }
    let ports: PortRange | undefined;
    if (rest !== '') {
      if (!rest.startsWith(':')) bad(`unexpected "${rest}"`);
      ports = parsePorts(id, lexical, rest.slice(1));
    }
    return { text: v, version: 6, address, mask, ports };
  }
  const m = /^([0-9.]+)(?:\/([0-9.]+))?(?::(.*))?$/.exec(v);
  if (!m) return bad('expected a.b.c.d[/mask][:ports] or [ipv6][/mask][:ports]');
  const address = parseIpv4(m[1] as string) ?? bad('bad IPv4 address');
  let mask: Uint8Array | undefined;
  if (m[2] !== undefined) {
    if (m[2].includes('.')) mask = parseIpv4(m[2]) ?? bad('bad IPv4 mask');
    else if (/^[0-9]{1,2}$/.test(m[2]) && Number(m[2]) <= 32) mask = prefixMask(Number(m[2]), 4);
    else bad('bad IPv4 mask');
  }
  const ports = m[3] !== undefined ? parsePorts(id, lexical, m[3]) : undefined;
  return { text: v, version: 4, address, mask, ports };
}

function formatIpv6(b: Uint8Array): string {
  const groups: number[] = [];
  for (let k = 0; k < 8; k++) groups.push(((b[2 * k] as number) << 8) | (b[2 * k + 1] as number));
  // RFC 5952: compress the longest run (≥ 2) of zero groups, the first on a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let k = 0; k < 8; ) {
    if (groups[k] !== 0) {
      k++;
      continue;
    }
    let e = k;
    while (e < 8 && groups[e] === 0) e++;
    if (e - k > bestLen) {
      bestStart = k;
      bestLen = e - k;
    }
    k = e;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Canonical form: dotted IPv4, RFC 5952 IPv6, masks as addresses; used as the equality key. */
export function canonicalIpAddress(v: IpAddressValue): string {
  if (v.version === 4) {
    return `${v.address.join('.')}${v.mask ? `/${v.mask.join('.')}` : ''}${formatPorts(v.ports)}`;
  }
  return `[${formatIpv6(v.address)}]${v.mask ? `/[${formatIpv6(v.mask)}]` : ''}${formatPorts(v.ports)}`;
}

function portsEqual(a: PortRange | undefined, b: PortRange | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.low === b.low && a.high === b.high;
}

export const ipAddressDatatype: Datatype<IpAddressValue> = Object.freeze({
  id: DT.ipAddress,
  parse: parseIpAddress,
  format: (v: IpAddressValue): string => v.text,
  equal: (a: IpAddressValue, b: IpAddressValue): boolean =>
    a.version === b.version &&
    bytesEqual(a.address, b.address) &&
    (a.mask === undefined || b.mask === undefined ? a.mask === b.mask : bytesEqual(a.mask, b.mask)) &&
    portsEqual(a.ports, b.ports),
  key: canonicalIpAddress,
});

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
const HOST_RE = new RegExp(`^(?:\\*|${LABEL})(?:\\.${LABEL})*\\.?$`);

export function parseDnsName(lexical: string): DnsNameValue {
  const v = collapse(lexical);
  const colon = v.indexOf(':');
  const text = colon < 0 ? v : v.slice(0, colon);
  if (!HOST_RE.test(text) || text.length > 253) {
    throw invalidValue(DT.dnsName, lexical, 'expected a host name (first label may be *) with an optional :portrange');
  }
  const ports = colon < 0 ? undefined : parsePorts(DT.dnsName, lexical, v.slice(colon + 1));
  return { host: text.toLowerCase(), text, ports };
}

export const dnsNameDatatype: Datatype<DnsNameValue> = Object.freeze({
  id: DT.dnsName,
  parse: parseDnsName,
  format: (v: DnsNameValue): string => `${v.text}${formatPorts(v.ports)}`,
  equal: (a: DnsNameValue, b: DnsNameValue): boolean => a.host === b.host && portsEqual(a.ports, b.ports),
  key: (v: DnsNameValue): string => `${v.host}${formatPorts(v.ports)}`,
});
