/**
 * The audit trail: who changed what, when, under which transaction id, and how it ended. For a
 * project (its owner and collaborators), for the admin (everything), or one's own actions.
 */
import { useState } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../api/endpoints';
import type { AuditEntry, AuditFilter } from '../api/types';
import { ErrorBox, Loading } from '../components/status';
import { keys } from '../lib/query-client';
import { href } from '../lib/router';
import { useSession } from '../lib/session';
import { useTitle } from '../lib/use-title';

const FAMILIES = ['', 'policy', 'policy-version', 'deployment', 'pdp-config', 'controller', 'collaborator', 'pip', 'context-handler', 'domain', 'project', 'service', 'apikey', 'principal', 'guest'];

interface Draft {
  actor: string;
  action: string;
  outcome: string;
  from: string;
  to: string;
}

const EMPTY: Draft = { actor: '', action: '', outcome: '', from: '', to: '' };
const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);

function OutcomeBadge({ e }: { e: AuditEntry }) {
  if (e.outcome === 'succeeded') return <span className="badge badge-permit">succeeded</span>;
  if (e.outcome === 'failed') return <span className="badge badge-deny">failed{e.errorCode ? `: ${e.errorCode}` : ''}</span>;
  return <span className="badge badge-indeterminate" title="The outcome could not be recorded">outcome unknown</span>;
}

export function AuditPage({ projectId }: { projectId?: string }) {
  const me = useSession().principal;
  const admin = me?.roles.includes('admin') ?? false;
  const project = useQuery({ queryKey: keys.project(projectId ?? ''), queryFn: () => api.project(projectId ?? ''), enabled: projectId !== undefined });
  const title = projectId ? `Audit trail of ${project.data?.name ?? 'the project'}` : admin ? 'Audit trail' : 'My activity';
  useTitle(title);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [applied, setApplied] = useState<Draft>(EMPTY);
  const scope: AuditFilter = projectId ? { project: projectId } : admin ? {} : { actor: me?.id ?? '' };
  const filter: AuditFilter = {
    ...scope,
    ...(applied.actor.trim() && (projectId || admin) ? { actor: applied.actor.trim() } : {}),
    ...(applied.action ? { action: applied.action } : {}),
    ...(applied.outcome ? { outcome: applied.outcome } : {}),
    ...(toIso(applied.from) ? { from: toIso(applied.from) } : {}),
    ...(toIso(applied.to) ? { to: toIso(applied.to) } : {}),
  };
  const page = useInfiniteQuery({
    queryKey: keys.auditPage(filter),
    queryFn: ({ pageParam }) => api.audit({ ...filter, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = page.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      {projectId && (
        <nav className="crumbs" aria-label="Breadcrumb">
          <a href={href('projects')}>Projects</a> › <a href={href('projects', projectId)}>{project.data?.name ?? 'Project'}</a> › <span aria-current="page">Audit trail</span>
        </nav>
      )}
      <h1>{title}</h1>
      <p className="lead">
        {projectId
          ? 'Every change to this project and its domains: who made it, when, what it changed, and the transaction id its answer carried.'
          : admin
            ? 'Every change made through the API, by everyone.'
            : 'The changes you made: projects, policies, services, keys and more.'}
      </p>
      <form
        className="inline-form"
        aria-label="Filter the audit trail"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(draft);
        }}
      >
        {(projectId || admin) && (
          <label>
            Who (name)
            <input name="audit-actor" value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })} />
          </label>
        )}
        <label>
          What
          <select name="audit-action" value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })}>
            {FAMILIES.map((f) => (
              <option key={f} value={f}>
                {f === '' ? 'any change' : f}
              </option>
            ))}
          </select>
        </label>
        <label>
          Outcome
          <select name="audit-outcome" value={draft.outcome} onChange={(e) => setDraft({ ...draft, outcome: e.target.value })}>
            <option value="">any</option>
            <option value="succeeded">succeeded</option>
            <option value="failed">failed</option>
            <option value="pending">outcome unknown</option>
          </select>
        </label>
        <label>
          From
          <input type="datetime-local" name="audit-from" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </label>
        <label>
          To
          <input type="datetime-local" name="audit-to" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </label>
        <button type="submit" className="primary">
          Apply
        </button>
        <button type="button" onClick={() => void page.refetch()}>
          Refresh
        </button>
      </form>
      {page.isPending && <Loading what="the audit trail" />}
      {page.isError && <ErrorBox error={page.error} onRetry={() => void page.refetch()} />}
      {page.isSuccess && items.length === 0 && <p className="empty">No changes match.</p>}
      {items.length > 0 && (
        <table className="stack-sm" data-testid="audit-table">
          <caption className="sr-only">Changes, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">What</th>
              <th scope="col">Outcome</th>
              <th scope="col">Transaction</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.txId} data-action={e.action}>
                <td data-label="When">{new Date(e.time).toLocaleString()}</td>
                <td data-label="Who" data-testid="audit-actor">
                  {e.actor ? <span title={e.actor.id}>{e.actor.name}</span> : <span className="meta">anonymous</span>}
                </td>
                <td data-label="Action">
                  <code>{e.action}</code>
                </td>
                <td data-label="What">
                  {e.summary}
                  {e.details && e.outcome === 'failed' && typeof e.details.error === 'string' ? <div className="meta">{e.details.error}</div> : null}
                </td>
                <td data-label="Outcome">
                  <OutcomeBadge e={e} />
                </td>
                <td data-label="Transaction">
                  <code className="tx">{e.txId}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.hasNextPage && (
        <button type="button" disabled={page.isFetchingNextPage} onClick={() => void page.fetchNextPage()}>
          Load older changes
        </button>
      )}
    </>
  );
}
