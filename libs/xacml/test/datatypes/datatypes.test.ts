/** Lexical forms, canonical output, equality and order of every standard datatype. */
import { ValueSyntaxError } from '../../src/model/errors';
import { DT, LEGACY_DATATYPE_ALIASES } from '../../src/model/identifiers';
import {
  AnyURIType,
  Base64BinaryType,
  BooleanType,
  DateTimeType,
  DateType,
  DayTimeDurationType,
  DnsNameType,
  DoubleType,
  FALSE,
  HexBinaryType,
  IntegerType,
  IpAddressType,
  Rfc822NameType,
  STANDARD_DATATYPES,
  StringType,
  TRUE,
  TimeType,
  X500NameType,
  XPathExpressionType,
  YearMonthDurationType,
  booleanValue,
  parseValue,
} from '../../src/datatypes/registry';
import type { Datatype } from '../../src/datatypes/datatype';

function roundTrip<T>(t: Datatype<T>, lexical: string): string {
  return t.format(t.parse(lexical));
}

function eq<T>(t: Datatype<T>, a: string, b: string): boolean {
  const x = t.parse(a);
  const y = t.parse(b);
  const result = t.equal(x, y);
  if (t.key) expect(t.key(x) === t.key(y)).toBe(result);
  return result;
}

function cmp<T>(t: Datatype<T>, a: string, b: string): number | undefined {
  const c = t.compare?.(t.parse(a), t.parse(b));
  return c === undefined ? undefined : Math.sign(c);
}

describe('registry', () => {
  it('knows every 3.0 datatype and the legacy aliases', () => {
    for (const id of Object.values(DT)) expect(STANDARD_DATATYPES.get(id)?.id).toBe(id);
    expect(STANDARD_DATATYPES.ids()).toHaveLength(Object.values(DT).length);
    for (const [legacy, current] of Object.entries(LEGACY_DATATYPE_ALIASES)) {
      expect(STANDARD_DATATYPES.has(legacy)).toBe(true);
      expect(STANDARD_DATATYPES.get(legacy)).toBe(STANDARD_DATATYPES.get(current));
    }
    expect(STANDARD_DATATYPES.get('urn:x:nope')).toBeUndefined();
  });

  it('parseValue returns shared booleans and typed values', () => {
    expect(parseValue(DT.boolean, 'true')).toBe(TRUE);
    expect(parseValue(DT.boolean, '0')).toBe(FALSE);
    expect(booleanValue(true)).toBe(TRUE);
    const v = parseValue(DT.integer, '42');
    expect(v.datatype).toBe(IntegerType);
    expect(v.value).toBe(42n);
    const d = parseValue('http://www.w3.org/TR/2002/WD-xquery-operators-20020816#dayTimeDuration', 'P1D');
    expect(d.datatype).toBe(DayTimeDurationType);
  });

  it('rejects unknown datatypes and bad values with ValueSyntaxError naming both', () => {
    expect(() => parseValue('urn:x:nope', 'a')).toThrow(new ValueSyntaxError('unknown datatype urn:x:nope'));
    expect(() => parseValue(DT.integer, '12a')).toThrow(ValueSyntaxError);
    expect(() => parseValue(DT.integer, '12a')).toThrow(/invalid integer value "12a"/);
  });
});

describe('string, boolean, anyURI', () => {
  it('keeps strings verbatim and orders by code point', () => {
    expect(StringType.parse('  a b ')).toBe('  a b ');
    expect(cmp(StringType, 'a', 'b')).toBe(-1);
    expect(cmp(StringType, 'B', 'a')).toBe(-1);
    // U+1F600 (surrogates) is above U+FFFD in code point order, below it in UTF-16 units.
    expect(cmp(StringType, '\u{1F600}', '\uFFFD')).toBe(1);
  });

  it('parses booleans', () => {
    expect(BooleanType.parse(' true ')).toBe(true);
    expect(BooleanType.parse('1')).toBe(true);
    expect(BooleanType.format(false)).toBe('false');
    expect(() => BooleanType.parse('TRUE')).toThrow(/invalid boolean value "TRUE"/);
    expect(() => BooleanType.parse('yes')).toThrow(ValueSyntaxError);
  });

  it('collapses anyURI whitespace and compares exactly', () => {
    expect(AnyURIType.parse(' http://a/b ')).toBe('http://a/b');
    expect(eq(AnyURIType, 'http://A/b', 'http://a/b')).toBe(false);
    expect(() => AnyURIType.parse('http://a/\u0001')).toThrow(/anyURI/);
  });
});

describe('integer and double', () => {
  it('parses arbitrary-precision integers', () => {
    expect(IntegerType.parse('+0012')).toBe(12n);
    expect(IntegerType.parse('-123456789012345678901234567890')).toBe(-123456789012345678901234567890n);
    expect(IntegerType.format(-5n)).toBe('-5');
    for (const bad of ['', '1.0', '1e3', '+', ' 1 2', '0x10']) expect(() => IntegerType.parse(bad)).toThrow(ValueSyntaxError);
    expect(cmp(IntegerType, '10', '9')).toBe(1);
  });

  it('parses doubles with special values and prints canonical forms', () => {
    expect(roundTrip(DoubleType, '27.50')).toBe('27.5');
    expect(roundTrip(DoubleType, '1e3')).toBe('1000');
    expect(roundTrip(DoubleType, '-INF')).toBe('-INF');
    expect(roundTrip(DoubleType, 'INF')).toBe('INF');
    expect(roundTrip(DoubleType, 'NaN')).toBe('NaN');
    expect(roundTrip(DoubleType, '1E21')).toBe('1.0E21');
    expect(roundTrip(DoubleType, '1.5e-7')).toBe('1.5E-7');
    expect(DoubleType.parse('.5')).toBe(0.5);
    expect(DoubleType.parse('5.')).toBe(5);
    for (const bad of ['', 'inf', 'Infinity', '1,5', '1e', '--1', '0x1']) expect(() => DoubleType.parse(bad)).toThrow(/invalid double/);
  });

  it('uses IEEE equality except NaN = NaN (conformance IIC350), and leaves NaN unordered', () => {
    expect(eq(DoubleType, 'NaN', 'NaN')).toBe(true);
    expect(eq(DoubleType, 'NaN', '1')).toBe(false);
    expect(eq(DoubleType, '0', '-0')).toBe(true);
    expect(cmp(DoubleType, 'NaN', '1')).toBeUndefined();
    expect(cmp(DoubleType, '-INF', '-1e308')).toBe(-1);
  });
});

describe('date, time, dateTime', () => {
  it('keeps timezone and fraction exactly', () => {
    expect(roundTrip(DateTimeType, '2002-03-22T08:23:47.500-05:00')).toBe('2002-03-22T08:23:47.5-05:00');
    expect(roundTrip(DateTimeType, '2002-03-22T08:23:47')).toBe('2002-03-22T08:23:47');
    expect(roundTrip(DateTimeType, '2002-03-22T08:23:47+00:00')).toBe('2002-03-22T08:23:47Z');
    expect(roundTrip(TimeType, '09:30:15.123456789012Z')).toBe('09:30:15.123456789012Z');
    expect(roundTrip(DateType, '-0044-03-15')).toBe('-0044-03-15');
    expect(roundTrip(DateType, '12345-01-01+14:00')).toBe('12345-01-01+14:00');
  });

  it('normalises 24:00:00 to the next day', () => {
    expect(roundTrip(DateTimeType, '1999-12-31T24:00:00Z')).toBe('2000-01-01T00:00:00Z');
    expect(eq(TimeType, '24:00:00', '00:00:00')).toBe(true);
  });

  it('compares instants across timezones, no timezone meaning Z', () => {
    expect(eq(DateTimeType, '2002-03-22T10:00:00Z', '2002-03-22T12:00:00+02:00')).toBe(true);
    expect(eq(DateTimeType, '2002-03-22T10:00:00', '2002-03-22T10:00:00Z')).toBe(true);
    expect(eq(DateTimeType, '2002-03-22T10:00:00.10Z', '2002-03-22T10:00:00.1Z')).toBe(true);
    expect(cmp(DateTimeType, '2002-03-22T10:00:00.1Z', '2002-03-22T10:00:00.09Z')).toBe(1);
    expect(cmp(TimeType, '23:00:00-05:00', '01:00:00Z')).toBe(1);
    expect(cmp(DateType, '2002-03-22+01:00', '2002-03-22Z')).toBe(-1);
    expect(cmp(DateType, '2000-02-29', '2000-03-01')).toBe(-1);
  });

  it('rejects impossible dates and times', () => {
    for (const bad of ['2001-02-29', '1900-02-29', '2002-13-01', '2002-00-10', '02-01-01', '2002-1-01', '02002-01-01', '2002-01-01Z+01:00', '2002-01-01+15:00', '2002-01-01+14:30'])
      expect(() => DateType.parse(bad)).toThrow(/invalid date value/);
    expect(DateType.parse('2000-02-29').day).toBe(29);
    for (const bad of ['25:00:00', '24:00:01', '10:60:00', '10:00:60', '10:00', '10:00:00.', 'T10:00:00'])
      expect(() => TimeType.parse(bad)).toThrow(/invalid time value/);
    for (const bad of ['2002-03-22', '2002-03-22 10:00:00', '2002-03-22T10:00:00ZZ'])
      expect(() => DateTimeType.parse(bad)).toThrow(/invalid dateTime value/);
  });
});

describe('durations', () => {
  it('parses and prints canonical dayTimeDuration', () => {
    expect(roundTrip(DayTimeDurationType, 'P1DT2H')).toBe('P1DT2H');
    expect(roundTrip(DayTimeDurationType, 'PT36H')).toBe('P1DT12H');
    expect(roundTrip(DayTimeDurationType, '-PT0.50S')).toBe('-PT0.5S');
    expect(roundTrip(DayTimeDurationType, '-PT0S')).toBe('PT0S');
    expect(roundTrip(DayTimeDurationType, 'P0D')).toBe('PT0S');
    expect(eq(DayTimeDurationType, 'P1D', 'PT24H')).toBe(true);
    expect(cmp(DayTimeDurationType, '-P1D', 'PT1S')).toBe(-1);
    expect(cmp(DayTimeDurationType, '-P2D', '-P1D')).toBe(-1);
    for (const bad of ['P', 'PT', 'P1Y', 'P1M', 'P1DT', '1D', 'P-1D', 'PT1.S', 'P1.5D', 'PT1H2H'])
      expect(() => DayTimeDurationType.parse(bad)).toThrow(/invalid dayTimeDuration/);
  });

  it('parses and prints canonical yearMonthDuration', () => {
    expect(roundTrip(YearMonthDurationType, 'P14M')).toBe('P1Y2M');
    expect(roundTrip(YearMonthDurationType, '-P1Y')).toBe('-P1Y');
    expect(roundTrip(YearMonthDurationType, 'P0Y')).toBe('P0M');
    expect(eq(YearMonthDurationType, 'P1Y', 'P12M')).toBe(true);
    for (const bad of ['P', 'P1D', 'P1Y2M3D', 'PT1M', 'P1.5Y', '-P'])
      expect(() => YearMonthDurationType.parse(bad)).toThrow(/invalid yearMonthDuration/);
  });
});

describe('binary', () => {
  it('parses hexBinary to bytes, canonical upper-case', () => {
    expect(Array.from(HexBinaryType.parse('0fA0'))).toEqual([15, 160]);
    expect(roundTrip(HexBinaryType, '0fa0')).toBe('0FA0');
    expect(eq(HexBinaryType, '0fa0', '0FA0')).toBe(true);
    expect(HexBinaryType.parse('').length).toBe(0);
    for (const bad of ['0', 'xyz0', '0 f']) expect(() => HexBinaryType.parse(bad)).toThrow(/invalid hexBinary/);
  });

  it('parses base64Binary strictly', () => {
    expect(Buffer.from(Base64BinaryType.parse('TWlrZSBCdXJhdGk=')).toString()).toBe('Mike Burati');
    expect(Buffer.from(Base64BinaryType.parse('c3Vy\nZS4=')).toString()).toBe('sure.');
    expect(roundTrip(Base64BinaryType, 'YX N1 cmUu')).toBe('YXN1cmUu');
    for (const bad of ['YXN1cmU', 'YX=1', 'QR==', '@@@@', 'Y===']) expect(() => Base64BinaryType.parse(bad)).toThrow(/invalid base64Binary/);
  });
});

describe('x500Name', () => {
  it('compares RDN by RDN ignoring case and spacing', () => {
    expect(eq(X500NameType, 'cn=Julius Hibbert,o=Medico Corp, c=US', 'CN=julius  hibbert, O=Medico Corp,C=US')).toBe(true);
    expect(eq(X500NameType, '  cn=AHA,OU=Sun Labs, o=Sun,c=US', 'cn=AHA,ou=Sun Labs,o=Sun,c=US')).toBe(true);
    expect(eq(X500NameType, 'cn=A,o=B', 'o=B,cn=A')).toBe(false);
    expect(eq(X500NameType, 'cn=A+uid=x,o=B', 'UID=X+CN=a,o=B')).toBe(true);
    expect(eq(X500NameType, '2.5.4.3=Anne,o=B', 'cn=anne,o=b')).toBe(true);
    expect(eq(X500NameType, 'cn=a\\,b,o=c', 'cn="a,b",o=c')).toBe(true);
    expect(eq(X500NameType, 'cn=\\C3\\A9t\\C3\\A9', 'cn=été')).toBe(true);
    expect(X500NameType.parse('').rdns).toHaveLength(0);
    expect(X500NameType.format(X500NameType.parse(' cn=A, o=B '))).toBe('cn=A, o=B');
  });

  it('rejects malformed names', () => {
    for (const bad of ['cn', 'cn=a,', '=a', 'c n=a', 'cn=a\\', 'cn=a\\q', 'cn=#abc', 'cn="a'])
      expect(() => X500NameType.parse(bad)).toThrow(/invalid x500Name/);
  });
});

describe('rfc822Name', () => {
  it('local part is case-sensitive, domain is not', () => {
    expect(eq(Rfc822NameType, 'j_hibbert@MEDICO.COM', 'j_hibbert@medico.com')).toBe(true);
    expect(eq(Rfc822NameType, 'J_hibbert@medico.com', 'j_hibbert@medico.com')).toBe(false);
    expect(Rfc822NameType.format(Rfc822NameType.parse('Anne@Sun.COM'))).toBe('Anne@Sun.COM');
    for (const bad of ['anne', '@sun.com', 'anne@', 'an ne@sun.com', 'anne@sun..com', 'anne@-sun.com'])
      expect(() => Rfc822NameType.parse(bad)).toThrow(/invalid rfc822Name/);
  });
});

describe('ipAddress and dnsName', () => {
  it('parses IPv4 with mask and ports', () => {
    const v = IpAddressType.parse('122.45.38.245/255.255.255.64:8080');
    expect(v.version).toBe(4);
    expect(Array.from(v.address)).toEqual([122, 45, 38, 245]);
    expect(Array.from(v.mask ?? [])).toEqual([255, 255, 255, 64]);
    expect(v.ports).toEqual({ low: 8080, high: 8080 });
    expect(roundTrip(IpAddressType, ' 10.0.0.1/8:80- ')).toBe('10.0.0.1/8:80-');
    expect(IpAddressType.key?.(IpAddressType.parse('10.0.0.1/8:80-'))).toBe('10.0.0.1/255.0.0.0:80-');
    expect(eq(IpAddressType, '10.0.0.1/8', '10.0.0.1/255.0.0.0')).toBe(true);
    expect(IpAddressType.parse('10.0.0.1:-1024').ports).toEqual({ low: undefined, high: 1024 });
  });

  it('parses bracketed IPv6', () => {
    const key = (s: string): string | undefined => IpAddressType.key?.(IpAddressType.parse(s));
    expect(key('[2001:DB8:0:0:0:0:0:1]')).toBe('[2001:db8::1]');
    expect(key('[::ffff:1.2.3.4]/[ffff:ffff::]:443')).toBe('[::ffff:102:304]/[ffff:ffff::]:443');
    expect(key('[fe80::]/10')).toBe('[fe80::]/[ffc0::]');
    expect(key('[1:0:0:2:0:0:0:3]')).toBe('[1:0:0:2::3]');
    expect(eq(IpAddressType, '[2001:db8::1]', '[2001:0db8:0000::0001]')).toBe(true);
  });

  it('rejects bad addresses', () => {
    for (const bad of ['256.1.1.1', '1.2.3', '01.2.3.4', '1.2.3.4/33', '1.2.3.4:70000', '1.2.3.4:9-1', '2001:db8::1', '[2001:db8::1', '[1::2::3]', '[1:2:3:4:5:6:7:8:9]', 'host'])
      expect(() => IpAddressType.parse(bad)).toThrow(/invalid ipAddress/);
  });

  it('parses dnsName with wildcard and ports, case-insensitive', () => {
    const v = DnsNameType.parse('some.host.name:147-874');
    expect(v.host).toBe('some.host.name');
    expect(v.ports).toEqual({ low: 147, high: 874 });
    expect(DnsNameType.parse('a.different.host:-45').ports).toEqual({ low: undefined, high: 45 });
    expect(eq(DnsNameType, '*.Example.COM', '*.example.com')).toBe(true);
    for (const bad of ['a.*.com', '-a.com', 'a_b.com', 'a..b', 'host:x', 'host:1-2-3'])
      expect(() => DnsNameType.parse(bad)).toThrow(/invalid dnsName/);
  });
});

describe('xpathExpression', () => {
  const ctx = { xpathCategory: 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource', namespaces: { md: 'urn:example:med' } };
  it('carries path, category and namespaces', () => {
    const v = XPathExpressionType.parse(' md:record/md:patient ', ctx);
    expect(v).toEqual({ path: 'md:record/md:patient', category: ctx.xpathCategory, namespaces: ctx.namespaces });
    expect(XPathExpressionType.format(v)).toBe('md:record/md:patient');
  });

  it('needs an XPathCategory and valid XPath', () => {
    expect(() => XPathExpressionType.parse('//a')).toThrow(/needs an XPathCategory/);
    expect(() => XPathExpressionType.parse('/a[', ctx)).toThrow(/not an XPath 1.0 expression/);
  });
});
