/** Typed calls for each platform API route the GUI uses. */
import { http, seg, send, sendForBlob } from './client';
import type { RawResponse } from './client';
import type {
  AuditFilter,
  AuditPage,
  CreatedController,
  DecisionEntry,
  DecisionFilter,
  FetchedDescriptor,
  DecisionPage,
  Deployment,
  Domain,
  GuestSession,
  Items,
  PdpConfig,
  PipAttribute,
  PolicySummary,
  PolicyValidation,
  PolicyVersion,
  Principal,
  Project,
  ServiceRecord,
  TestEvaluationResult,
  TestFormat,
  UploadResult,
} from './types';

const V1 = '/api/v1';

/** A query string of the defined, non-empty members. */
function query(filter: object): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  return q.toString();
}

export const api = {
  me: () => http.get<Principal>(`${V1}/me`),
  startGuest: () => http.post<GuestSession>(`${V1}/guest`, {}),

  projects: () => http.get<Items<Project>>(`${V1}/projects`),
  project: (id: string) => http.get<Project>(`${V1}/projects/${seg(id)}`),
  createProject: (name: string, description?: string) => http.post<Project>(`${V1}/projects`, { name, ...(description ? { description } : {}) }),
  updateProject: (id: string, patch: { name?: string; description?: string }) => http.patch<Project>(`${V1}/projects/${seg(id)}`, patch),
  deleteProject: (id: string) => http.del<void>(`${V1}/projects/${seg(id)}`),
  addCollaborator: (id: string, principal: string) => http.put<Project>(`${V1}/projects/${seg(id)}/collaborators/${seg(principal)}`),
  removeCollaborator: (id: string, principal: string) => http.del<Project>(`${V1}/projects/${seg(id)}/collaborators/${seg(principal)}`),

  domains: (projectId: string) => http.get<Items<Domain>>(`${V1}/projects/${seg(projectId)}/domains`),
  domain: (id: string) => http.get<Domain>(`${V1}/domains/${seg(id)}`),
  createDomain: (projectId: string, name: string, description?: string) =>
    http.post<Domain>(`${V1}/projects/${seg(projectId)}/domains`, { name, ...(description ? { description } : {}) }),
  updateDomain: (id: string, patch: { name?: string; description?: string; publicPdp?: boolean }) => http.patch<Domain>(`${V1}/domains/${seg(id)}`, patch),
  deleteDomain: (id: string) => http.del<void>(`${V1}/domains/${seg(id)}`),
  /** Onboards a new domains controller: its principal, authorisation and key (shown once). */
  createController: (id: string, name: string) => http.post<CreatedController>(`${V1}/domains/${seg(id)}/controllers`, { name }),
  addController: (id: string, principal: string) => http.put<Domain>(`${V1}/domains/${seg(id)}/controllers/${seg(principal)}`),
  removeController: (id: string, principal: string) => http.del<Domain>(`${V1}/domains/${seg(id)}/controllers/${seg(principal)}`),

  policies: (domainId: string) => http.get<Items<PolicySummary>>(`${V1}/domains/${seg(domainId)}/policies`),
  policyVersion: (domainId: string, policyId: string, version: string) =>
    http.get<PolicyVersion>(`${V1}/domains/${seg(domainId)}/policies/${seg(policyId)}/versions/${seg(version)}`),
  /** Dry run: the upload's checks and compilation; nothing is stored. */
  validatePolicies: (domainId: string, policies: readonly { text: string; name?: string }[]) => http.post<PolicyValidation>(`${V1}/domains/${seg(domainId)}/policies/validate`, { policies }),
  uploadPolicies: (domainId: string, policies: readonly { text: string; name?: string }[], activate = true) =>
    http.post<UploadResult>(`${V1}/domains/${seg(domainId)}/policies`, { policies, activate }),
  activateVersion: (domainId: string, policyId: string, version: string) =>
    http.post<{ deployment: Deployment }>(`${V1}/domains/${seg(domainId)}/policies/${seg(policyId)}/versions/${seg(version)}/activate`),
  removePolicy: (domainId: string, policyId: string) => http.del<{ deployment: Deployment }>(`${V1}/domains/${seg(domainId)}/policies/${seg(policyId)}`),
  deployments: (domainId: string) => http.get<Items<Deployment>>(`${V1}/domains/${seg(domainId)}/deployments`),
  rollback: (domainId: string, deployment?: number) =>
    http.post<{ deployment: Deployment }>(`${V1}/domains/${seg(domainId)}/deployments/rollback`, deployment === undefined ? {} : { deployment }),

  pdpConfig: (domainId: string) => http.get<PdpConfig>(`${V1}/domains/${seg(domainId)}/pdp`),
  updatePdpConfig: (domainId: string, patch: Partial<Omit<PdpConfig, 'pdpId' | 'pdpUrl' | 'updatedAt'>>) => http.put<PdpConfig>(`${V1}/domains/${seg(domainId)}/pdp`, patch),

  pip: (domainId: string) => http.get<Items<PipAttribute>>(`${V1}/domains/${seg(domainId)}/pip/attributes`),
  upsertPip: (domainId: string, attributes: readonly PipAttribute[], replace = false) =>
    http.post<{ upserted: number }>(`${V1}/domains/${seg(domainId)}/pip/attributes`, { attributes, replace }),
  uploadPipCsv: (domainId: string, csv: string) => http.post<{ upserted: number }>(`${V1}/domains/${seg(domainId)}/pip/attributes`, csv, 'text/csv'),
  deletePip: (domainId: string, filter: { category?: string; entity?: string; attribute?: string }) => {
    const q = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => e[1] !== undefined));
    return http.del<{ deleted: number }>(`${V1}/domains/${seg(domainId)}/pip/attributes?${q.toString()}`);
  },

  decisions: (domainId: string, filter: DecisionFilter & { limit?: number; cursor?: string }) => http.get<DecisionPage>(`${V1}/domains/${seg(domainId)}/decisions?${query(filter)}`),
  /** The filtered range as a file (CSV or JSON Lines). */
  exportDecisions: async (domainId: string, filter: DecisionFilter, format: 'csv' | 'jsonl'): Promise<{ blob: Blob; filename: string }> => {
    const r = await sendForBlob(`${V1}/domains/${seg(domainId)}/decision-export?${query({ ...filter, format })}`);
    const filename = /filename="([^"]+)"/.exec(r.headers.get('content-disposition') ?? '')?.[1] ?? `decisions.${format}`;
    return { blob: r.blob, filename };
  },
  decision: (domainId: string, txId: string) => http.get<DecisionEntry>(`${V1}/domains/${seg(domainId)}/decisions/${seg(txId)}`),

  services: (filter: { type?: string; q?: string } = {}) => http.get<Items<ServiceRecord>>(`${V1}/services?${query(filter)}`),
  /** Registration by URL, step one: the provider's published descriptor, fetched by the server and validated. */
  fetchDescriptor: (url: string) => http.post<FetchedDescriptor>(`${V1}/service-descriptors/fetch`, { url }),
  registerService: (descriptor: unknown) => http.post<ServiceRecord>(`${V1}/services`, descriptor),
  enableService: (id: string) => http.post<ServiceRecord>(`${V1}/services/${seg(id)}/enable`),
  disableService: (id: string) => http.post<ServiceRecord>(`${V1}/services/${seg(id)}/disable`),
  deleteService: (id: string) => http.del<void>(`${V1}/services/${seg(id)}`),

  audit: (filter: AuditFilter & { limit?: number; cursor?: string }) => http.get<AuditPage>(`${V1}/audit?${query(filter)}`),

  /** The owner's test evaluation, as one of the domain's controllers (or itself), traced and logged. */
  testEvaluate: (domainId: string, input: { format: TestFormat; body: string; asController?: string }) => http.post<TestEvaluationResult>(`${V1}/domains/${seg(domainId)}/test-evaluations`, input),

  /** Sends a request to a PDP-URL (path part only: same origin), with the given key (owner or a controller's). */
  evaluate: (pdpPath: string, body: string, contentType: string, key?: string | null): Promise<RawResponse> =>
    key === undefined ? send('POST', pdpPath, body, contentType) : send('POST', pdpPath, body, contentType, key),
};
