/** One domain: header with its PDP-URL, and a tab per task (policies, PDP, PIP, evaluate, log, settings). */
import { api } from '../api/endpoints';
import { CopyButton } from '../components/copy-button';
import { ErrorBox, Loading } from '../components/status';
import { href } from '../lib/router';
import { useAsync } from '../lib/use-async';
import { EvaluateTab } from './domain/evaluate-tab';
import { LogTab } from './domain/log-tab';
import { PdpTab } from './domain/pdp-tab';
import { PipTab } from './domain/pip-tab';
import { PoliciesTab } from './domain/policies-tab';
import { SettingsTab } from './domain/settings-tab';

const TABS: readonly { id: string; label: string }[] = [
  { id: 'policies', label: 'Policies' },
  { id: 'pdp', label: 'PDP & URL' },
  { id: 'pip', label: 'Sample PIP' },
  { id: 'evaluate', label: 'Evaluate' },
  { id: 'log', label: 'Evaluation log' },
  { id: 'settings', label: 'Settings' },
];

export function DomainPage({ domainId, tab, sub }: { domainId: string; tab: string; sub: string | undefined }) {
  const domain = useAsync(() => api.domain(domainId), [domainId]);
  const project = useAsync(() => (domain.data ? api.project(domain.data.projectId) : Promise.resolve(undefined)), [domain.data?.projectId]);
  if (domain.loading && !domain.data) return <Loading what="the domain" />;
  if (domain.error !== undefined || !domain.data) return <ErrorBox error={domain.error} title="The domain could not be opened" onRetry={domain.reload} />;
  const d = domain.data;
  const current = TABS.find((t) => t.id === tab) ?? TABS[0];
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
        {current?.id === 'pip' && <PipTab domainId={domainId} />}
        {current?.id === 'evaluate' && <EvaluateTab domain={d} />}
        {current?.id === 'log' && <LogTab domain={d} txId={sub} />}
        {current?.id === 'settings' && <SettingsTab domain={d} onChange={domain.reload} />}
      </section>
    </>
  );
}
