/**
 * Policy administration: the active set, upload (files) or paste/edit in the XML editor with
 * validation before saving (errors at their line; nothing invalid is stored), versions with a
 * diff, activate, and roll back deployments. Unsaved editor text and chosen files are guarded;
 * replacing the editor's text with the template asks first; every notice about a deployment is
 * shown only while the server still says that deployment is the active one.
 */
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiFailure } from '../../api/client';
import { api } from '../../api/endpoints';
import type { CompatibilityWarning, Deployment } from '../../api/types';
import { ConfirmDialog } from '../../components/confirm';
import { ErrorBox, Loading } from '../../components/status';
import { XmlEditor } from '../../components/xml-editor';
import { keys } from '../../lib/query-client';
import { href } from '../../lib/router';
import { useUnsavedChanges } from '../../lib/unsaved-changes';
import { checkPolicyXml } from '../../lib/xml-check';
import type { LineIssue } from '../../lib/xml-check';
import { PolicyDetail } from './policy-detail';

export const TEMPLATE = `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17"
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

/** What happened to the active set, and which deployment it made active (null: none). */
export interface DeploymentNotice {
  readonly text: string;
  readonly deployment: number | null;
}

export const describeSet = (d: Pick<Deployment, 'policies'>) => d.policies.map((p) => `${p.policyId} v${p.version}`).join(', ') || 'no policies';

/** Maps the server's issues (per document) and the browser's checks to editor lines. */
function issuesFor(err: unknown, docName: string | undefined): LineIssue[] {
  if (!(err instanceof ApiFailure)) return [];
  const list = err.issues.filter((i) => docName === undefined || i.document === undefined || i.document === docName);
  if (list.length === 0) return [{ line: undefined, message: err.message }];
  return list.map((i) => ({ line: i.line, message: `${i.message ?? err.message}${i.path ? ` (${i.path})` : ''}` }));
}

export function PoliciesTab({ domainId, policyId }: { domainId: string; policyId: string | undefined }) {
  const queries = useQueryClient();
  const policies = useQuery({ queryKey: keys.policies(domainId), queryFn: () => api.policies(domainId) });
  const deployments = useQuery({ queryKey: keys.deployments(domainId), queryFn: () => api.deployments(domainId) });
  const [text, setText] = useState(TEMPLATE);
  const [baseline, setBaseline] = useState(TEMPLATE);
  const [files, setFiles] = useState<Draft[]>([]);
  const [issues, setIssues] = useState<LineIssue[]>([]);
  const [fileIssues, setFileIssues] = useState<Record<string, LineIssue[]>>({});
  const [checked, setChecked] = useState<string | null>(null);
  /** Compatibility mode: what the last upload or validation was accepted with. */
  const [warnings, setWarnings] = useState<readonly CompatibilityWarning[]>([]);
  const [notice, setNotice] = useState<DeploymentNotice | null>(null);
  const [refused, setRefused] = useState<{ where: 'files' | 'editor'; error: unknown } | null>(null);
  const [fileInputKey, setFileInputKey] = useState(0);
  const [confirmRollback, setConfirmRollback] = useState<number | null | undefined>(undefined);
  const [askTemplate, setAskTemplate] = useState(false);
  useUnsavedChanges(text !== baseline, 'the policy in the editor is not saved');
  useUnsavedChanges(files.length > 0, 'policy files chosen but not deployed');

  const refresh = () => void queries.invalidateQueries({ queryKey: keys.domainPolicies(domainId) });
  // Between the list and a policy's page, read again what the server has active (others may have changed it).
  useEffect(() => {
    refresh();
  }, [policyId]);
  const announce = (n: DeploymentNotice) => {
    setNotice(n);
    refresh();
  };

  const validate = useMutation({
    mutationFn: () => api.validatePolicies(domainId, [{ text, name: 'editor' }]),
    onSuccess: (v) => {
      if (v.ok) {
        setWarnings(v.warnings ?? []);
        const d = v.documents[0];
        setChecked(d ? `Valid: ${d.kind} ${d.policyId}, version ${d.version} compiles with this domain's policies. Nothing was saved yet.` : 'Valid.');
      } else {
        setIssues(v.issues.map((i) => ({ line: i.line, message: `${i.message}${i.path ? ` (${i.path})` : ''}` })));
      }
    },
    onError: (err) => setIssues(issuesFor(err, undefined)),
  });

  const deploy = useMutation({
    mutationFn: (v: { docs: Draft[]; fromEditor: boolean }) => api.uploadPolicies(domainId, v.docs.map((d) => ({ text: d.text, name: d.name }))),
    onMutate: () => {
      setRefused(null);
      setNotice(null);
      setWarnings([]);
    },
    onSuccess: (r, v) => {
      if (v.fromEditor) {
        setIssues([]);
        setBaseline(text);
      } else {
        setFiles([]);
        setFileInputKey((k) => k + 1);
      }
      setFileIssues({});
      setWarnings(r.warnings ?? []);
      const saved = r.uploaded.map((u) => `${u.policyId} v${u.version}`).join(', ');
      announce({ text: r.deployment ? `Saved and deployed: ${saved}. Deployment #${r.deployment.number} is active: ${describeSet(r.deployment)}.` : `Saved (not activated): ${saved}.`, deployment: r.deployment?.number ?? null });
    },
    onError: (err, v) => {
      setRefused({ where: v.fromEditor ? 'editor' : 'files', error: err });
      if (v.fromEditor) setIssues(issuesFor(err, undefined));
      else setFileIssues(Object.fromEntries(v.docs.map((d) => [d.name, issuesFor(err, d.name)])));
    },
  });

  const rollback = useMutation({
    mutationFn: (n: number | undefined) => api.rollback(domainId, n),
    onMutate: () => setNotice(null),
    onSuccess: (r) => announce({ text: r.deployment ? `Rolled back: deployment #${r.deployment.number} is active: ${describeSet(r.deployment)}.` : 'Rolled back.', deployment: r.deployment?.number ?? null }),
  });
  const busy = validate.isPending || deploy.isPending || rollback.isPending;

  /** The browser's quick check (well-formed XML, a Policy/PolicySet root): no round trip for typos. */
  const checkLocally = (): boolean => {
    const r = checkPolicyXml(text);
    setIssues(r.issues);
    setRefused(null);
    return r.issues.length === 0;
  };

  const deployFiles = () => {
    const local: Record<string, LineIssue[]> = {};
    for (const f of files) {
      const r = checkPolicyXml(f.text);
      if (r.issues.length > 0) local[f.name] = r.issues;
    }
    setFileIssues(local);
    if (Object.keys(local).length > 0) {
      setRefused({ where: 'files', error: null });
      return;
    }
    deploy.mutate({ docs: files, fromEditor: false });
  };

  const readFiles = async (list: FileList | null) => {
    if (!list) return;
    const drafts = await Promise.all(Array.from(list).map(async (f) => ({ name: f.name, text: await f.text() })));
    setFiles(drafts);
    setFileIssues({});
    setRefused(null);
  };

  const loadTemplate = () => {
    setText(TEMPLATE);
    setBaseline(TEMPLATE);
    setIssues([]);
    setChecked(null);
  };

  // A notice about a deployment stands only while that deployment is active on the server.
  const active = deployments.data?.items.find((d) => d.active);
  const shownNotice = notice && (notice.deployment === null || notice.deployment === active?.number) ? notice : null;

  if (policyId)
    return (
      <PolicyDetail
        domainId={domainId}
        policyId={policyId}
        onChanged={announce}
        onEdit={(t) => {
          setText(t);
          setBaseline(t);
          setIssues([]);
          setChecked(null);
        }}
      />
    );

  const latestDeployment = deployments.data?.items[0];
  const anyFileIssues = Object.values(fileIssues).some((l) => l.length > 0);
  return (
    <>
      <h2>Active policies</h2>
      {deployments.data && (
        <p className="active-set" data-testid="active-set">
          {active ? (
            <>
              Active now: deployment #{active.number} — {describeSet(active)}
            </>
          ) : (
            'Nothing is active yet: the PDP answers NotApplicable.'
          )}
        </p>
      )}
      {policies.isPending && <Loading what="policies" />}
      {policies.isError && <ErrorBox error={policies.error} onRetry={() => void policies.refetch()} />}
      {policies.data && policies.data.items.length === 0 && <p className="empty">No policies yet: upload or write one below. Until then the PDP answers NotApplicable.</p>}
      {policies.data && policies.data.items.length > 0 && (
        <table data-testid="policy-table" className="stack-sm">
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
                <td data-label="Policy">
                  <a href={href('domains', domainId, 'policies', p.policyId)}>{p.policyId}</a>
                </td>
                <td data-label="Kind">{p.kind}</td>
                <td data-label="Active version">{p.activeVersion ?? <span className="meta">inactive</span>}</td>
                <td data-label="Versions">{p.versions.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {shownNotice && (
        <div className="success" role="status" data-testid="deployment-notice">
          {shownNotice.text}
        </div>
      )}

      {warnings.length > 0 && (
        <div className="warning" role="status" data-testid="upload-warnings">
          <strong>Accepted in compatibility mode</strong> (strict XACML 3.0 would refuse):
          <ul>
            {warnings.map((w, n) => (
              <li key={n}>
                <code>{w.code}</code> {w.line !== undefined && <span className="line-ref">line {w.line}: </span>}
                {w.message}
                {w.path !== '/' && <span className="help"> ({w.path})</span>}
              </li>
            ))}
          </ul>
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
      {refused?.where === 'files' && (
        <p className="issue" role="alert" data-testid="files-refused">
          <strong>Nothing was saved.</strong> {anyFileIssues ? 'Fix the problems named under each file and try again.' : refused.error instanceof ApiFailure ? refused.error.message : 'The upload failed.'}
        </p>
      )}
      {files.length > 0 && (
        <ul className="files">
          {files.map((f) => (
            <li key={f.name}>
              <code>{f.name}</code>
              {(fileIssues[f.name] ?? []).map((i, n) => (
                <div key={n} className="issue" data-testid="file-issue">
                  {i.line !== undefined && <span className="line-ref">line {i.line}: </span>}
                  {i.message}
                </div>
              ))}
            </li>
          ))}
        </ul>
      )}

      <h2>Write or paste a policy</h2>
      <p className="help">To change a policy, keep its PolicyId and raise its Version. Validate compiles it on the server with this domain&apos;s policies without saving anything; problems are marked at their line.</p>
      <XmlEditor label="Policy XML" value={text} onChange={setText} issues={issues} />
      {refused?.where === 'editor' && (
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
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            setChecked(null);
            if (checkLocally()) validate.mutate();
          }}
        >
          Validate
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => {
            setChecked(null);
            if (checkLocally()) deploy.mutate({ docs: [{ name: 'editor', text }], fromEditor: true });
          }}
        >
          {deploy.isPending ? 'Saving…' : 'Validate and save'}
        </button>
        <button type="button" onClick={() => (text === TEMPLATE ? loadTemplate() : setAskTemplate(true))}>
          Start from a template
        </button>
      </div>

      <h2>Deployment history</h2>
      <p className="help">Each change of the active set is a deployment. Rolling back re-activates an earlier set.</p>
      {deployments.isPending && <Loading what="deployments" />}
      {deployments.isError && <ErrorBox error={deployments.error} onRetry={() => void deployments.refetch()} />}
      {rollback.isError && <ErrorBox error={rollback.error} title="The rollback failed" />}
      {deployments.data && deployments.data.items.length > 0 && (
        <>
          <button type="button" disabled={busy || deployments.data.items.length < 2} onClick={() => setConfirmRollback(null)}>
            Roll back to the previous deployment
          </button>
          <table className="stack-sm" data-testid="deployments">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Why</th>
                <th scope="col">By</th>
                <th scope="col">Active set</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deployments.data.items.map((d) => (
                <tr key={d.number} aria-current={d.active ? 'true' : undefined}>
                  <td data-label="#">{d.number}</td>
                  <td data-label="When">{new Date(d.createdAt).toLocaleString()}</td>
                  <td data-label="Why">{d.reason}</td>
                  <td data-label="By">{d.createdByName ?? d.createdBy}</td>
                  <td data-label="Active set">{describeSet(d)}</td>
                  <td>
                    {d.active ? (
                      <span className="badge badge-permit">active</span>
                    ) : d.number === latestDeployment?.number ? null : (
                      <button type="button" className="small" onClick={() => setConfirmRollback(d.number)} aria-label={`Restore deployment ${d.number}`}>
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
        message={
          confirmRollback === null
            ? 'The previous active set of policies becomes active again. Every PDP-URL of this domain answers with it at once.'
            : `Deployment #${confirmRollback ?? ''} becomes the active set again. Every PDP-URL of this domain answers with it at once.`
        }
        confirmLabel="Roll back"
        tone="primary"
        onCancel={() => setConfirmRollback(undefined)}
        onConfirm={() => {
          const n = confirmRollback;
          setConfirmRollback(undefined);
          rollback.mutate(n ?? undefined);
        }}
      />
      <ConfirmDialog
        open={askTemplate}
        title="Replace the editor’s text?"
        message="The policy in the editor is replaced by the template. What you wrote there and did not save is lost."
        confirmLabel="Replace with the template"
        onCancel={() => setAskTemplate(false)}
        onConfirm={() => {
          setAskTemplate(false);
          loadTemplate();
        }}
      />
    </>
  );
}

