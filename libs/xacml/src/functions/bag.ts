/**
 * Bag functions (A.3.10) and set functions (A.3.11) for every primitive type.
 * - `<t>-one-and-only` (size ≠ 1 → processing-error), `<t>-bag-size`, `<t>-is-in`, `<t>-bag`.
 * - `<t>-intersection`, `<t>-at-least-one-member-of`, `<t>-union` (two or more bags, as in
 *   3.0), `<t>-subset`, `<t>-set-equals`. Set results hold no duplicates; duplicates in the
 *   arguments do not matter (`{a,a} set-equals {a}`).
 * Membership uses the datatype's equality. Small bags are compared pairwise (no allocation);
 * large ones through the datatype's `key` in a Set.
 * ipAddress and dnsName have the bag functions (2.0 ids) but no set functions, as in the spec.
 */
import { DT } from '../model/identifiers';
import { chargeBag } from '../evaluate/limits';
import { processingError } from '../model/status';
import type { AttributeValue, Bag, ExprValue } from '../model/values';
import type { Datatype } from '../datatypes/datatype';
import {
  AnyURIType,
  Base64BinaryType,
  BooleanType,
  DateTimeType,
  DateType,
  DayTimeDurationType,
  DnsNameType,
  DoubleType,
  HexBinaryType,
  IntegerType,
  IpAddressType,
  Rfc822NameType,
  StringType,
  TimeType,
  X500NameType,
  YearMonthDurationType,
  booleanValue,
} from '../datatypes/registry';
import type { EagerFunctionDef } from './function-def';
import { F1, F2, F3 } from './ids';
import { bag, defineEager, value } from './signature';

/** Below this product of sizes, pairwise comparison beats building a key set. */
const PAIRWISE_LIMIT = 64;

type Eq = (a: unknown, b: unknown) => boolean;

function member(values: readonly AttributeValue[], v: unknown, equal: Eq): boolean {
  for (const x of values) if (equal(x.value, v)) return true;
  return false;
}

function keySet(values: readonly AttributeValue[], key: (v: unknown) => string): Set<string> {
  const s = new Set<string>();
  for (const x of values) s.add(key(x.value));
  return s;
}

/** Values of `values` without duplicates (first occurrence kept). */
function distinct(values: readonly AttributeValue[], type: Datatype): AttributeValue[] {
  const out: AttributeValue[] = [];
  const key = type.key as ((v: unknown) => string) | undefined;
  if (key && values.length * values.length > PAIRWISE_LIMIT) {
    const seen = new Set<string>();
    for (const x of values) {
      const k = key(x.value);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(x);
      }
    }
    return out;
  }
  const equal = type.equal as Eq;
  for (const x of values) if (!member(out, x.value, equal)) out.push(x);
  return out;
}

/** A membership test against `values`, pairwise or keyed depending on the sizes at hand. */
function membership(values: readonly AttributeValue[], probes: number, type: Datatype): (v: unknown) => boolean {
  const key = type.key as ((v: unknown) => string) | undefined;
  if (key && values.length * probes > PAIRWISE_LIMIT) {
    const keys = keySet(values, key);
    return (v) => keys.has(key(v));
  }
  const equal = type.equal as Eq;
  return (v) => member(values, v, equal);
}

function subset(a: Bag, b: Bag, type: Datatype): boolean {
  const inB = membership(b.values, a.values.length, type);
  for (const x of a.values) if (!inB(x.value)) return false;
  return true;
}

function bagFunctions(ns: string, name: string, type: Datatype): EagerFunctionDef[] {
  const id = type.id;
  const equal = type.equal as Eq;
  const oneId = `${ns}${name}-one-and-only`;
  return [
    defineEager(oneId, { params: [bag(id)], returns: value(id) }, (args) => {
      const b = args[0] as Bag;
      if (b.values.length !== 1) throw processingError(`${oneId}: expected a bag of one value, got ${b.values.length}`);
      return b.values[0] as AttributeValue;
    }),
    defineEager(`${ns}${name}-bag-size`, { params: [bag(id)], returns: value(DT.integer) }, (args) => ({
      datatype: IntegerType,
      value: BigInt((args[0] as Bag).values.length),
    })),
    defineEager(`${ns}${name}-is-in`, { params: [value(id), bag(id)], returns: value(DT.boolean) }, (args) =>
      booleanValue(member((args[1] as Bag).values, (args[0] as AttributeValue).value, equal)),
    ),
    defineEager(`${ns}${name}-bag`, { params: [], variadic: { type: value(id), min: 0 }, returns: bag(id) }, (args) => ({
      kind: 'bag',
      datatype: id,
      // A copy: the caller may reuse its argument array.
      values: (args as readonly ExprValue[] as readonly AttributeValue[]).slice(),
    })),
  ];
}

function setFunctions(ns: string, name: string, type: Datatype): EagerFunctionDef[] {
  const id = type.id;
  const B = bag(id);
  const BOOL = value(DT.boolean);
  return [
    defineEager(`${ns}${name}-intersection`, { params: [B, B], returns: B }, (args) => {
      const a = args[0] as Bag;
      const b = args[1] as Bag;
      const inB = membership(b.values, a.values.length, type);
      const common = a.values.filter((x) => inB(x.value));
      return { kind: 'bag', datatype: id, values: distinct(common, type) };
    }),
    defineEager(`${ns}${name}-at-least-one-member-of`, { params: [B, B], returns: BOOL }, (args) => {
      const a = args[0] as Bag;
      const b = args[1] as Bag;
      const inB = membership(b.values, a.values.length, type);
      for (const x of a.values) if (inB(x.value)) return booleanValue(true);
      return booleanValue(false);
    }),
    defineEager(`${ns}${name}-union`, { params: [B], variadic: { type: B, min: 1 }, returns: B }, (args, ctx) => {
      const all: AttributeValue[] = [];
      for (const b of args) for (const v of (b as Bag).values) all.push(v);
      const values = distinct(all, type);
      chargeBag(ctx, `${name}-union`, values.length);
      return { kind: 'bag', datatype: id, values };
    }),
    defineEager(`${ns}${name}-subset`, { params: [B, B], returns: BOOL }, (args) =>
      booleanValue(subset(args[0] as Bag, args[1] as Bag, type)),
    ),
    defineEager(`${ns}${name}-set-equals`, { params: [B, B], returns: BOOL }, (args) => {
      const a = args[0] as Bag;
      const b = args[1] as Bag;
      return booleanValue(subset(a, b, type) && subset(b, a, type));
    }),
  ];
}

const WITH_SETS: ReadonlyArray<readonly [string, string, Datatype]> = [
  [F1, 'string', StringType],
  [F1, 'boolean', BooleanType],
  [F1, 'integer', IntegerType],
  [F1, 'double', DoubleType],
  [F1, 'time', TimeType],
  [F1, 'date', DateType],
  [F1, 'dateTime', DateTimeType],
  [F1, 'anyURI', AnyURIType],
  [F1, 'hexBinary', HexBinaryType],
  [F1, 'base64Binary', Base64BinaryType],
  [F3, 'dayTimeDuration', DayTimeDurationType],
  [F3, 'yearMonthDuration', YearMonthDurationType],
  [F1, 'x500Name', X500NameType],
  [F1, 'rfc822Name', Rfc822NameType],
] as ReadonlyArray<readonly [string, string, Datatype]>;

const BAG_ONLY: ReadonlyArray<readonly [string, string, Datatype]> = [
  [F2, 'ipAddress', IpAddressType],
  [F2, 'dnsName', DnsNameType],
] as ReadonlyArray<readonly [string, string, Datatype]>;

export const BAG_FUNCTIONS: readonly EagerFunctionDef[] = [
  ...WITH_SETS.flatMap(([ns, name, type]) => bagFunctions(ns, name, type)),
  ...BAG_ONLY.flatMap(([ns, name, type]) => bagFunctions(ns, name, type)),
];

export const SET_FUNCTIONS: readonly EagerFunctionDef[] = WITH_SETS.flatMap(([ns, name, type]) => setFunctions(ns, name, type));
