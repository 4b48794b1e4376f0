/**
 * The anonymisation functions on one field value as it travels in a DataRow (text or binary
 * format). Every function keeps the column's declared type, so clients decode the result as
 * they decoded the original; when a protection cannot be applied faithfully to a type or a
 * format, the value is suppressed (NULL) — never passed through. Total: no input throws.
 */
import { createHmac } from 'node:crypto';
import type { Protection } from './obligations';

export const TYPE = {
  bool: 16,
  bytea: 17,
  char: 18,
  name: 19,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  oid: 26,
  float4: 700,
  float8: 701,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
  uuid: 2950,
} as const;

/** First OID of user-defined types (citext, enums, ...): their text form is taken as a string. */
const FIRST_USER_OID = 16384;
const TEXT_TYPES = new Set<number>([TYPE.text, TYPE.varchar, TYPE.bpchar, TYPE.name, TYPE.char]);
const INT_TYPES = new Map<number, { bytes: number; max: bigint }>([
  [TYPE.int2, { bytes: 2, max: 32767n }],
  [TYPE.int4, { bytes: 4, max: 2147483647n }],
  [TYPE.int8, { bytes: 8, max: 9223372036854775807n }],
]);
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;

export interface FieldType {
  readonly typeOid: number;
  /** 0 text, 1 binary. */
  readonly format: number;
}

export interface TransformContext {
  /** The pseudonymisation key (never logged). */
  readonly key: Buffer;
}

/** Applies a protection; returns the new value, or null for NULL. */
export function protectValue(value: Buffer, type: FieldType, protection: Protection, ctx: TransformContext): Buffer | null {
  switch (protection.kind) {
    case 'suppress':
      return null;
    case 'mask':
      return mask(value, type, protection.keep);
    case 'pseudonymize':
      return pseudonymize(value, type, protection.context, ctx.key);
    case 'generalize':
      return generalize(value, type, protection.width, protection.unit);
  }
}

function isStringType(type: FieldType): boolean {
  return TEXT_TYPES.has(type.typeOid) || (type.typeOid >= FIRST_USER_OID && type.format === 0);
}

function mask(value: Buffer, type: FieldType, keep: number): Buffer | null {
  if (!isStringType(type)) return null;
  const chars = Array.from(value.toString('utf8'));
  // A value no longer than what would be kept is masked whole: keeping it would reveal it all.
  const kept = chars.length > keep ? chars.slice(chars.length - keep) : [];
  return Buffer.from('*'.repeat(chars.length - kept.length) + kept.join(''), 'utf8');
}

function digest(key: Buffer, context: string, canonical: string): Buffer {
  return createHmac('sha256', key).update(context, 'utf8').update('\u0000').update(canonical, 'utf8').digest();
}

function pseudonymize(value: Buffer, type: FieldType, context: string, key: Buffer): Buffer | null {
  if (isStringType(type)) return Buffer.from(digest(key, context, value.toString('utf8')).subarray(0, 12).toString('hex'), 'utf8');
  const int = INT_TYPES.get(type.typeOid);
  if (int !== undefined) {
    const n = readInt(value, type, int.bytes);
    if (n === undefined) return null;
    const h = digest(key, context, n.toString()).readBigUInt64BE(0);
    return writeInt((h % int.max) + 1n, type, int.bytes);
  }
  if (type.typeOid === TYPE.uuid) {
    const canonical = type.format === 1 ? (value.length === 16 ? formatUuid(value) : undefined) : value.toString('utf8').trim().toLowerCase();
    if (canonical === undefined || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(canonical)) return null;
    const b = Buffer.from(digest(key, context, canonical).subarray(0, 16));
    b[6] = ((b[6] as number) & 0x0f) | 0x80; // version 8 (custom), RFC 9562
    b[8] = ((b[8] as number) & 0x3f) | 0x80;
    return type.format === 1 ? b : Buffer.from(formatUuid(b), 'utf8');
  }
  return null;
}

function formatUuid(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function readInt(value: Buffer, type: FieldType, bytes: number): bigint | undefined {
  if (type.format === 1) {
    if (value.length !== bytes) return undefined;
    return bytes === 2 ? BigInt(value.readInt16BE(0)) : bytes === 4 ? BigInt(value.readInt32BE(0)) : value.readBigInt64BE(0);
  }
  const s = value.toString('utf8').trim();
  return /^-?\d{1,19}$/.test(s) ? BigInt(s) : undefined;
}

function writeInt(n: bigint, type: FieldType, bytes: number): Buffer {
  if (type.format === 0) return Buffer.from(n.toString(), 'utf8');
  const b = Buffer.alloc(bytes);
  if (bytes === 2) b.writeInt16BE(Number(n), 0);
  else if (bytes === 4) b.writeInt32BE(Number(n), 0);
  else b.writeBigInt64BE(n, 0);
  return b;
}

/** A decimal string as an integer mantissa and a scale (digits after the point). */
function decimal(s: string): { m: bigint; scale: number } | undefined {
  const t = s.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(t);
  if (match === null) return undefined;
  const frac = match[3] ?? '';
  return { m: BigInt(`${match[1]}${match[2]}${frac}`), scale: frac.length };
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** floor(value / width) * width in exact decimal arithmetic; undefined when not a plain decimal. */
function bucketDecimal(value: string, width: string): string | undefined {
  const v = decimal(value);
  const w = decimal(width);
  if (v === undefined || w === undefined || w.m <= 0n) return undefined;
  const scale = Math.max(v.scale, w.scale);
  const vm = v.m * 10n ** BigInt(scale - v.scale);
  const wm = w.m * 10n ** BigInt(scale - w.scale);
  const r = floorDiv(vm, wm) * wm;
  if (scale === 0) return r.toString();
  const neg = r < 0n;
  const digits = (neg ? -r : r).toString().padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function generalize(value: Buffer, type: FieldType, width: string, unit: 'month' | 'year'): Buffer | null {
  const int = INT_TYPES.get(type.typeOid);
  if (int !== undefined) {
    const n = readInt(value, type, int.bytes);
    const w = decimal(width);
    // An integer column generalises with an integer width; a fractional one would change its type.
    if (n === undefined || w === undefined || w.scale !== 0 || w.m <= 0n) return null;
    const r = floorDiv(n, w.m) * w.m;
    if (r < -int.max - 1n || r > int.max) return null;
    return writeInt(r, type, int.bytes);
  }
  if (type.typeOid === TYPE.numeric) {
    if (type.format !== 0) return null;
    const r = bucketDecimal(value.toString('utf8'), width);
    return r === undefined ? null : Buffer.from(r, 'utf8');
  }
  if (type.typeOid === TYPE.float4 || type.typeOid === TYPE.float8) {
    const w = Number(width);
    let v: number;
    if (type.format === 1) {
      if (value.length !== (type.typeOid === TYPE.float4 ? 4 : 8)) return null;
      v = type.typeOid === TYPE.float4 ? value.readFloatBE(0) : value.readDoubleBE(0);
    } else v = Number(value.toString('utf8'));
    if (!Number.isFinite(v)) return null;
    const r = Math.floor(v / w) * w;
    if (type.format === 0) return Buffer.from(String(r), 'utf8');
    const b = Buffer.alloc(type.typeOid === TYPE.float4 ? 4 : 8);
    if (type.typeOid === TYPE.float4) b.writeFloatBE(r, 0);
    else b.writeDoubleBE(r, 0);
    return b;
  }
  if (type.typeOid === TYPE.date) return generalizeDate(value, type, unit);
  if (type.typeOid === TYPE.timestamp || type.typeOid === TYPE.timestamptz) return generalizeTimestamp(value, type, unit);
  return null;
}

function truncateUtc(ms: number, unit: 'month' | 'year'): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), unit === 'year' ? 0 : d.getUTCMonth(), 1);
}

function generalizeDate(value: Buffer, type: FieldType, unit: 'month' | 'year'): Buffer | null {
  if (type.format === 1) {
    if (value.length !== 4) return null;
    const days = value.readInt32BE(0);
    if (days === 0x7fffffff || days === -0x80000000) return null; // ±infinity
    const out = Buffer.alloc(4);
    out.writeInt32BE(Math.round((truncateUtc(PG_EPOCH_MS + days * DAY_MS, unit) - PG_EPOCH_MS) / DAY_MS), 0);
    return out;
  }
  // ISO DateStyle only (YYYY-MM-DD): another style is not parsed, so the value is suppressed.
  const m = /^(\d{4,})-(\d{2})-(\d{2})$/.exec(value.toString('utf8').trim());
  if (m === null) return null;
  return Buffer.from(`${m[1]}-${unit === 'year' ? '01' : m[2]}-01`, 'utf8');
}

function generalizeTimestamp(value: Buffer, type: FieldType, unit: 'month' | 'year'): Buffer | null {
  if (type.format === 1) {
    if (value.length !== 8) return null;
    const us = value.readBigInt64BE(0);
    if (us === 9223372036854775807n || us === -9223372036854775808n) return null;
    const ms = PG_EPOCH_MS + Number(us / 1000n);
    const out = Buffer.alloc(8);
    out.writeBigInt64BE(BigInt(truncateUtc(ms, unit) - PG_EPOCH_MS) * 1000n, 0);
    return out;
  }
  // ISO: "YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM]]"; the zone (timestamptz) is kept.
  const m = /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?([+-]\d{2}(?::?\d{2}){0,2})?$/.exec(value.toString('utf8').trim());
  if (m === null) return null;
  return Buffer.from(`${m[1]}-${unit === 'year' ? '01' : m[2]}-01 00:00:00${m[7] ?? ''}`, 'utf8');
}
