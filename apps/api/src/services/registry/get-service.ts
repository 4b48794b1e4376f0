/** Reads one registered service. */
import type { AppDeps } from '../../app-deps';
import { notFound } from '../../errors/api-error';
import { principalNames } from '../principals/principal-names';
import { serviceView } from '../views';

export async function getService(deps: Pick<AppDeps, 'repos'>, id: string) {
  const s = await deps.repos.services.findById(id);
  if (!s) throw notFound('service');
  return serviceView(s, (await principalNames(deps, [s.registeredById]))(s.registeredById));
}
