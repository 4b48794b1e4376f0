/**
 * Applies a statement's protection plan to its result rows. The column identity of each
 * output field comes from RowDescription (table OID + attribute number, named through the
 * catalog); a field without an origin gets the verdict of the parse-tree analysis. A row whose
 * fields all pass is relayed as received; others are rebuilt with the protected values.
 */
import type { Catalog } from '../catalog/catalog';
import { readDataRow, writeDataRow } from '../protocol/backend-messages';
import type { Frame } from '../protocol/backend-messages';
import type { Protection, ProtectionPlan } from './obligations';
import type { StatementProtection } from './statement-protection';
import { protectValue } from './value-transforms';
import type { FieldType, TransformContext } from './value-transforms';

export interface FieldDescription {
  readonly name: string;
  readonly tableOid: number;
  readonly attnum: number;
  readonly typeOid: number;
  readonly format: number;
}

export type FieldAction = { readonly kind: 'pass' } | { readonly kind: 'protect'; readonly protection: Protection; readonly type: FieldType };

export interface RowProtector {
  readonly actions: readonly FieldAction[];
  /** The frame to send for a DataRow (the same frame when nothing changes). */
  apply(frame: Frame): Buffer;
}

const PASS: FieldAction = { kind: 'pass' };

export async function fieldActions(fields: readonly FieldDescription[], plan: ProtectionPlan, check: StatementProtection, catalog: Catalog): Promise<FieldAction[]> {
  const out: FieldAction[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as FieldDescription;
    const type = { typeOid: f.typeOid, format: f.format };
    if (f.tableOid !== 0 && f.attnum > 0) {
      let rel = await catalog.relationByOid(f.tableOid);
      if (rel !== undefined && !rel.columns.has(f.attnum)) {
        // A column added since the catalog was cached.
        catalog.invalidate();
        rel = await catalog.relationByOid(f.tableOid);
      }
      const column = rel?.columns.get(f.attnum);
      if (rel === undefined || column === undefined) {
        out.push({ kind: 'protect', protection: { kind: 'suppress' }, type });
        continue;
      }
      const p = plan.protectionOf(`${rel.schema}.${rel.name}`, column);
      out.push(p === undefined ? PASS : { kind: 'protect', protection: p, type });
      continue;
    }
    if (f.tableOid !== 0) {
      out.push(PASS); // a system column (ctid, xmin, ...)
      continue;
    }
    const v = check.outputVerdict(i, fields.length);
    out.push(v.kind === 'clean' ? PASS : v.kind === 'suppress' ? { kind: 'protect', protection: { kind: 'suppress' }, type } : { kind: 'protect', protection: v.protection, type });
  }
  return out;
}

export function rowProtector(actions: readonly FieldAction[], ctx: TransformContext): RowProtector {
  const active = actions.some((a) => a.kind !== 'pass');
  return {
    actions,
    apply(frame) {
      if (!active) return frame.bytes;
      const values = readDataRow(frame);
      // A row whose width differs from its description cannot be mapped: all of it is withheld.
      if (values.length !== actions.length) return writeDataRow(values.map(() => null));
      for (let i = 0; i < values.length; i++) {
        const a = actions[i] as FieldAction;
        const v = values[i];
        if (a.kind === 'pass' || v === null || v === undefined) continue;
        values[i] = protectValue(v, a.type, a.protection, ctx);
      }
      return writeDataRow(values);
    },
  };
}
