/** Lists all principals (admins only, decided by the PEP). */
import type { AppDeps } from '../../app-deps';
import { principalView } from '../views';

export async function listPrincipals(deps: Pick<AppDeps, 'repos'>) {
  return (await deps.repos.principals.list()).map(principalView);
}
