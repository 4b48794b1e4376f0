/** One policy: its versions (activate), the text of a version, and a diff between two versions. */
import { useEffect, useState } from 'react';
import { api } from '../../api/endpoints';
import { DiffView } from '../../components/diff-view';
import { ErrorBox, Loading } from '../../components/status';
import { XmlEditor } from '../../components/xml-editor';
import { href, navigate } from '../../lib/router';
import { useAsync } from '../../lib/use-async';
import { bumpVersion, withVersion } from '../../lib/xml-check';

export function PolicyDetail({ domainId, policyId, onChanged, onEdit }: { domainId: string; policyId: string; onChanged(): void; onEdit(text: string): void }) {
  const list = useAsync(() => api.policies(domainId), [domainId]);
  const summary = list.data?.items.find((p) => p.policyId === policyId);
  const versions = summary?.versions.map((v) => v.version) ?? [];
  const [shown, setShown] = useState<string | null>(null);
  const [left, setLeft] = useState<string>('');
  const [right, setRight] = useState<string>('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!summary) return;
    const latest = summary.versions[summary.versions.length - 1]?.version ?? '';
    setShown((s) => s ?? summary.activeVersion ?? latest);
    setRight((r) => r || latest);
    setLeft((l) => l || summary.versions[Math.max(0, summary.versions.length - 2)]?.version || latest);
  }, [summary]);

  const text = useAsync(() => (shown ? api.policyVersion(domainId, policyId, shown) : Promise.resolve(undefined)), [domainId, policyId, shown]);
  const diff = useAsync(
    () => (left && right && left !== right ? Promise.all([api.policyVersion(domainId, policyId, left), api.policyVersion(domainId, policyId, right)]) : Promise.resolve(undefined)),
    [domainId, policyId, left, right],
  );

  if (list.loading && !list.data) return <Loading what="the policy" />;
  if (list.error !== undefined) return <ErrorBox error={list.error} onRetry={list.reload} />;
  if (!summary) return <ErrorBox error={new Error(`There is no policy ${policyId} in this domain.`)} />;

  const activate = (version: string) => {
    setBusy(true);
    setError(null);
    api
      .activateVersion(domainId, policyId, version)
      .then(() => {
        list.reload();
        text.reload();
        onChanged();
      }, setError)
      .finally(() => setBusy(false));
  };

  return (
    <>
      <p>
        <a href={href('domains', domainId, 'policies')}>← All policies</a>
      </p>
      <h2>
        {summary.kind} <code>{policyId}</code>
      </h2>
      {error !== null && <ErrorBox error={error} title="The version was not activated" />}
      <table>
        <caption>Versions (the active one answers at the PDP-URL)</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Stored</th>
            <th scope="col">By</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {summary.versions.map((v) => (
            <tr key={v.version} aria-current={v.version === summary.activeVersion ? 'true' : undefined}>
              <td>
                {v.version} {v.version === summary.activeVersion && <span className="badge badge-permit">active</span>}
              </td>
              <td>{new Date(v.createdAt).toLocaleString()}</td>
              <td>
                <code>{v.createdBy}</code>
              </td>
              <td>
<div className="row tight">
                <button type="button" className="small" onClick={() => setShown(v.version)} aria-pressed={shown === v.version}>
                  View
                </button>
                {v.version !== summary.activeVersion && (
                  <button type="button" className="small" disabled={busy} onClick={() => activate(v.version)}>
                    Activate {v.version}
                  </button>
                )}
              </div></td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>Version {shown}</h3>
      {text.loading && <Loading what="the policy text" />}
      {text.error !== undefined && <ErrorBox error={text.error} onRetry={text.reload} />}
      {text.data && (
        <>
          <XmlEditor label={`Policy ${policyId} version ${text.data.version}`} value={text.data.text} readOnly minHeight="10rem" />
          <button
            type="button"
            onClick={() => {
              const latest = versions[versions.length - 1] ?? text.data?.version ?? '1.0';
              onEdit(withVersion(text.data?.text ?? '', bumpVersion(latest)));
              navigate('domains', domainId, 'policies');
            }}
          >
            Edit as a new version
          </button>
        </>
      )}

      <h3>Compare versions</h3>
      {versions.length < 2 ? (
        <p className="empty">Only one version so far.</p>
      ) : (
        <>
          <div className="inline-form">
            <label>
              From
              <select value={left} onChange={(e) => setLeft(e.target.value)}>
                {versions.map((v) => (
                  <option key={v}>{v}</option>
                ))}
              </select>
            </label>
            <label>
              To
              <select value={right} onChange={(e) => setRight(e.target.value)}>
                {versions.map((v) => (
                  <option key={v}>{v}</option>
                ))}
              </select>
            </label>
          </div>
          {diff.loading && <Loading what="the diff" />}
          {diff.error !== undefined && <ErrorBox error={diff.error} />}
          {left === right && <p className="empty">Pick two different versions.</p>}
          {diff.data && <DiffView left={diff.data[0].text} right={diff.data[1].text} leftLabel={`version ${left}`} rightLabel={`version ${right}`} />}
        </>
      )}
    </>
  );
}
