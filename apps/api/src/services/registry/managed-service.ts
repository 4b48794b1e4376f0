/** PDP entries belong to their domain: the Service Repository API reads them but never changes them. */
import type { AppDeps } from '../../app-deps';
import { ApiError, notFound } from '../../errors/api-error';
import type { ServiceRecordRow } from '../../repositories/ports';

export async function findChangeableService(deps: Pick<AppDeps, 'repos'>, id: string): Promise<ServiceRecordRow> {
  const s = await deps.repos.services.findById(id);
  if (!s) throw notFound('service');
  if (s.domainId !== null) throw new ApiError('conflict', 'a PDP service is managed with its domain');
  return s;
}
