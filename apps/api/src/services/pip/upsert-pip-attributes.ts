/** Adds or replaces sample PIP attributes (one transaction); `replace` clears the domain's first. */
import type { AppDeps } from '../../app-deps';
import type { PipAttributeRecord } from '../../repositories/ports';
import { assertGuestPipQuota } from '../guests/guest-quotas';

export async function upsertPipAttributes(deps: Pick<AppDeps, 'repos' | 'pdps'>, domainId: string, rows: readonly PipAttributeRecord[], replace: boolean) {
  await assertGuestPipQuota(deps, domainId, rows, replace);
  const n = await deps.repos.pip.upsertMany(domainId, rows, replace);
  deps.pdps.invalidate(domainId);
  return { upserted: n };
}
