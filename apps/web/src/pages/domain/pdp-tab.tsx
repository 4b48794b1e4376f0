/** PDP configuration (root combining algorithm, options) and the PDP-URL with ready-to-paste curl examples. */
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import type { LogDetail, PdpConfig } from '../../api/types';
import { LOG_DETAILS } from '../../api/types';
import { CodeBlock } from '../../components/code-block';
import { CopyButton } from '../../components/copy-button';
import { ErrorBox, Loading } from '../../components/status';
import { keys } from '../../lib/query-client';
import { href } from '../../lib/router';
import { useUnsavedChanges } from '../../lib/unsaved-changes';
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

type Form = Pick<PdpConfig, 'rootCombiningAlgorithm' | 'returnPolicyIdList' | 'xpath' | 'compatibilityMode' | 'evaluationTimeoutMs' | 'logDetail' | 'trustedServices'> & {
  rootIds: string;
  /** As typed; empty: keep the log as long as the domain. */
  retentionDays: string;
};

const formOf = (c: PdpConfig): Form => ({
  rootCombiningAlgorithm: c.rootCombiningAlgorithm,
  rootIds: c.rootPolicyIds.join('\n'),
  returnPolicyIdList: c.returnPolicyIdList,
  xpath: c.xpath,
  compatibilityMode: c.compatibilityMode,
  evaluationTimeoutMs: c.evaluationTimeoutMs,
  logDetail: c.logDetail,
  retentionDays: c.logRetentionDays === null ? '' : String(c.logRetentionDays),
  trustedServices: c.trustedServices,
});

/** The typed retention as the API takes it (a value it refuses is sent as typed, so its error names it). */
const retentionOf = (typed: string): number | null => (typed.trim() === '' ? null : Number(typed));

// Pins compared as a set: unpinning and pinning again the same service is no change.
const canonical = (f: Form) => JSON.stringify({ ...f, trustedServices: Object.entries(f.trustedServices).sort(([a], [b]) => a.localeCompare(b)) });
const same = (a: Form, b: Form) => canonical(a) === canonical(b);

export function PdpTab({ domainId }: { domainId: string }) {
  const queries = useQueryClient();
  const config = useQuery({ queryKey: keys.pdpConfig(domainId), queryFn: () => api.pdpConfig(domainId) });
  const [form, setForm] = useState<Form | null>(null);
  const [saved, setSaved] = useState(false);
  const server = config.data ? formOf(config.data) : null;
  const dirty = form !== null && server !== null && !same(form, server);
  useUnsavedChanges(dirty, 'the PDP configuration is not saved');

  // Follow the server while there is nothing unsaved here.
  useEffect(() => {
    if (config.data && !dirty) setForm(formOf(config.data));
    // Only new server data matters; `dirty` is read as it is then.
  }, [config.data]);

  const save = useMutation({
    mutationFn: (f: Form) =>
      api.updatePdpConfig(domainId, {
        rootCombiningAlgorithm: f.rootCombiningAlgorithm,
        rootPolicyIds: f.rootIds.split(/[\s,]+/).filter((s) => s !== ''),
        returnPolicyIdList: f.returnPolicyIdList,
        xpath: f.xpath,
        compatibilityMode: f.compatibilityMode,
        evaluationTimeoutMs: f.evaluationTimeoutMs,
        logDetail: f.logDetail,
        logRetentionDays: retentionOf(f.retentionDays),
        trustedServices: f.trustedServices,
      }),
    onMutate: () => setSaved(false),
    onSuccess: (c) => {
      queries.setQueryData(keys.pdpConfig(domainId), c);
      setForm(formOf(c));
      setSaved(true);
    },
  });

  if (config.isPending) return <Loading what="the PDP configuration" />;
  if (config.isError || !form) return <ErrorBox error={config.error} onRetry={() => void config.refetch()} />;
  const alg = COMBINING_ALGORITHMS.find((a) => a.id === form.rootCombiningAlgorithm);
  const edit = (patch: Partial<Form>) => {
    setSaved(false);
    setForm({ ...form, ...patch });
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
      <p className="help">
        <code>$SAFAX_API_KEY</code> is the API key of one of this domain&apos;s domains controllers. <a href={href('domains', domainId, 'controllers')}>Onboard a controller</a> to get one, with these examples
        filled in for your policies.
      </p>
      {curlExamples(config.data.pdpUrl).map((ex) => (
        <details key={ex.id} className="example">
          <summary>{ex.title}</summary>
          <CodeBlock text={ex.text} label={`${ex.title} example`} copyLabel={`Copy the ${ex.title} example`} />
        </details>
      ))}

      <h2>Configuration</h2>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(form);
        }}
      >
        <label>
          Root combining algorithm
          <select name="root-alg" value={form.rootCombiningAlgorithm} onChange={(e) => edit({ rootCombiningAlgorithm: e.target.value })} aria-describedby="alg-help">
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
          <textarea name="root-ids" rows={2} value={form.rootIds} onChange={(e) => edit({ rootIds: e.target.value })} />
        </label>
        <label className="check">
          <input type="checkbox" checked={form.returnPolicyIdList} onChange={(e) => edit({ returnPolicyIdList: e.target.checked })} /> Always return the list of policies that applied
        </label>
        <label className="check">
          <input type="checkbox" checked={form.xpath} onChange={(e) => edit({ xpath: e.target.checked })} /> Allow XPath in policies
        </label>
        <label className="check">
          <input type="checkbox" name="compatibility-mode" checked={form.compatibilityMode} onChange={(e) => edit({ compatibilityMode: e.target.checked })} aria-describedby="compat-help" /> Compatibility
          mode (policies from other engines)
        </label>
        <p id="compat-help" className="help">
          Off: strict XACML 3.0. On: loads stores exported from lenient engines (WSO2/Balana, AT&amp;T) — duplicate rule ids, references to missing or refused policies
          (Indeterminate when reached), constant calls that fail (Indeterminate when evaluated), XPath prefixes taken from the request. Each upload lists what was accepted this way.
        </p>
        <label>
          Evaluation timeout (ms)
          <input type="number" min={1} max={60000} value={form.evaluationTimeoutMs} onChange={(e) => edit({ evaluationTimeoutMs: Number(e.target.value) })} />
        </label>
        <label>
          Decision log detail
          <select value={form.logDetail} onChange={(e) => edit({ logDetail: e.target.value as LogDetail })}>
            {LOG_DETAILS.map((l) => (
              <option key={l} value={l}>
                {l === 'full' ? 'full (request and response)' : l === 'decision' ? 'decision only' : 'none'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Keep decision log entries for (days) <span className="optional">(empty: as long as the domain exists)</span>
          <input type="number" name="log-retention-days" min={1} max={36500} value={form.retentionDays} onChange={(e) => edit({ retentionDays: e.target.value })} aria-describedby="retention-help" />
        </label>
        <p id="retention-help" className="help">
          Older entries are removed periodically (hourly by default). The log still verifies: a signed checkpoint records where the kept entries begin.
        </p>
        <TrustedServices pins={form.trustedServices} onChange={(trustedServices) => edit({ trustedServices })} />
        <div className="row">
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save configuration'}
          </button>
          {dirty && (
            <button type="button" onClick={() => server && setForm(server)}>
              Undo changes
            </button>
          )}
        </div>
        {saved && !dirty && (
          <p className="success" role="status">
            Saved. The PDP was re-initialised with this configuration.
          </p>
        )}
        {save.isError && <ErrorBox error={save.error} title="The configuration was not saved" />}
      </form>
    </>
  );
}

/**
 * Pinned trust services: for a function URN, the one udf service this domain's policies call.
 * Offered: the enabled udf services of the Service Repository.
 */
function TrustedServices({ pins, onChange }: { pins: Readonly<Record<string, string>>; onChange: (pins: Record<string, string>) => void }) {
  const services = useQuery({ queryKey: keys.serviceList({ type: 'udf' }), queryFn: () => api.services({ type: 'udf' }) });
  const [choice, setChoice] = useState('');
  const offered = (services.data?.items ?? []).filter((s) => s.enabled && s.descriptor.functionUrn !== undefined && pins[s.descriptor.functionUrn] !== s.descriptor.id);
  const pinned = Object.entries(pins);
  const pin = () => {
    const s = offered.find((o) => o.descriptor.id === choice);
    if (!s?.descriptor.functionUrn) return;
    onChange({ ...pins, [s.descriptor.functionUrn]: s.descriptor.id });
    setChoice('');
  };
  const unpin = (urn: string) => {
    const { [urn]: _gone, ...rest } = pins;
    onChange(rest);
  };
  return (
    <fieldset className="stack" aria-describedby="pins-help">
      <legend>Pinned trust services</legend>
      <p id="pins-help" className="help">
        A pinned function is answered by that service only. If the service is later disabled or deleted, policies calling the function are Indeterminate rather than calling another
        provider. Unpinned functions go to the first enabled service registered for them.
      </p>
      {pinned.length === 0 ? (
        <p className="help">No function is pinned.</p>
      ) : (
        <table data-testid="trusted-services">
          <thead>
            <tr>
              <th scope="col">Function</th>
              <th scope="col">Service</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {pinned.map(([urn, serviceId]) => (
              <tr key={urn}>
                <td>
                  <code>{urn}</code>
                </td>
                <td>
                  <code>{serviceId}</code>
                </td>
                <td>
                  <button type="button" onClick={() => unpin(urn)} aria-label={`Unpin ${urn}`}>
                    Unpin
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {services.isError && <ErrorBox error={services.error} title="The trust services could not be listed" onRetry={() => void services.refetch()} />}
      {offered.length > 0 && (
        <div className="row">
          <label>
            Pin a trust service
            <select name="trust-pin" value={choice} onChange={(e) => setChoice(e.target.value)}>
              <option value="">Choose a service…</option>
              {offered.map((s) => (
                <option key={s.descriptor.id} value={s.descriptor.id}>
                  {`${s.descriptor.functionUrn ?? ''} — ${s.descriptor.id}${s.descriptor.provider.name ? ` (${s.descriptor.provider.name})` : ''}`}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={pin} disabled={choice === ''}>
            Pin
          </button>
        </div>
      )}
    </fieldset>
  );
}
