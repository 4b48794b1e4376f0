/**
 * One policy: its versions (who stored each; activate, after confirming), the text of a version,
 * and a diff between two versions.
 */
import { useEffect, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import { ConfirmDialog } from '../../components/confirm';
import { DiffView } from '../../components/diff-view';
import { ErrorBox, Loading } from '../../components/status';
import { XmlEditor } from '../../components/xml-editor';
import { keys } from '../../lib/query-client';
import { href, navigateAfterSave } from '../../lib/router';
import { useLeaveGuard } from '../../lib/unsaved-changes';
import { bumpVersion, withVersion } from '../../lib/xml-check';
import type { DeploymentNotice } from './policies-tab';
import { describeSet } from './policies-tab';

export function PolicyDetail({ domainId, policyId, onChanged, onEdit }: { domainId: string; policyId: string; onChanged(notice: DeploymentNotice): void; onEdit(text: string): void }) {
  const list = useQuery({ queryKey: keys.policies(domainId), queryFn: () => api.policies(domainId) });
  const summary = list.data?.items.find((p) => p.policyId === policyId);
  const versions = summary?.versions.map((v) => v.version) ?? [];
  const [shown, setShown] = useState<string | null>(null);
  const [left, setLeft] = useState<string>('');
  const [right, setRight] = useState<string>('');
  const [asked, setAsked] = useState<string | null>(null);
  const [done, setDone] = useState<(DeploymentNotice & { version: string }) | null>(null);
  const leave = useLeaveGuard();

  useEffect(() => {
    if (!summary) return;
    const latest = summary.versions[summary.versions.length - 1]?.version ?? '';
    setShown((s) => s ?? summary.activeVersion ?? latest);
    setRight((r) => r || latest);
    setLeft((l) => l || summary.versions[Math.max(0, summary.versions.length - 2)]?.version || latest);
  }, [summary]);

  const text = useQuery({ queryKey: keys.policyVersion(domainId, policyId, shown ?? ''), queryFn: () => api.policyVersion(domainId, policyId, shown ?? ''), enabled: shown !== null });
  const pair = left !== '' && right !== '' && left !== right;
  const leftText = useQuery({ queryKey: keys.policyVersion(domainId, policyId, left), queryFn: () => api.policyVersion(domainId, policyId, left), enabled: pair });
  const rightText = useQuery({ queryKey: keys.policyVersion(domainId, policyId, right), queryFn: () => api.policyVersion(domainId, policyId, right), enabled: pair });

  const activate = useMutation({
    mutationFn: (version: string) => api.activateVersion(domainId, policyId, version),
    onMutate: () => setDone(null),
    onSuccess: (r, version) => {
      const n: DeploymentNotice = { text: `Version ${version} of ${policyId} is now active. Deployment #${r.deployment.number} is active: ${describeSet(r.deployment)}.`, deployment: r.deployment.number };
      setDone({ ...n, version });
      onChanged(n);
    },
  });

  if (list.isPending) return <Loading what="the policy" />;
  if (list.isError) return <ErrorBox error={list.error} onRetry={() => void list.refetch()} />;
  if (!summary) return <ErrorBox error={new Error(`There is no policy ${policyId} in this domain.`)} />;

  return (
    <>
      <p>
        <a href={href('domains', domainId, 'policies')}>← All policies</a>
      </p>
      <h2>
        {summary.kind} <code>{policyId}</code>
      </h2>
      {activate.isError && <ErrorBox error={activate.error} title="The version was not activated" />}
      {/* Only while the server still has that version active. */}
      {done && summary.activeVersion === done.version && (
        <p className="success" role="status" data-testid="activation-notice">
          {done.text}
        </p>
      )}
      <table className="stack-sm">
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
              <td data-label="Version">
                {v.version} {v.version === summary.activeVersion && <span className="badge badge-permit">active</span>}
              </td>
              <td data-label="Stored">{new Date(v.createdAt).toLocaleString()}</td>
              <td data-label="By" data-testid="version-by">
                {v.createdByName ?? v.createdBy}
              </td>
              <td>
                <div className="row tight">
                  <button type="button" className="small" onClick={() => setShown(v.version)} aria-pressed={shown === v.version} aria-label={`View version ${v.version}`}>
                    View
                  </button>
                  {v.version !== summary.activeVersion && (
                    <button type="button" className="small" disabled={activate.isPending} onClick={() => setAsked(v.version)}>
                      Activate {v.version}
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>Version {shown}</h3>
      {text.isPending && shown !== null && <Loading what="the policy text" />}
      {text.isError && <ErrorBox error={text.error} onRetry={() => void text.refetch()} />}
      {text.data && (
        <>
          <XmlEditor label={`Policy ${policyId} version ${text.data.version}`} value={text.data.text} readOnly minHeight="10rem" />
          <button
            type="button"
            onClick={() => {
              const latest = versions[versions.length - 1] ?? text.data?.version ?? '1.0';
              const next = withVersion(text.data?.text ?? '', bumpVersion(latest));
              // The editor's unsaved text would be replaced: ask first.
              leave(() => {
                onEdit(next);
                navigateAfterSave('domains', domainId, 'policies');
              });
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
          {pair && (leftText.isPending || rightText.isPending) && <Loading what="the diff" />}
          {(leftText.isError || rightText.isError) && <ErrorBox error={leftText.error ?? rightText.error} />}
          {!pair && <p className="empty">Pick two different versions.</p>}
          {pair && leftText.data && rightText.data && <DiffView left={leftText.data.text} right={rightText.data.text} leftLabel={`version ${left}`} rightLabel={`version ${right}`} />}
        </>
      )}
      <ConfirmDialog
        open={asked !== null}
        title={`Activate version ${asked ?? ''}?`}
        message={`Version ${asked ?? ''} of ${policyId} replaces version ${summary.activeVersion ?? '(none)'} in the active set. Every PDP-URL of this domain decides with it at once.`}
        confirmLabel={`Activate ${asked ?? ''}`}
        tone="primary"
        onCancel={() => setAsked(null)}
        onConfirm={() => {
          const v = asked;
          setAsked(null);
          if (v) activate.mutate(v);
        }}
      />
    </>
  );
}
