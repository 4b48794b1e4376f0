/** One domain: header with its PDP-URL, and a tab per task (policies, PDP, controllers, PIP, evaluate, log, settings). */
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/endpoints';
import { CopyButton } from '../components/copy-button';
import { ErrorBox, Loading } from '../components/status';
import { keys } from '../lib/query-client';
import { href } from '../lib/router';
import { useTitle } from '../lib/use-title';
import { ControllersTab } from './domain/controllers-tab';
import { EvaluateTab } from './domain/evaluate-tab';
import { LogTab } from './domain/log-tab';
import { PdpTab } from './domain/pdp-tab';
import { PipTab } from './domain/pip-tab';
import { PoliciesTab } from './domain/policies-tab';
import { SettingsTab } from './domain/settings-tab';

const TABS: readonly { id: string; label: string }[] = [
  { id: 'policies', label: 'Policies' },
  { id: 'pdp', label: 'PDP & URL' },
  { id: 'controllers', label: 'Controllers' },
  { id: 'pip', label: 'Sample PIP' },
  { id: 'evaluate', label: 'Evaluate' },
  { id: 'log', label: 'Evaluation log' },
  { id: 'settings', label: 'Settings' },
];

export function DomainPage({ domainId, tab, sub }: { domainId: string; tab: string; sub: string | undefined }) {
  const domain = useQuery({ queryKey: keys.domain(domainId), queryFn: () => api.domain(domainId) });
  const projectId = domain.data?.projectId;
  const project = useQuery({ queryKey: keys.project(projectId ?? ''), queryFn: () => api.project(projectId ?? ''), enabled: projectId !== undefined });
  const current = TABS.find((t) => t.id === tab) ?? TABS[0];
  useTitle(current?.label, domain.data?.name);
  if (domain.isPending) return <Loading what="the domain" />;
  if (domain.isError) return <ErrorBox error={domain.error} title="The domain could not be opened" onRetry={() => void domain.refetch()} />;
  const d = domain.data;
  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <a href={href('projects')}>Projects</a> › <a href={href('projects', d.projectId)}>{project.data?.name ?? 'Project'}</a> › <span aria-current="page">{d.name}</span>
      </nav>
      <div className="title-row">
        <h1>{d.name}</h1>
        <span className="pdp-url" data-testid="header-pdp-url">
          <code>{d.pdpUrl}</code>
          <CopyButton text={d.pdpUrl} label="Copy PDP-URL" />
        </span>
      </div>
      {d.description && <p className="lead">{d.description}</p>}
      <nav className="tabs" aria-label="Domain sections">
        {TABS.map((t) => (
          <a key={t.id} href={href('domains', domainId, t.id)} aria-current={t.id === current?.id ? 'page' : undefined}>
            {t.label}
          </a>
        ))}
      </nav>
      <section className="tab-panel" aria-label={current?.label}>
        {current?.id === 'policies' && <PoliciesTab domainId={domainId} policyId={sub} />}
        {current?.id === 'pdp' && <PdpTab domainId={domainId} />}
        {current?.id === 'controllers' && <ControllersTab domain={d} />}
        {current?.id === 'pip' && <PipTab domainId={domainId} />}
        {current?.id === 'evaluate' && <EvaluateTab domain={d} />}
        {current?.id === 'log' && <LogTab domain={d} txId={sub} />}
        {current?.id === 'settings' && <SettingsTab domain={d} />}
      </section>
    </>
  );
}
