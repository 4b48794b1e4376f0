/** PDP configuration (root combining algorithm, options) and the PDP-URL with ready-to-paste curl examples. */
import { useEffect, useState } from 'react';
import { api } from '../../api/endpoints';
import type { LogDetail, PdpConfig } from '../../api/types';
import { LOG_DETAILS } from '../../api/types';
import { CopyButton } from '../../components/copy-button';
import { ErrorBox, Loading } from '../../components/status';
import { useAsync } from '../../lib/use-async';
import { ATTR, COMBINING_ALGORITHMS, XS } from '../../lib/xacml';

export function curlExamples(pdpUrl: string): { id: string; title: string; text: string }[] {
  const xml = `<Request xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" ReturnPolicyIdList="false" CombinedDecision="false">
  <Attributes Category="urn:oasis:names:tc:xacml:1.0:subject-category:access-subject">
    <Attribute AttributeId="${ATTR.subjectId}" IncludeInResult="false"><AttributeValue DataType="${XS}string">bob</AttributeValue></Attribute>
  </Attributes>
  <Attributes Category="urn:oasis:names:tc:xacml:3.0:attribute-category:action">
    <Attribute AttributeId="${ATTR.actionId}" IncludeInResult="false"><AttributeValue DataType="${XS}string">view</AttributeValue></Attribute>
  </Attributes>
  <Attributes Category="urn:oasis:names:tc:xacml:3.0:attribute-category:resource">
    <Attribute AttributeId="${ATTR.resourceId}" IncludeInResult="false"><AttributeValue DataType="${XS}string">photo-17</AttributeValue></Attribute>
  </Attributes>
</Request>`;
  const json = JSON.stringify({
    Request: {
      AccessSubject: { Attribute: [{ AttributeId: ATTR.subjectId, Value: 'bob' }] },
      Action: { Attribute: [{ AttributeId: ATTR.actionId, Value: 'view' }] },
      Resource: { Attribute: [{ AttributeId: ATTR.resourceId, Value: 'photo-17' }] },
    },
  });
  const authzen = JSON.stringify({ subject: { type: 'user', id: 'bob' }, action: { name: 'view' }, resource: { type: 'photo', id: 'photo-17' } });
  const auth = `-H "Authorization: Bearer $SAFAX_API_KEY"`;
  return [
    { id: 'xml', title: 'XACML 3.0 XML', text: `curl -X POST '${pdpUrl}' \\\n  ${auth} \\\n  -H 'Content-Type: application/xacml+xml' \\\n  --data-binary @- <<'EOF'\n${xml}\nEOF` },
    { id: 'json', title: 'XACML JSON Profile', text: `curl -X POST '${pdpUrl}' \\\n  ${auth} \\\n  -H 'Content-Type: application/xacml+json' \\\n  -d '${json}'` },
    { id: 'authzen', title: 'OpenID AuthZEN 1.0', text: `curl -X POST '${pdpUrl}/access/v1/evaluation' \\\n  ${auth} \\\n  -H 'Content-Type: application/json' \\\n  -d '${authzen}'` },
  ];
}

export function PdpTab({ domainId }: { domainId: string }) {
  const config = useAsync(() => api.pdpConfig(domainId), [domainId]);
  const [form, setForm] = useState<PdpConfig | null>(null);
  const [rootIds, setRootIds] = useState('');
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (config.data) {
      setForm(config.data);
      setRootIds(config.data.rootPolicyIds.join('\n'));
    }
  }, [config.data]);

  if (config.loading && !config.data) return <Loading what="the PDP configuration" />;
  if (config.error !== undefined || !config.data || !form) return <ErrorBox error={config.error} onRetry={config.reload} />;
  const alg = COMBINING_ALGORITHMS.find((a) => a.id === form.rootCombiningAlgorithm);

  const save = () => {
    setBusy(true);
    setSaved(false);
    setError(null);
    api
      .updatePdpConfig(domainId, {
        rootCombiningAlgorithm: form.rootCombiningAlgorithm,
        rootPolicyIds: rootIds.split(/[\s,]+/).filter((s) => s !== ''),
        returnPolicyIdList: form.returnPolicyIdList,
        xpath: form.xpath,
        evaluationTimeoutMs: form.evaluationTimeoutMs,
        logDetail: form.logDetail,
      })
      .then((c) => {
        setForm(c);
        setSaved(true);
      }, setError)
      .finally(() => setBusy(false));
  };

  return (
    <>
      <h2>PDP-URL</h2>
      <p className="help">Give this URL to the cloud provider (domains controller) of this domain. Its PEP sends access requests here.</p>
      <p className="pdp-url big">
        <code data-testid="pdp-url">{config.data.pdpUrl}</code>
        <CopyButton text={config.data.pdpUrl} label="Copy the PDP-URL" />
      </p>
      <h3>Examples</h3>
      {curlExamples(config.data.pdpUrl).map((ex) => (
        <details key={ex.id} className="example">
          <summary>{ex.title}</summary>
          <pre>
            <code>{ex.text}</code>
          </pre>
          <CopyButton text={ex.text} label={`Copy the ${ex.title} example`} />
        </details>
      ))}

      <h2>Configuration</h2>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <label>
          Root combining algorithm
          <select name="root-alg" value={form.rootCombiningAlgorithm} onChange={(e) => setForm({ ...form, rootCombiningAlgorithm: e.target.value })} aria-describedby="alg-help">
            {COMBINING_ALGORITHMS.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
            {!alg && <option value={form.rootCombiningAlgorithm}>{form.rootCombiningAlgorithm}</option>}
          </select>
        </label>
        <p id="alg-help" className="help">
          How the decisions of your policies are combined. {alg?.help}
        </p>
        <label>
          Root policies <span className="optional">(one id per line; empty: every active policy)</span>
          <textarea name="root-ids" rows={2} value={rootIds} onChange={(e) => setRootIds(e.target.value)} />
        </label>
        <label className="check">
          <input type="checkbox" checked={form.returnPolicyIdList} onChange={(e) => setForm({ ...form, returnPolicyIdList: e.target.checked })} /> Always return the list of policies that applied
        </label>
        <label className="check">
          <input type="checkbox" checked={form.xpath} onChange={(e) => setForm({ ...form, xpath: e.target.checked })} /> Allow XPath in policies
        </label>
        <label>
          Evaluation timeout (ms)
          <input type="number" min={1} max={60000} value={form.evaluationTimeoutMs} onChange={(e) => setForm({ ...form, evaluationTimeoutMs: Number(e.target.value) })} />
        </label>
        <label>
          Decision log detail
          <select value={form.logDetail} onChange={(e) => setForm({ ...form, logDetail: e.target.value as LogDetail })}>
            {LOG_DETAILS.map((l) => (
              <option key={l} value={l}>
                {l === 'full' ? 'full (request and response)' : l === 'decision' ? 'decision only' : 'none'}
              </option>
            ))}
          </select>
        </label>
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save configuration'}
          </button>
        </div>
        {saved && (
          <p className="success" role="status">
            Saved. The PDP was re-initialised with this configuration.
          </p>
        )}
        {error !== null && <ErrorBox error={error} title="The configuration was not saved" />}
      </form>
    </>
  );
}
