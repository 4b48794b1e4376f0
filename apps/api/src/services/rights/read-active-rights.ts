/** The rights of the managed policy's version in an active set (none when it is not active). */
import { MANAGED_RIGHTS_POLICY_ID } from '@safax/contracts';
import type { DatasetRight } from '@safax/contracts';
import { conflict } from '../../errors/api-error';
import type { PolicyVersionRecord } from '../../repositories/ports';
import { ManagedPolicyError, readManagedPolicy } from './managed-policy';

export function readActiveRights(active: readonly Pick<PolicyVersionRecord, 'policyId' | 'version' | 'text'>[]): { version: string | null; rights: DatasetRight[] } {
  const current = active.find((v) => v.policyId === MANAGED_RIGHTS_POLICY_ID);
  if (!current) return { version: null, rights: [] };
  try {
    return { version: current.version, rights: readManagedPolicy(current.text) };
  } catch (e) {
    if (e instanceof ManagedPolicyError) throw conflict(e.message, { policyId: MANAGED_RIGHTS_POLICY_ID, version: current.version });
    throw e;
  }
}
