/**
 * The evaluation log: filters (decision, time, caller by name, text in subject/action/resource/
 * transaction id), export of the filtered range (CSV, JSON Lines), a chart of decisions over
 * time, the list with subject, action and resource, and one transaction opened.
 */
import { useState } from 'react';
import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import type { DecisionFilter, Domain } from '../../api/types';
import { DecisionChart } from '../../components/decision-chart';
import { Explanation } from '../../components/explanation';
import { DecisionBadge, ErrorBox, Loading } from '../../components/status';
import { XmlEditor } from '../../components/xml-editor';
import { keys } from '../../lib/query-client';
import { href } from '../../lib/router';
import { useSession } from '../../lib/session';

const DECISIONS = ['Permit', 'Deny', 'NotApplicable', 'Indeterminate', 'Mixed'];

interface Draft {
  decision: string;
  from: string;
  to: string;
  callerName: string;
  q: string;
}

const EMPTY: Draft = { decision: '', from: '', to: '', callerName: '', q: '' };
const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);

function filterOf(d: Draft): DecisionFilter {
  const f: Record<string, string> = {};
  if (d.decision) f.decision = d.decision;
  const from = toIso(d.from);
  const to = toIso(d.to);
  if (from) f.from = from;
  if (to) f.to = to;
  if (d.callerName.trim()) f.callerName = d.callerName.trim();
  if (d.q.trim()) f.q = d.q.trim();
  return f;
}

function Entry({ domain, txId }: { domain: Domain; txId: string }) {
  const domainId = domain.id;
  const entry = useQuery({ queryKey: keys.decision(domainId, txId), queryFn: () => api.decision(domainId, txId) });
  if (entry.isPending) return <Loading what="the transaction" />;
  if (entry.isError) return <ErrorBox error={entry.error} onRetry={() => void entry.refetch()} />;
  const e = entry.data;
  const lang = (s: string) => (s.trimStart().startsWith('<') ? 'xml' : 'json');
  // JSON bodies are logged as sent (often one line): indent them for reading.
  const pretty = (s: string) => {
    if (lang(s) === 'xml') return s;
    try {
      return JSON.stringify(JSON.parse(s), null, 2);
    } catch {
      return s;
    }
  };
  return (
    <article className="log-entry" data-testid="log-entry">
      <p>
        <a href={href('domains', domainId, 'log')}>← Back to the log</a>
      </p>
      <h2>
        Transaction <code>{e.txId}</code>
      </h2>
      <dl className="facts">
        <dt>Decision</dt>
        <dd>
          <DecisionBadge decision={e.decision} />
        </dd>
        <dt>Time</dt>
        <dd>{new Date(e.time).toLocaleString()}</dd>
        <dt>Caller</dt>
        <dd>
          <code title={e.callerId ?? ''}>{e.callerId ? (e.callerName ?? e.callerId) : 'anonymous'}</code>
        </dd>
        {e.testedBy && (
          <>
            <dt>Test evaluation</dt>
            <dd data-testid="tested-by">run by {e.testedByName ?? e.testedBy} from the Evaluate page</dd>
          </>
        )}
        <dt>Subject</dt>
        <dd>{e.subject ?? '—'}</dd>
        <dt>Action</dt>
        <dd>{e.action ?? '—'}</dd>
        <dt>Resource</dt>
        <dd>{e.resource ?? '—'}</dd>
        <dt>Format</dt>
        <dd>{e.format}</dd>
        <dt>Status</dt>
        <dd>{e.status.replace('urn:oasis:names:tc:xacml:1.0:status:', '')}</dd>
        <dt>Obligations</dt>
        <dd>{e.obligations.length === 0 ? 'none' : e.obligations.join(', ')}</dd>
        <dt>Duration</dt>
        <dd>{e.durationMs} ms</dd>
      </dl>
      <h3>Why</h3>
      <Explanation domainId={domainId} entry={e} />
      <h3>Request</h3>
      {e.request ? <XmlEditor label="Logged request" value={pretty(e.request)} readOnly language={lang(e.request)} minHeight="6rem" /> : <p className="empty">Not kept (the PDP&apos;s log detail is not “full”).</p>}
      <h3>Response</h3>
      {e.response ? <XmlEditor label="Logged response" value={pretty(e.response)} readOnly language={lang(e.response)} minHeight="6rem" /> : <p className="empty">Not kept.</p>}
    </article>
  );
}

/** Saves a blob as a file, the way a download link would. */
function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function LogTab({ domain, txId }: { domain: Domain; txId: string | undefined }) {
  const me = useSession().principal;
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [applied, setApplied] = useState<Draft>(EMPTY);
  const filter = filterOf(applied);
  const page = useInfiniteQuery({
    queryKey: keys.decisionPage(domain.id, filter),
    queryFn: ({ pageParam }) => api.decisions(domain.id, { ...filter, limit: 100, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: txId === undefined,
  });
  const exporter = useMutation({
    mutationFn: (format: 'csv' | 'jsonl') => api.exportDecisions(domain.id, filter, format),
    onSuccess: (r) => saveFile(r.blob, r.filename),
  });

  if (txId) return <Entry domain={domain} txId={txId} />;
  const items = page.data?.pages.flatMap((p) => p.items) ?? [];
  const callers = [...domain.controllers.map((c) => c.name), ...(me ? [me.name] : [])];
  return (
    <>
      <h2>Evaluation log</h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(draft);
        }}
        aria-label="Filter the log"
      >
        <label>
          Search
          <input type="search" name="filter-q" value={draft.q} maxLength={200} placeholder="subject, action, resource, transaction" onChange={(e) => setDraft({ ...draft, q: e.target.value })} />
        </label>
        <label>
          Decision
          <select name="filter-decision" value={draft.decision} onChange={(e) => setDraft({ ...draft, decision: e.target.value })}>
            <option value="">any</option>
            {DECISIONS.map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </label>
        <label>
          Caller (name)
          <input name="filter-caller" list="known-callers" value={draft.callerName} onChange={(e) => setDraft({ ...draft, callerName: e.target.value })} />
          <datalist id="known-callers">
            {callers.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </label>
        <label>
          From
          <input type="datetime-local" name="filter-from" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </label>
        <label>
          To
          <input type="datetime-local" name="filter-to" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </label>
        <button type="submit" className="primary">
          Apply
        </button>
        <button
          type="button"
          onClick={() => {
            setDraft(EMPTY);
            setApplied(EMPTY);
          }}
        >
          Clear
        </button>
        <button type="button" onClick={() => void page.refetch()}>
          Refresh
        </button>
      </form>
      <div className="row">
        <span className="meta">Export what the filter selects:</span>
        <button type="button" className="small" disabled={exporter.isPending} onClick={() => exporter.mutate('csv')}>
          Download CSV
        </button>
        <button type="button" className="small" disabled={exporter.isPending} onClick={() => exporter.mutate('jsonl')}>
          Download JSON Lines
        </button>
      </div>
      {exporter.isError && <ErrorBox error={exporter.error} title="The export failed" />}
      {page.isPending && <Loading what="the log" />}
      {page.isError && <ErrorBox error={page.error} onRetry={() => void page.refetch()} />}
      {page.isSuccess && items.length === 0 && <p className="empty">No evaluations match. Try the Evaluate tab, or widen the filter.</p>}
      {items.length > 0 && (
        <>
          <DecisionChart items={items} />
          <table data-testid="log-table" className="stack-sm">
            <caption className="sr-only">Evaluations, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Decision</th>
                <th scope="col">Subject</th>
                <th scope="col">Action</th>
                <th scope="col">Resource</th>
                <th scope="col">Caller</th>
                <th scope="col">Policies that applied</th>
                <th scope="col">ms</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.txId}>
                  <td data-label="Time">
                    <a href={href('domains', domain.id, 'log', e.txId)}>
                      {new Date(e.time).toLocaleString()}
                      <span className="sr-only">
                        {' '}
                        — open transaction {e.txId} ({e.decision})
                      </span>
                    </a>
                  </td>
                  <td data-label="Decision">
                    <DecisionBadge decision={e.decision} />
                  </td>
                  <td data-label="Subject" data-testid="log-subject">
                    {e.subject ?? '—'}
                  </td>
                  <td data-label="Action">{e.action ?? '—'}</td>
                  <td data-label="Resource">{e.resource ?? '—'}</td>
                  <td data-label="Caller">
                    <code title={e.callerId ?? ''}>{e.callerId ? (e.callerName ?? e.callerId) : '—'}</code>
                    {e.testedBy ? <span className="meta"> (test)</span> : null}
                  </td>
                  <td data-label="Policies">{e.policies.join(', ') || '—'}</td>
                  <td data-label="ms">{e.durationMs}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.hasNextPage && (
            <button type="button" disabled={page.isFetchingNextPage} onClick={() => void page.fetchNextPage()}>
              Load older entries
            </button>
          )}
        </>
      )}
    </>
  );
}
