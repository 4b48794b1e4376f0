/** Creates a principal with its first API key (returned once, never stored in clear). */
import { randomUUID } from 'node:crypto';
import { newApiKey } from '../../auth/api-keys';
import type { AppDeps } from '../../app-deps';
import type { Role } from '../../repositories/ports';
import { principalView } from '../views';

export async function createPrincipal(deps: Pick<AppDeps, 'repos'>, input: { name: string; roles: readonly Role[] }, givenKey?: string) {
  const { key, stored } = newApiKey('initial', givenKey);
  const p = await deps.repos.principals.create({ id: randomUUID(), name: input.name, roles: input.roles }, stored);
  return { principal: principalView(p), apiKey: key, apiKeyId: stored.id };
}
