/** Service Repository view: registered services, and for each UDF trust service the exact function signature a policy author needs. */
import { useState } from 'react';
import { api } from '../api/endpoints';
import type { ServiceRecord } from '../api/types';
import { CopyButton } from '../components/copy-button';
import { ErrorBox, Loading } from '../components/status';
import { useAsync } from '../lib/use-async';
import { shortUrn } from '../lib/xacml';

const TYPES = ['', 'udf', 'pdp', 'pap', 'context-handler', 'other'];

export function signature(s: ServiceRecord): string {
  const d = s.descriptor;
  const args = d.requestParameters.map((p) => `${p.name}: ${shortUrn(p.datatype)}${p.bag ? '-bag' : ''}`).join(', ');
  const result = d.responseParameters[0];
  return `${d.functionUrn ?? d.id}(${args}) → ${result ? `${shortUrn(result.datatype)}${result.bag ? '-bag' : ''}` : '?'}`;
}

export function applySnippet(s: ServiceRecord): string {
  const d = s.descriptor;
  const args = d.requestParameters
    .map((p) =>
      p.bag
        ? `  <AttributeDesignator Category="…" AttributeId="…" DataType="${p.datatype}" MustBePresent="false"/>`
        : `  <Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:${shortUrn(p.datatype)}-one-and-only">\n    <AttributeDesignator Category="…" AttributeId="…" DataType="${p.datatype}" MustBePresent="true"/>\n  </Apply>`,
    )
    .join('\n');
  return `<Apply FunctionId="${d.functionUrn ?? ''}">\n${args}\n</Apply>`;
}

export function ServicesPage() {
  const [type, setType] = useState('');
  const [text, setText] = useState('');
  const [query, setQuery] = useState({ type: '', q: '' });
  const services = useAsync(() => api.services(query), [query.type, query.q]);
  return (
    <>
      <h1>Service Repository</h1>
      <p className="lead">Trust services, PDPs and context handlers registered with SAFAX-TS. A policy calls a UDF trust service by its function URN.</p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ type, q: text.trim() });
        }}
      >
        <label>
          Type
          <select name="service-type" value={type} onChange={(e) => setType(e.target.value)}>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t === '' ? 'any' : t}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder="id or description" />
        </label>
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      {services.loading && <Loading what="services" />}
      {services.error !== undefined && <ErrorBox error={services.error} onRetry={services.reload} />}
      {services.data && services.data.items.length === 0 && <p className="empty">No services match.</p>}
      <ul className="services">
        {services.data?.items.map((s) => (
          <li key={s.descriptor.id} className="service">
            <h2>
              <code>{s.descriptor.id}</code> <span className="badge">{s.descriptor.type}</span> {!s.enabled && <span className="badge badge-deny">disabled</span>}
            </h2>
            {s.descriptor.description && <p>{s.descriptor.description}</p>}
            <dl className="facts">
              <dt>Provider</dt>
              <dd>{s.descriptor.provider.name ?? s.descriptor.provider.id}</dd>
              <dt>Endpoint</dt>
              <dd>
                <code>
                  {s.descriptor.method} {s.descriptor.endpoint}
                </code>
              </dd>
              <dt>Messages</dt>
              <dd>
                request {s.descriptor.requestFormat}, response {s.descriptor.responseFormat}
              </dd>
            </dl>
            {s.descriptor.type === 'udf' && (
              <>
                <h3>Function signature</h3>
                <p className="signature">
                  <code data-testid="udf-signature">{signature(s)}</code> <CopyButton text={s.descriptor.functionUrn ?? ''} label={`Copy the function URN of ${s.descriptor.id}`} />
                </p>
                <ul>
                  {s.descriptor.requestParameters.map((p) => (
                    <li key={p.name}>
                      <code>{p.name}</code>: {p.datatype}
                      {p.bag ? ' (bag)' : ''} {p.description ? `— ${p.description}` : ''}
                    </li>
                  ))}
                </ul>
                <details>
                  <summary>How to call it in a policy</summary>
                  <pre className="mono">{applySnippet(s)}</pre>
                  <CopyButton text={applySnippet(s)} label="Copy the Apply snippet" />
                </details>
              </>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
