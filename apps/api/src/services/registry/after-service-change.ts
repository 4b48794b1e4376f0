/** After a service changes here: re-sync its UDF (if any) and drop compiled PDPs that may bind it. */
import type { AppDeps } from '../../app-deps';

export async function afterServiceChange(deps: Pick<AppDeps, 'pdps' | 'udfSync'>, serviceId: string): Promise<void> {
  await deps.udfSync?.syncOne(serviceId);
  deps.pdps.invalidateAll();
}
