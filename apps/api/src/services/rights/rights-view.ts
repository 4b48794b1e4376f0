/** What the rights API answers: the rights in force and where they live. */
import { MANAGED_RIGHTS_POLICY_ID } from '@safax/contracts';
import type { DatasetRight } from '@safax/contracts';
import type { PdpConfigRecord } from '../../repositories/ports';

export interface RightsView {
  readonly policyId: string;
  /** The managed policy's active version, or null when none is active. */
  readonly version: string | null;
  readonly items: DatasetRight[];
  /** Configuration under which the rights would not decide as expected. */
  readonly warnings: string[];
}

const ONLY_ONE = 'urn:oasis:names:tc:xacml:1.0:policy-combining-algorithm:only-one-applicable';

/** Warnings about a PDP configuration that keeps the managed policy from deciding. */
export function rightsWarnings(config: Pick<PdpConfigRecord, 'rootPolicyIds' | 'rootCombiningAlgorithm'>): string[] {
  const out: string[] = [];
  if (config.rootPolicyIds.length > 0 && !config.rootPolicyIds.includes(MANAGED_RIGHTS_POLICY_ID)) {
    out.push(`the PDP configuration names its root policies (rootPolicyIds) without ${MANAGED_RIGHTS_POLICY_ID}: the rights are stored but not evaluated until it is added`);
  }
  if (config.rootCombiningAlgorithm === ONLY_ONE) {
    out.push('the root combining algorithm is only-one-applicable: a request that both a right and another policy match is Indeterminate');
  }
  return out;
}

/** Filters of GET …/rights. */
export interface RightsFilter {
  readonly subjectKind?: DatasetRight['subject']['kind'];
  readonly subject?: string;
  readonly dataset?: string;
}

export function filterRights(items: readonly DatasetRight[], f: RightsFilter): DatasetRight[] {
  return items.filter((r) => (f.subjectKind === undefined || r.subject.kind === f.subjectKind) && (f.subject === undefined || r.subject.name === f.subject) && (f.dataset === undefined || r.dataset === f.dataset));
}
