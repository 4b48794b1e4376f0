/**
 * The standard datatypes of XACML 3.0 (A.2), registered once, and the entry point to parse a
 * lexical value into an AttributeValue. Legacy 1.0/2.0 ids resolve to their 3.0 datatype.
 */
import { ValueSyntaxError } from '../model/errors';
import { LEGACY_DATATYPE_ALIASES } from '../model/identifiers';
import type { AttributeValue } from '../model/values';
import { anyURIDatatype } from './any-uri';
import { base64BinaryDatatype, hexBinaryDatatype } from './binary';
import { booleanDatatype } from './boolean';
import type { Datatype, DatatypeRegistry, ValueParseContext } from './datatype';
import type { DayTimeDurationValue, YearMonthDurationValue } from './duration';
import { dayTimeDurationDatatype, yearMonthDurationDatatype } from './duration';
import type { X500NameValue, Rfc822NameValue } from './names';
import { rfc822NameDatatype, x500NameDatatype } from './names';
import type { DnsNameValue, IpAddressValue } from './network';
import { dnsNameDatatype, ipAddressDatatype } from './network';
import { doubleDatatype, integerDatatype } from './numeric';
import { stringDatatype } from './string';
import type { DateTimeValue, DateValue, TimeValue } from './temporal';
import { dateDatatype, dateTimeDatatype, timeDatatype } from './temporal';
import type { XPathExpressionValue } from './xpath-expression';
import { xpathExpressionDatatype } from './xpath-expression';

export const StringType: Datatype<string> = stringDatatype;
export const BooleanType: Datatype<boolean> = booleanDatatype;
export const IntegerType: Datatype<bigint> = integerDatatype;
export const DoubleType: Datatype<number> = doubleDatatype;
export const TimeType: Datatype<TimeValue> = timeDatatype;
export const DateType: Datatype<DateValue> = dateDatatype;
export const DateTimeType: Datatype<DateTimeValue> = dateTimeDatatype;
export const AnyURIType: Datatype<string> = anyURIDatatype;
export const HexBinaryType: Datatype<Uint8Array> = hexBinaryDatatype;
export const Base64BinaryType: Datatype<Uint8Array> = base64BinaryDatatype;
export const DayTimeDurationType: Datatype<DayTimeDurationValue> = dayTimeDurationDatatype;
export const YearMonthDurationType: Datatype<YearMonthDurationValue> = yearMonthDurationDatatype;
export const X500NameType: Datatype<X500NameValue> = x500NameDatatype;
export const Rfc822NameType: Datatype<Rfc822NameValue> = rfc822NameDatatype;
export const IpAddressType: Datatype<IpAddressValue> = ipAddressDatatype;
export const DnsNameType: Datatype<DnsNameValue> = dnsNameDatatype;
export const XPathExpressionType: Datatype<XPathExpressionValue> = xpathExpressionDatatype;

/** Shared boolean values: functions return these instead of allocating. */
export const TRUE: AttributeValue<boolean> = Object.freeze({ datatype: BooleanType, value: true });
export const FALSE: AttributeValue<boolean> = Object.freeze({ datatype: BooleanType, value: false });

export function booleanValue(b: boolean): AttributeValue<boolean> {
  return b ? TRUE : FALSE;
}

const ALL: readonly Datatype[] = [
  StringType,
  BooleanType,
  IntegerType,
  DoubleType,
  TimeType,
  DateType,
  DateTimeType,
  AnyURIType,
  HexBinaryType,
  Base64BinaryType,
  DayTimeDurationType,
  YearMonthDurationType,
  X500NameType,
  Rfc822NameType,
  IpAddressType,
  DnsNameType,
  XPathExpressionType,
] as readonly Datatype[];

class StandardDatatypes implements DatatypeRegistry {
  private readonly byId: ReadonlyMap<string, Datatype>;
  private readonly idList: readonly string[];

  constructor(types: readonly Datatype[], aliases: Readonly<Record<string, string>>) {
    const map = new Map<string, Datatype>();
    for (const t of types) map.set(t.id, t);
    for (const [legacy, current] of Object.entries(aliases)) {
      const t = map.get(current);
      if (t) map.set(legacy, t);
    }
    this.byId = map;
    this.idList = Object.freeze(types.map((t) => t.id));
  }

  get(id: string): Datatype | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The 3.0 ids (aliases are accepted by get/has but not listed). */
  ids(): readonly string[] {
    return this.idList;
  }
}

export const STANDARD_DATATYPES: DatatypeRegistry = Object.freeze(new StandardDatatypes(ALL, LEGACY_DATATYPE_ALIASES));

/**
 * Parses `lexical` as a value of `datatypeId` (a 3.0 or legacy id). Throws ValueSyntaxError
 * naming the datatype and value when the form is invalid, or `unknown datatype <id>`.
 */
export function parseValue(datatypeId: string, lexical: string, ctx?: ValueParseContext): AttributeValue {
  const datatype = STANDARD_DATATYPES.get(datatypeId);
  if (datatype === undefined) throw new ValueSyntaxError(`unknown datatype ${datatypeId}`);
  if (datatype === BooleanType) return BooleanType.parse(lexical) ? TRUE : FALSE;
  return { datatype, value: datatype.parse(lexical, ctx) };
}
