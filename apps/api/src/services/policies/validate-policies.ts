/**
 * PAP dry run: runs exactly the checks of an upload (inspection, batch duplicates, existing
 * versions, guest quota, compilation of the active set it would produce) and reports the
 * outcome; nothing is stored and the PDP is untouched.
 */
import type { AppDeps } from '../../app-deps';
import { ApiError } from '../../errors/api-error';
import { planUpload, warningView } from './upload-policies';
import type { UploadedDocument } from './upload-policies';

export interface ValidationIssue {
  readonly code: string;
  readonly message: string;
  readonly path?: string;
  readonly line?: number;
  readonly document?: string;
}

export type ValidationResult =
  | { readonly ok: true; readonly documents: { policyId: string; version: string; kind: string }[]; readonly warnings: ReturnType<typeof warningView>[] }
  | { readonly ok: false; readonly error: { readonly code: string; readonly message: string }; readonly issues: ValidationIssue[] };

function issuesOf(e: ApiError): ValidationIssue[] {
  const list = Array.isArray(e.details) ? (e.details as unknown[]) : [];
  const out: ValidationIssue[] = [];
  for (const d of list) {
    if (typeof d !== 'object' || d === null) continue;
    const r = d as Record<string, unknown>;
    out.push({
      code: typeof r.code === 'string' ? r.code : e.code,
      message: typeof r.message === 'string' ? r.message : e.message,
      ...(typeof r.path === 'string' ? { path: r.path } : {}),
      ...(typeof r.line === 'number' ? { line: r.line } : {}),
      ...(typeof r.document === 'string' ? { document: r.document } : {}),
    });
  }
  return out.length > 0 ? out : [{ code: e.code, message: e.message }];
}

/** Refusals an upload would answer become the report; anything else (a missing domain, a fault) stays an error. */
const REPORTED = new Set(['invalid-policy', 'bad-request', 'conflict', 'quota-exceeded']);

export async function validatePolicies(deps: Pick<AppDeps, 'repos' | 'functionProviderFor' | 'config'>, domainId: string, docs: readonly UploadedDocument[]): Promise<ValidationResult> {
  try {
    const plan = await planUpload(deps, domainId, docs);
    return { ok: true, documents: plan.versions.map((v) => ({ policyId: v.policyId, version: v.version, kind: v.kind })), warnings: plan.warnings.map(warningView) };
  } catch (e) {
    if (e instanceof ApiError && REPORTED.has(e.code)) return { ok: false, error: { code: e.code, message: e.message }, issues: issuesOf(e) };
    throw e;
  }
}
