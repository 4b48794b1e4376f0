/** The evaluation log: filters, a chart of decisions over time, the list, and one transaction opened. */
import { useState } from 'react';
import { api } from '../../api/endpoints';
import type { DecisionEntry, Domain } from '../../api/types';
import { DecisionChart } from '../../components/decision-chart';
import { Explanation } from '../../components/explanation';
import { DecisionBadge, ErrorBox, Loading } from '../../components/status';
import { XmlEditor } from '../../components/xml-editor';
import { labelFor } from '../../lib/principal-names';
import { useSession } from '../../lib/session';
import { href } from '../../lib/router';
import { useAsync } from '../../lib/use-async';

const DECISIONS = ['Permit', 'Deny', 'NotApplicable', 'Indeterminate', 'Mixed'];

interface Filter {
  decision: string;
  from: string;
  to: string;
  caller: string;
}

const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);

function Entry({ domain, txId }: { domain: Domain; txId: string }) {
  const domainId = domain.id;
  const me = useSession().principal;
  const entry = useAsync(() => api.decision(domainId, txId), [domainId, txId]);
  if (entry.loading) return <Loading what="the transaction" />;
  if (entry.error !== undefined || !entry.data) return <ErrorBox error={entry.error} onRetry={entry.reload} />;
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
          <code title={e.callerId ?? ''}>{e.callerId ? labelFor(e.callerId, [...domain.controllers, me]) : 'anonymous'}</code>
        </dd>
        {e.testedBy && (
          <>
            <dt>Test evaluation</dt>
            <dd data-testid="tested-by">run by {labelFor(e.testedBy, [me])} from the Evaluate page</dd>
          </>
        )}
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

export function LogTab({ domain, txId }: { domain: Domain; txId: string | undefined }) {
  const me = useSession().principal;
  const [draft, setDraft] = useState<Filter>({ decision: '', from: '', to: '', caller: '' });
  const [filter, setFilter] = useState<Filter>(draft);
  const [more, setMore] = useState<DecisionEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const q = { decision: filter.decision || undefined, from: toIso(filter.from), to: toIso(filter.to), caller: filter.caller.trim() || undefined };
  const page = useAsync(async () => {
    const r = await api.decisions(domain.id, { ...q, limit: 100 });
    setMore([]);
    setCursor(r.nextCursor);
    return r;
  }, [domain.id, JSON.stringify(filter)]);
  const [moreError, setMoreError] = useState<unknown>(null);

  if (txId) return <Entry domain={domain} txId={txId} />;
  const items = [...(page.data?.items ?? []), ...more];
  return (
    <>
      <h2>Evaluation log</h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(draft);
        }}
        aria-label="Filter the log"
      >
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
          From
          <input type="datetime-local" name="filter-from" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </label>
        <label>
          To
          <input type="datetime-local" name="filter-to" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </label>
        <label>
          Controller (principal id)
          <input name="filter-caller" list="known-callers" value={draft.caller} onChange={(e) => setDraft({ ...draft, caller: e.target.value })} />
          <datalist id="known-callers">
            {[...domain.controllers, ...(me ? [me] : [])].map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </datalist>
        </label>
        <button type="submit" className="primary">
          Apply
        </button>
        <button type="button" onClick={page.reload}>
          Refresh
        </button>
      </form>
      {page.loading && <Loading what="the log" />}
      {page.error !== undefined && <ErrorBox error={page.error} onRetry={page.reload} />}
      {page.data && items.length === 0 && <p className="empty">No evaluations match. Try the Evaluate tab, or widen the filter.</p>}
      {items.length > 0 && (
        <>
          <DecisionChart items={items} />
          <div className="table-wrap">
            <table data-testid="log-table">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Decision</th>
                  <th scope="col">Caller</th>
                  <th scope="col">Format</th>
                  <th scope="col">Policies that applied</th>
                  <th scope="col">ms</th>
                </tr>
              </thead>
              <tbody>
                {items.map((e) => (
                  <tr key={e.txId}>
                    <td>
                      <a href={href('domains', domain.id, 'log', e.txId)} aria-label={`Open transaction ${e.txId} (${e.decision})`}>
                        {new Date(e.time).toLocaleString()}
                      </a>
                    </td>
                    <td>
                      <DecisionBadge decision={e.decision} />
                    </td>
                    <td>
                      <code title={e.callerId ?? ''}>{e.callerId ? labelFor(e.callerId, [...domain.controllers, me]) : '—'}</code>
                      {e.testedBy ? <span className="meta"> (test)</span> : null}
                    </td>
                    <td>{e.format}</td>
                    <td>{e.policies.join(', ') || '—'}</td>
                    <td>{e.durationMs}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {cursor && (
            <button
              type="button"
              onClick={() => {
                api.decisions(domain.id, { ...q, limit: 100, cursor }).then((r) => {
                  setMore((m) => [...m, ...r.items]);
                  setCursor(r.nextCursor);
                }, setMoreError);
              }}
            >
              Load older entries
            </button>
          )}
          {moreError !== null && <ErrorBox error={moreError} />}
        </>
      )}
    </>
  );
}
