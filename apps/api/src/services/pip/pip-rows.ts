/**
 * Sample PIP input: JSON rows, or CSV for bulk (header: category,entity,attribute,datatype,value;
 * several rows with the same key add values to that attribute's bag). Short category names
 * (subject, resource, action, environment) and datatype names (string, integer, ...) expand to
 * their XACML identifiers.
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { XACML_DATATYPES } from '@safax/contracts';
import { ApiError } from '../../errors/api-error';
import type { PipAttributeRecord } from '../../repositories/ports';

export const CATEGORY_SHORT_NAMES: Readonly<Record<string, string>> = {
  subject: 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject',
  resource: 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource',
  action: 'urn:oasis:names:tc:xacml:3.0:attribute-category:action',
  environment: 'urn:oasis:names:tc:xacml:3.0:attribute-category:environment',
};

export function expandCategory(c: string): string {
  return CATEGORY_SHORT_NAMES[c] ?? c;
}

export function expandDatatype(d: string): string {
  if ((XACML_DATATYPES as readonly string[]).includes(d)) return d;
  const long = XACML_DATATYPES.find((full) => full.endsWith(`#${d}`) || full.endsWith(`:${d}`));
  return long ?? d;
}

const uriLike = z.string().min(1).max(500);

export const pipRowSchema = z.strictObject({
  category: uriLike.transform(expandCategory),
  entity: z.string().min(1).max(500),
  attribute: uriLike,
  datatype: z
    .string()
    .default('string')
    .transform(expandDatatype)
    .refine((d) => (XACML_DATATYPES as readonly string[]).includes(d), 'unknown XACML datatype'),
  values: z.array(z.string().max(10_000)).max(1000),
});
export type PipRowInput = z.input<typeof pipRowSchema>;

export function toRecords(rows: readonly z.output<typeof pipRowSchema>[]): PipAttributeRecord[] {
  return rows.map((r) => ({ category: r.category, entityId: r.entity, attributeId: r.attribute, datatype: r.datatype, values: r.values }));
}

/** Rows one upload may carry, in every format (JSON attributes, CSV value rows). */
export const PIP_MAX_ROWS = 10_000;

const CSV_COLUMNS = ['category', 'entity', 'attribute', 'datatype', 'value'];

export function parsePipCsv(text: string): PipAttributeRecord[] {
  let records: string[][];
  try {
    // The parser stops one row past the cap: a huge upload costs no more than a refused one.
    records = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: false, to: PIP_MAX_ROWS + 2 }) as string[][];
  } catch (e) {
    throw new ApiError('malformed-body', `CSV: ${(e as Error).message}`);
  }
  if (records.length > PIP_MAX_ROWS + 1) {
    throw new ApiError('payload-too-large', `CSV: at most ${PIP_MAX_ROWS} rows (besides the header) per upload: split the upload`, { limit: PIP_MAX_ROWS });
  }
  const [header, ...data] = records;
  if (!header || header.join(',').toLowerCase() !== CSV_COLUMNS.join(',')) {
    throw new ApiError('bad-request', `CSV header must be ${CSV_COLUMNS.join(',')}`);
  }
  const merged = new Map<string, z.input<typeof pipRowSchema> & { values: string[] }>();
  data.forEach((cols) => {
    const [category = '', entity = '', attribute = '', datatype = '', value = ''] = cols;
    const key = `${category}\u0000${entity}\u0000${attribute}`;
    const row = merged.get(key) ?? { category, entity, attribute, datatype: datatype || 'string', values: [] };
    row.values.push(value);
    merged.set(key, row);
  });
  const parsed = z.array(pipRowSchema).safeParse([...merged.values()]);
  if (!parsed.success) throw parsed.error;
  return toRecords(parsed.data);
}
