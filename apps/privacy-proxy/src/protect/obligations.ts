/**
 * Protection obligations of a decision → what to do to which column. The definition of each
 * obligation (ids, parameters, defaults) is documented in the README ("Protection
 * obligations"); anything malformed is an error, so the statement is denied rather than
 * released half-protected.
 */
import { OBLIGATION, OBLIGATION_PARAM } from '../policy/vocabulary';

export type Protection =
  | { readonly kind: 'suppress' }
  | { readonly kind: 'mask'; readonly keep: number }
  | { readonly kind: 'pseudonymize'; readonly context: string }
  | { readonly kind: 'generalize'; readonly width: string; readonly unit: 'month' | 'year' };

export interface ObligationInput {
  readonly id: string;
  readonly assignments: readonly { readonly attributeId: string; readonly value: string }[];
}

export interface ColumnProtection {
  /** `schema.table` the column belongs to. */
  readonly dataset: string;
  readonly column: string;
  readonly protection: Protection;
}

export type ObligationOutcome = { readonly ok: true; readonly columns: readonly ColumnProtection[] } | { readonly ok: false; readonly message: string };

const MAX_KEEP = 1000;

function single(o: ObligationInput, id: string): string | undefined | Error {
  const values = o.assignments.filter((a) => a.attributeId === id).map((a) => a.value);
  if (values.length > 1) return new Error(`${o.id}: more than one ${id}`);
  return values[0];
}

/** One obligation of a decision about `dataset` (schema.table) → its column protections. */
export function readObligation(dataset: string, o: ObligationInput): ObligationOutcome {
  const kind = (Object.keys(OBLIGATION) as (keyof typeof OBLIGATION)[]).find((k) => OBLIGATION[k] === o.id);
  if (kind === undefined) return { ok: false, message: `unknown obligation ${o.id}` };
  const columns = o.assignments.filter((a) => a.attributeId === OBLIGATION_PARAM.column).map((a) => a.value.trim());
  if (columns.length === 0) return { ok: false, message: `${o.id} names no column (${OBLIGATION_PARAM.column})` };
  let protection: Protection;
  switch (kind) {
    case 'suppress':
      protection = { kind };
      break;
    case 'mask': {
      const keep = single(o, OBLIGATION_PARAM.maskKeep);
      if (keep instanceof Error) return { ok: false, message: keep.message };
      const n = keep === undefined ? 0 : Number(keep);
      if (!Number.isInteger(n) || n < 0 || n > MAX_KEEP) return { ok: false, message: `${o.id}: keep must be an integer from 0 to ${MAX_KEEP}` };
      protection = { kind, keep: n };
      break;
    }
    case 'pseudonymize': {
      const context = single(o, OBLIGATION_PARAM.pseudonymizeContext);
      if (context instanceof Error) return { ok: false, message: context.message };
      protection = { kind, context: context ?? '' };
      break;
    }
    case 'generalize': {
      const width = single(o, OBLIGATION_PARAM.generalizeWidth);
      const unit = single(o, OBLIGATION_PARAM.generalizeUnit);
      if (width instanceof Error) return { ok: false, message: width.message };
      if (unit instanceof Error) return { ok: false, message: unit.message };
      const w = width ?? '10';
      if (!/^\d{1,15}(\.\d{1,15})?$/.test(w) || Number(w) <= 0) return { ok: false, message: `${o.id}: width must be a positive decimal number` };
      if (unit !== undefined && unit !== 'month' && unit !== 'year') return { ok: false, message: `${o.id}: unit must be month or year` };
      protection = { kind, width: w, unit: unit ?? 'month' };
      break;
    }
  }
  const out: ColumnProtection[] = [];
  for (const c of columns) {
    const parts = c.split('.');
    if (parts.some((p) => p === '') || parts.length > 3) return { ok: false, message: `${o.id}: column "${c}" is not column, table.column or schema.table.column` };
    const [schema] = dataset.split('.');
    if (parts.length === 1) out.push({ dataset, column: parts[0] as string, protection });
    else if (parts.length === 2) out.push({ dataset: `${schema}.${parts[0]}`, column: parts[1] as string, protection });
    else out.push({ dataset: `${parts[0]}.${parts[1]}`, column: parts[2] as string, protection });
  }
  return { ok: true, columns: out };
}

/** The protection plan of a statement: dataset → column → protection. Two different protections of one column → suppress. */
export class ProtectionPlan {
  private readonly byDataset = new Map<string, Map<string, Protection>>();

  add(c: ColumnProtection): void {
    const cols = this.byDataset.get(c.dataset) ?? new Map<string, Protection>();
    const prior = cols.get(c.column);
    cols.set(c.column, prior === undefined || sameProtection(prior, c.protection) ? c.protection : { kind: 'suppress' });
    this.byDataset.set(c.dataset, cols);
  }

  get empty(): boolean {
    return this.byDataset.size === 0;
  }

  protectionOf(dataset: string, column: string): Protection | undefined {
    return this.byDataset.get(dataset)?.get(column);
  }

  columnsOf(dataset: string): ReadonlyMap<string, Protection> | undefined {
    return this.byDataset.get(dataset);
  }

  /** Every protected column name (unqualified). */
  columnNames(): Set<string> {
    const out = new Set<string>();
    for (const cols of this.byDataset.values()) for (const c of cols.keys()) out.add(c);
    return out;
  }

  datasets(): string[] {
    return [...this.byDataset.keys()];
  }

  describe(): string {
    return [...this.byDataset].flatMap(([d, cols]) => [...cols].map(([c, p]) => `${d}.${c}:${p.kind}`)).join(',');
  }
}

function sameProtection(a: Protection, b: Protection): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
