/**
 * Policy administration: the active set, upload (files) or paste/edit in the XML editor with
 * validation before saving (errors at their line; nothing invalid is stored), versions with a
 * diff, activate, and roll back deployments.
 */
import { useState } from 'react';
import { ApiFailure } from '../../api/client';
import { api } from '../../api/endpoints';
import type { UploadResult } from '../../api/types';
import { ConfirmDialog } from '../../components/confirm';
import { ErrorBox, Loading } from '../../components/status';
import { XmlEditor } from '../../components/xml-editor';
import { href } from '../../lib/router';
import { useAsync } from '../../lib/use-async';
import { checkPolicyXml } from '../../lib/xml-check';
import type { LineIssue } from '../../lib/xml-check';
import { PolicyDetail } from './policy-detail';

const TEMPLATE = `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17"
  PolicyId="urn:example:my-policy" Version="1.0"
  RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-unless-permit">
  <Description>Who may do what</Description>
  <Target/>
  <Rule RuleId="example-rule" Effect="Permit">
    <Target/>
  </Rule>
</Policy>
`;

interface Draft {
  readonly name: string;
  readonly text: string;
}

/** Maps the server's issues (per document) and the browser's checks to editor lines. */
function issuesFor(err: unknown, docName: string | undefined): LineIssue[] {
  if (!(err instanceof ApiFailure)) return [];
  const list = err.issues.filter((i) => docName === undefined || i.document === undefined || i.document === docName);
  if (list.length === 0) return [{ line: undefined, message: err.message }];
  return list.map((i) => ({ line: i.line, message: `${i.message ?? err.message}${i.path ? ` (${i.path})` : ''}` }));
}

export function PoliciesTab({ domainId, policyId }: { domainId: string; policyId: string | undefined }) {
  const policies = useAsync(() => api.policies(domainId), [domainId]);
  const deployments = useAsync(() => api.deployments(domainId), [domainId]);
  const [text, setText] = useState(TEMPLATE);
  const [files, setFiles] = useState<Draft[]>([]);
  const [issues, setIssues] = useState<LineIssue[]>([]);
  const [fileIssues, setFileIssues] = useState<Record<string, LineIssue[]>>({});
  const [checked, setChecked] = useState<string | null>(null);
  const [result, setResult] = useState<UploadResult | null>(null);
  const [error, setError] = useState<{ where: 'files' | 'editor' | 'history'; error: unknown } | null>(null);
  const [fileInputKey, setFileInputKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const [confirmRollback, setConfirmRollback] = useState<number | null | undefined>(undefined);

  const reloadAll = () => {
    policies.reload();
    deployments.reload();
  };

  /** The browser's quick check (well-formed XML, a Policy/PolicySet root): no round trip for typos. */
  const checkLocally = (): boolean => {
    const r = checkPolicyXml(text);
    setIssues(r.issues);
    setError(null);
    return r.issues.length === 0;
  };

  /** Validate: the server compiles it exactly like an upload (nothing is stored) and names the issues at their lines. */
  const validateEditor = async () => {
    setChecked(null);
    setResult(null);
    if (!checkLocally()) return;
    setBusy(true);
    try {
      const v = await api.validatePolicies(domainId, [{ text, name: 'editor' }]);
      if (v.ok) {
        const d = v.documents[0];
        setChecked(d ? `Valid: ${d.kind} ${d.policyId}, version ${d.version} compiles with this domain's policies. Nothing was saved yet.` : 'Valid.');
      } else {
        setIssues(v.issues.map((i) => ({ line: i.line, message: `${i.message}${i.path ? ` (${i.path})` : ''}` })));
      }
    } catch (err) {
      setError({ where: 'editor', error: err });
      setIssues(issuesFor(err, undefined));
    } finally {
      setBusy(false);
    }
  };

  const deploy = async (docs: Draft[], fromEditor: boolean) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await api.uploadPolicies(domainId, docs.map((d) => ({ text: d.text, name: d.name })));
      setResult(r);
      if (fromEditor) setIssues([]);
      else {
        setFiles([]);
        setFileInputKey((k) => k + 1);
      }
      setFileIssues({});
      reloadAll();
    } catch (err) {
      setError({ where: fromEditor ? 'editor' : 'files', error: err });
      if (fromEditor) setIssues(issuesFor(err, undefined));
      else setFileIssues(Object.fromEntries(docs.map((d) => [d.name, issuesFor(err, d.name)])));
    } finally {
      setBusy(false);
    }
  };

  const saveEditor = () => {
    setChecked(null);
    if (checkLocally()) void deploy([{ name: 'editor', text }], true);
  };

  const deployFiles = () => {
    const local: Record<string, LineIssue[]> = {};
    for (const f of files) {
      const r = checkPolicyXml(f.text);
      if (r.issues.length > 0) local[f.name] = r.issues;
    }
    setFileIssues(local);
    if (Object.keys(local).length > 0) {
      setError({ where: 'files', error: new Error('Some files are not valid policies; nothing was uploaded. Fix them and try again.') });
      return;
    }
    void deploy(files, false);
  };

  const readFiles = async (list: FileList | null) => {
    if (!list) return;
    const drafts = await Promise.all(Array.from(list).map(async (f) => ({ name: f.name, text: await f.text() })));
    setFiles(drafts);
    setFileIssues({});
    setError(null);
    setResult(null);
  };

  if (policyId) return <PolicyDetail domainId={domainId} policyId={policyId} onChanged={reloadAll} onEdit={(t) => setText(t)} />;

  const latestDeployment = deployments.data?.items[0];
  return (
    <>
      <h2>Active policies</h2>
      {policies.loading && <Loading what="policies" />}
      {policies.error !== undefined && <ErrorBox error={policies.error} onRetry={policies.reload} />}
      {policies.data && policies.data.items.length === 0 && <p className="empty">No policies yet: upload or write one below. Until then the PDP answers NotApplicable.</p>}
      {policies.data && policies.data.items.length > 0 && (
        <table data-testid="policy-table">
          <thead>
            <tr>
              <th scope="col">Policy</th>
              <th scope="col">Kind</th>
              <th scope="col">Active version</th>
              <th scope="col">Versions</th>
            </tr>
          </thead>
          <tbody>
            {policies.data.items.map((p) => (
              <tr key={p.policyId}>
                <td>
                  <a href={href('domains', domainId, 'policies', p.policyId)}>{p.policyId}</a>
                </td>
                <td>{p.kind}</td>
                <td>{p.activeVersion ?? <span className="meta">inactive</span>}</td>
                <td>{p.versions.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {result && (
        <div className="success" role="status">
          Saved and deployed: {result.uploaded.map((u) => `${u.policyId} v${u.version}`).join(', ')}
          {result.deployment ? ` (deployment #${result.deployment.number})` : ''}.
        </div>
      )}

      <h2>Upload policy files</h2>
      <p className="help">Choose one or more XACML files (.xml). They are deployed together, all or nothing.</p>
      <div className="inline-form">
        <label>
          Policy files
          <input key={fileInputKey} type="file" name="policy-files" accept=".xml,application/xml,text/xml" multiple onChange={(e) => void readFiles(e.target.files)} />
        </label>
        <button type="button" className="primary" disabled={busy || files.length === 0} onClick={deployFiles}>
          Validate and deploy {files.length > 0 ? `${files.length} file(s)` : ''}
        </button>
      </div>
      {files.length > 0 && (
        <ul className="files">
          {files.map((f) => (
            <li key={f.name}>
              <code>{f.name}</code>
              {(fileIssues[f.name] ?? []).map((i, n) => (
                <div key={n} className="issue" role="alert">
                  {i.line !== undefined && <span className="line-ref">line {i.line}: </span>}
                  {i.message}
                </div>
              ))}
            </li>
          ))}
        </ul>
      )}
      {error?.where === 'files' && <ErrorBox error={error.error} title="Nothing was saved" />}

      <h2>Write or paste a policy</h2>
      <p className="help">To change a policy, keep its PolicyId and raise its Version. Validate compiles it on the server with this domain&apos;s policies without saving anything; problems are marked at their line.</p>
      <XmlEditor label="Policy XML" value={text} onChange={setText} issues={issues} />
      {error?.where === 'editor' && (
        <p className="issue" role="alert">
          <strong>Nothing was saved.</strong> The server refused the policy:
        </p>
      )}
      {issues.length > 0 && (
        <ul className="issues" aria-label="Problems in the policy" data-testid="editor-issues">
          {issues.map((i, n) => (
            <li key={n}>
              {i.line !== undefined ? <span className="line-ref">Line {i.line}: </span> : null}
              {i.message}
            </li>
          ))}
        </ul>
      )}
      {checked && (
        <p className="success" role="status">
          {checked}
        </p>
      )}
      <div className="row">
        <button type="button" disabled={busy} onClick={() => void validateEditor()}>
          Validate
        </button>
        <button type="button" className="primary" disabled={busy} onClick={saveEditor}>
          {busy ? 'Saving…' : 'Validate and save'}
        </button>
        <button type="button" onClick={() => { setText(TEMPLATE); setIssues([]); }}>
          Start from a template
        </button>
      </div>

      <h2>Deployment history</h2>
      <p className="help">Each change of the active set is a deployment. Rolling back re-activates an earlier set.</p>
      {deployments.loading && <Loading what="deployments" />}
      {deployments.error !== undefined && <ErrorBox error={deployments.error} onRetry={deployments.reload} />}
      {error?.where === 'history' && <ErrorBox error={error.error} title="The rollback failed" />}
      {deployments.data && deployments.data.items.length > 0 && (
        <>
          <button type="button" disabled={busy || deployments.data.items.length < 2} onClick={() => setConfirmRollback(null)}>
            Roll back to the previous deployment
          </button>
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Why</th>
                <th scope="col">Active set</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deployments.data.items.map((d) => (
                <tr key={d.number}>
                  <td>{d.number}</td>
                  <td>{new Date(d.createdAt).toLocaleString()}</td>
                  <td>{d.reason}</td>
                  <td>{d.policies.map((p) => `${p.policyId} v${p.version}`).join(', ') || '—'}</td>
                  <td>
                    {d.active || d.number === latestDeployment?.number ? (
                      <span className="badge">current</span>
                    ) : (
                      <button type="button" className="small" onClick={() => setConfirmRollback(d.number)}>
                        Restore
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <ConfirmDialog
        open={confirmRollback !== undefined}
        title="Roll back?"
        message={confirmRollback === null ? 'The previous active set of policies becomes active again. Every PDP-URL of this domain answers with it at once.' : `Deployment #${confirmRollback ?? ''} becomes the active set again.`}
        confirmLabel="Roll back"
        onCancel={() => setConfirmRollback(undefined)}
        onConfirm={() => {
          const n = confirmRollback;
          setConfirmRollback(undefined);
          setBusy(true);
          api
            .rollback(domainId, n ?? undefined)
            .then(reloadAll, (err: unknown) => setError({ where: 'history', error: err }))
            .finally(() => setBusy(false));
        }}
      />
    </>
  );
}
