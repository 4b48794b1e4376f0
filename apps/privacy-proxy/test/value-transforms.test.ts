/** The anonymisation functions on text and binary field values: type-preserving, total, keyed. */
import { readObligation } from '../src/protect/obligations';
import { protectValue, TYPE } from '../src/protect/value-transforms';
import type { FieldType } from '../src/protect/value-transforms';

const key = { key: Buffer.from('a-test-protection-key-of-32-bytes!') };
const text = (oid: number): FieldType => ({ typeOid: oid, format: 0 });
const bin = (oid: number): FieldType => ({ typeOid: oid, format: 1 });
const s = (b: Buffer | null) => (b === null ? null : b.toString('utf8'));

describe('mask', () => {
  it('keeps the last N characters of text, counting characters not bytes', () => {
    expect(s(protectValue(Buffer.from('123-45-6789'), text(TYPE.text), { kind: 'mask', keep: 4 }, key))).toBe('*******6789');
    expect(s(protectValue(Buffer.from('Zoë Ünal'), text(TYPE.varchar), { kind: 'mask', keep: 2 }, key))).toBe('******al');
  });
  it('masks a value no longer than what would be kept whole, and suppresses non-text', () => {
    expect(s(protectValue(Buffer.from('abc'), text(TYPE.text), { kind: 'mask', keep: 4 }, key))).toBe('***');
    expect(protectValue(Buffer.from('42'), text(TYPE.int4), { kind: 'mask', keep: 1 }, key)).toBeNull();
  });
});

describe('pseudonymize', () => {
  const p = { kind: 'pseudonymize' as const, context: 'research' };
  it('is stable, keyed and context-bound for text', () => {
    const a = s(protectValue(Buffer.from('123-45-6789'), text(TYPE.text), p, key));
    expect(a).toMatch(/^[0-9a-f]{24}$/);
    expect(s(protectValue(Buffer.from('123-45-6789'), bin(TYPE.text), p, key))).toBe(a);
    expect(s(protectValue(Buffer.from('123-45-6789'), text(TYPE.text), { ...p, context: 'other' }, key))).not.toBe(a);
    expect(s(protectValue(Buffer.from('123-45-6789'), text(TYPE.text), p, { key: Buffer.from('another-key-another-key-another!!') }))).not.toBe(a);
  });
  it('keeps integers integers, the same in text and binary format', () => {
    const t = s(protectValue(Buffer.from('42'), text(TYPE.int4), p, key)) as string;
    expect(t).toMatch(/^\d+$/);
    expect(Number(t)).toBeLessThanOrEqual(2147483647);
    const b4 = Buffer.alloc(4);
    b4.writeInt32BE(42);
    expect((protectValue(b4, bin(TYPE.int4), p, key) as Buffer).readInt32BE(0)).toBe(Number(t));
  });
  it('keeps uuids uuids and suppresses types it cannot keep', () => {
    expect(s(protectValue(Buffer.from('0b8c4a0e-6a31-4e27-9b2f-3f6f0d3c1b2a'), text(TYPE.uuid), p, key))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(protectValue(Buffer.from('2026-01-01'), text(TYPE.date), p, key)).toBeNull();
  });
});

describe('generalize', () => {
  it('buckets numbers by width (floor), exactly for numeric', () => {
    expect(s(protectValue(Buffer.from('37'), text(TYPE.int4), { kind: 'generalize', width: '10', unit: 'month' }, key))).toBe('30');
    expect(s(protectValue(Buffer.from('-3'), text(TYPE.int4), { kind: 'generalize', width: '10', unit: 'month' }, key))).toBe('-10');
    expect(s(protectValue(Buffer.from('1234.567'), text(TYPE.numeric), { kind: 'generalize', width: '0.5', unit: 'month' }, key))).toBe('1234.500');
    expect(s(protectValue(Buffer.from('99.9'), text(TYPE.float8), { kind: 'generalize', width: '25', unit: 'month' }, key))).toBe('75');
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(1234n);
    expect((protectValue(b, bin(TYPE.int8), { kind: 'generalize', width: '100', unit: 'month' }, key) as Buffer).readBigInt64BE(0)).toBe(1200n);
  });
  it('truncates dates and timestamps to month or year, text and binary', () => {
    expect(s(protectValue(Buffer.from('1988-11-23'), text(TYPE.date), { kind: 'generalize', width: '10', unit: 'month' }, key))).toBe('1988-11-01');
    expect(s(protectValue(Buffer.from('1988-11-23'), text(TYPE.date), { kind: 'generalize', width: '10', unit: 'year' }, key))).toBe('1988-01-01');
    expect(s(protectValue(Buffer.from('2026-03-31 10:11:12.5+02'), text(TYPE.timestamptz), { kind: 'generalize', width: '10', unit: 'month' }, key))).toBe('2026-03-01 00:00:00+02');
    const d = Buffer.alloc(4);
    d.writeInt32BE(Math.round((Date.UTC(1988, 10, 23) - Date.UTC(2000, 0, 1)) / 86_400_000));
    const out = (protectValue(d, bin(TYPE.date), { kind: 'generalize', width: '10', unit: 'year' }, key) as Buffer).readInt32BE(0);
    expect(new Date(Date.UTC(2000, 0, 1) + out * 86_400_000).toISOString().slice(0, 10)).toBe('1988-01-01');
  });
  it('suppresses what it cannot generalise (text, another DateStyle)', () => {
    expect(protectValue(Buffer.from('Eindhoven'), text(TYPE.text), { kind: 'generalize', width: '10', unit: 'month' }, key)).toBeNull();
    expect(protectValue(Buffer.from('11/23/1988'), text(TYPE.date), { kind: 'generalize', width: '10', unit: 'month' }, key)).toBeNull();
  });
});

describe('obligation definitions', () => {
  const col = (v: string) => ({ attributeId: 'urn:safax:1.0:obligation:column', value: v });
  it('reads columns relative to the decided dataset and the per-kind parameters', () => {
    expect(readObligation('public.patients', { id: 'urn:safax:1.0:obligation:mask', assignments: [col('ssn'), col('public.visits.note'), { attributeId: 'urn:safax:1.0:obligation:mask:keep', value: '4' }] })).toEqual({
      ok: true,
      columns: [
        { dataset: 'public.patients', column: 'ssn', protection: { kind: 'mask', keep: 4 } },
        { dataset: 'public.visits', column: 'note', protection: { kind: 'mask', keep: 4 } },
      ],
    });
  });
  it('refuses unknown obligations, missing columns and bad parameters', () => {
    expect(readObligation('public.p', { id: 'urn:example:watermark', assignments: [col('x')] })).toMatchObject({ ok: false, message: expect.stringMatching(/unknown obligation/) });
    expect(readObligation('public.p', { id: 'urn:safax:1.0:obligation:suppress', assignments: [] })).toMatchObject({ ok: false });
    expect(readObligation('public.p', { id: 'urn:safax:1.0:obligation:mask', assignments: [col('x'), { attributeId: 'urn:safax:1.0:obligation:mask:keep', value: '-1' }] })).toMatchObject({ ok: false });
    expect(readObligation('public.p', { id: 'urn:safax:1.0:obligation:generalize', assignments: [col('x'), { attributeId: 'urn:safax:1.0:obligation:generalize:unit', value: 'week' }] })).toMatchObject({ ok: false });
  });
});
