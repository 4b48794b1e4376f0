/**
 * Server state: one TanStack Query client for the GUI. Client errors (4xx) are answers, not
 * glitches, so they are never retried; a network failure is retried once. Keys are built by
 * `keys` so that a change can invalidate exactly what it affects.
 */
import { QueryClient } from '@tanstack/react-query';
import { ApiFailure } from '../api/client';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failures, error) => !(error instanceof ApiFailure && error.status >= 400 && error.status < 500) && failures < 1,
        // Coming back to a tab shows what the server holds now (notices must match it).
        staleTime: 0,
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });
}

/** Query keys, from the broadest to the narrowest: invalidating a prefix refreshes all below it. */
export const keys = {
  me: ['me'] as const,
  projects: ['projects'] as const,
  project: (id: string) => ['project', id] as const,
  domains: (projectId: string) => ['domains', projectId] as const,
  domain: (id: string) => ['domain', id] as const,
  /** Everything about one domain's policies: list, versions, deployments. */
  domainPolicies: (domainId: string) => ['policies', domainId] as const,
  policies: (domainId: string) => ['policies', domainId, 'list'] as const,
  policyVersion: (domainId: string, policyId: string, version: string) => ['policies', domainId, 'version', policyId, version] as const,
  deployments: (domainId: string) => ['policies', domainId, 'deployments'] as const,
  activeTexts: (domainId: string) => ['policies', domainId, 'active-texts'] as const,
  pdpConfig: (domainId: string) => ['pdp-config', domainId] as const,
  pip: (domainId: string) => ['pip', domainId] as const,
  decisions: (domainId: string) => ['decisions', domainId] as const,
  decisionPage: (domainId: string, filter: unknown) => ['decisions', domainId, 'page', filter] as const,
  decision: (domainId: string, txId: string) => ['decisions', domainId, 'entry', txId] as const,
  services: ['services'] as const,
  serviceList: (filter: unknown) => ['services', 'list', filter] as const,
  audit: ['audit'] as const,
  auditPage: (filter: unknown) => ['audit', 'page', filter] as const,
};
