/** JSON view of a deployment (an active set of policy versions). */
import type { DeploymentRecord } from '../../repositories/ports';

export function deploymentView(d: DeploymentRecord) {
  return { number: d.number, reason: d.reason, active: d.active, createdAt: d.createdAt.toISOString(), createdBy: d.createdBy, policies: d.policies.map((p) => ({ ...p })) };
}
