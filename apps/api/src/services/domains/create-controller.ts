/**
 * Onboards a domains controller for a domain in one step: a new principal with the role
 * domains-controller, authorised on the domain, and its first API key — returned once, with
 * the PDP-URLs it will call. Principal, key and authorisation are written in one transaction.
 */
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../app-deps';
import { newApiKey } from '../../auth/api-keys';
import { ApiError } from '../../errors/api-error';
import { pdpUrl, principalView } from '../views';
import { findDomain } from './get-domain';

export async function createController(deps: Pick<AppDeps, 'repos' | 'config' | 'pdps'>, domainId: string, name: string) {
  const domain = await findDomain(deps, domainId);
  if (await deps.repos.principals.findByName(name)) {
    throw new ApiError('conflict', `a principal named "${name}" already exists: choose another name, or authorise that principal instead`, { field: 'name' });
  }
  const { key, stored } = newApiKey(`controller of ${domain.name}`);
  const principal = await deps.repos.domains.createController(domainId, { id: randomUUID(), name, roles: ['domains-controller'] }, stored).catch((e: unknown) => {
    // Another request took the name between the check and the insert.
    if (e instanceof ApiError && e.code === 'conflict') throw new ApiError('conflict', `a principal named "${name}" already exists`, { field: 'name' });
    throw e;
  });
  deps.pdps.invalidate(domainId);
  const url = pdpUrl(deps.config, domain.pdpId);
  return {
    principal: principalView(principal),
    apiKey: key,
    apiKeyId: stored.id,
    domain: { id: domain.id, name: domain.name },
    pdpUrl: url,
    authzenUrl: `${url}/access/v1/evaluation`,
  };
}
