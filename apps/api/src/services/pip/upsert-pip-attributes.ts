/**
 * Adds or replaces sample PIP attributes; `replace` clears the domain's first. At most
 * PIP_MAX_ROWS rows per upload (every format): a larger one is refused before anything is written.
 */
import type { AppDeps } from '../../app-deps';
import { ApiError } from '../../errors/api-error';
import type { PipAttributeRecord } from '../../repositories/ports';
import { assertGuestPipQuota, domainGuestQuotaLimit } from '../guests/guest-quotas';
import { PIP_MAX_ROWS } from './pip-rows';

export async function upsertPipAttributes(deps: Pick<AppDeps, 'repos' | 'pdps'>, domainId: string, rows: readonly PipAttributeRecord[], replace: boolean) {
  if (rows.length > PIP_MAX_ROWS) throw new ApiError('payload-too-large', `at most ${PIP_MAX_ROWS} PIP attributes per upload (${rows.length} sent): split the upload`, { limit: PIP_MAX_ROWS });
  await assertGuestPipQuota(deps, domainId, rows, replace);
  const n = await deps.repos.pip.upsertMany(domainId, rows, replace, await domainGuestQuotaLimit(deps, domainId, 'pipAttributes'));
  deps.pdps.invalidate(domainId);
  return { upserted: n };
}
