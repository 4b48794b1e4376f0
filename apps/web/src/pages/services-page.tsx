/**
 * Service Repository: registered services (each with the principal that registered it), for each
 * UDF trust service the exact function signature a policy author needs; registering a service
 * from its descriptor URL (fetched by the server through its outbound policy) or a pasted
 * descriptor, checked in the browser with the repository's own schema; enable, disable, delete.
 */
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { parseServiceDescriptor } from '@safax/contracts';
import { ApiFailure } from '../api/client';
import { api } from '../api/endpoints';
import type { ServiceRecord } from '../api/types';
import { CodeBlock } from '../components/code-block';
import { useConfirm } from '../components/confirm';
import { CopyButton } from '../components/copy-button';
import { FieldError } from '../components/field-error';
import { ErrorBox, Loading, describeError } from '../components/status';
import { XmlEditor } from '../components/xml-editor';
import { keys } from '../lib/query-client';
import { useSession } from '../lib/session';
import { useUnsavedChanges } from '../lib/unsaved-changes';
import { useTitle } from '../lib/use-title';
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

interface Issue {
  readonly path: string;
  readonly message: string;
}

/** The pasted text as a descriptor, or what is wrong with it (the repository's own schema). */
function check(text: string): { descriptor?: unknown; issues: Issue[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { issues: [{ path: '', message: `not JSON: ${e instanceof Error ? e.message : String(e)}` }] };
  }
  const r = parseServiceDescriptor(json);
  if (r.success) return { descriptor: json, issues: [] };
  return { issues: r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) };
}

function RegisterService() {
  const queries = useQueryClient();
  const [url, setUrl] = useState('');
  const [text, setText] = useState('');
  const [issues, setIssues] = useState<Issue[]>([]);
  const [fetchedFrom, setFetchedFrom] = useState<string | null>(null);
  const [registered, setRegistered] = useState<string | null>(null);
  const urlError = useId();
  useUnsavedChanges(url.trim() !== '' || text.trim() !== '', 'a service descriptor not registered yet');

  const fetcher = useMutation({
    mutationFn: (u: string) => api.fetchDescriptor(u),
    onMutate: () => {
      setRegistered(null);
      setFetchedFrom(null);
      setIssues([]);
    },
    onSuccess: (r) => {
      setText(JSON.stringify(r.descriptor, null, 2));
      setFetchedFrom(r.url);
    },
  });
  const register = useMutation({
    mutationFn: (d: unknown) => api.registerService(d),
    onMutate: () => setRegistered(null),
    onSuccess: (s) => {
      setRegistered(`Registered ${s.descriptor.type} ${s.descriptor.id}${s.descriptor.functionUrn ? `: policies can call ${s.descriptor.functionUrn}` : ''}.`);
      setText('');
      setUrl('');
      setFetchedFrom(null);
      void queries.invalidateQueries({ queryKey: keys.services });
    },
    onError: (err) => setIssues(err instanceof ApiFailure ? err.issues.map((i) => ({ path: i.path ?? '', message: i.message ?? err.message })) : []),
  });

  const fetchError = fetcher.isError ? describeError(fetcher.error) : null;
  return (
    <section aria-labelledby="register-title" className="register">
      <h2 id="register-title">Register a service</h2>
      <p className="help">
        A trust service publishes its descriptor (for example at <code>/descriptor</code>). The server fetches it, checks it and shows it here; register it once it looks right. You become its
        registrant: only you can change, disable or delete it.
      </p>
      <form
        className="inline-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          fetcher.mutate(url.trim());
        }}
      >
        <label>
          Descriptor URL
          <input
            type="url"
            name="descriptor-url"
            required
            value={url}
            placeholder="https://trust.example/descriptor"
            onChange={(e) => setUrl(e.target.value)}
            aria-invalid={fetchError ? 'true' : undefined}
            aria-describedby={fetchError ? urlError : undefined}
          />
        </label>
        <button type="submit" disabled={fetcher.isPending || url.trim() === ''}>
          {fetcher.isPending ? 'Fetching…' : 'Fetch descriptor'}
        </button>
      </form>
      <FieldError id={urlError} message={fetchError} />
      <p className="help">…or paste the descriptor (JSON):</p>
      <XmlEditor label="Service descriptor (JSON)" language="json" value={text} onChange={setText} minHeight="10rem" />
      {fetchedFrom && (
        <p className="success" role="status">
          Fetched from <code>{fetchedFrom}</code> and valid. Review it, then register.
        </p>
      )}
      {issues.length > 0 && (
        <ul className="issues" aria-label="Problems in the descriptor" data-testid="descriptor-issues">
          {issues.map((i, n) => (
            <li key={n}>
              {i.path && <code>{i.path}</code>} {i.message}
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <button type="button" disabled={text.trim() === ''} onClick={() => setIssues(check(text).issues)}>
          Check
        </button>
        <button
          type="button"
          className="primary"
          disabled={register.isPending || text.trim() === ''}
          onClick={() => {
            const r = check(text);
            setIssues(r.issues);
            if (r.issues.length === 0) register.mutate(r.descriptor);
          }}
        >
          {register.isPending ? 'Registering…' : 'Register service'}
        </button>
      </div>
      {issues.length === 0 && register.isError && <ErrorBox error={register.error} title="The service was not registered" />}
      {registered && (
        <p className="success" role="status" data-testid="registered">
          {registered}
        </p>
      )}
    </section>
  );
}

function ServiceCard({ s, mayChange }: { s: ServiceRecord; mayChange: boolean }) {
  const queries = useQueryClient();
  const d = s.descriptor;
  const change = useMutation({ mutationFn: (run: () => Promise<unknown>) => run(), onSuccess: () => void queries.invalidateQueries({ queryKey: keys.services }) });
  const confirm = useConfirm((run) => change.mutate(() => Promise.resolve(run())));
  const selfClaim = d.provider.name ?? d.provider.id;
  return (
    <li className="service" data-testid={`service-${d.id}`}>
      <h3>
        <code>{d.id}</code> <span className="badge">{d.type}</span> {!s.enabled && <span className="badge badge-deny">disabled</span>}
      </h3>
      {d.description && <p>{d.description}</p>}
      <dl className="facts">
        <dt>Provider</dt>
        <dd data-testid="registered-by">
          {s.registeredByName ?? s.registeredBy}
          {selfClaim !== s.registeredByName && <span className="meta"> (its descriptor names {selfClaim})</span>}
        </dd>
        <dt>Endpoint</dt>
        <dd>
          <code>
            {d.method} {d.endpoint}
          </code>
        </dd>
        <dt>Messages</dt>
        <dd>
          request {d.requestFormat}, response {d.responseFormat}
        </dd>
      </dl>
      {d.type === 'udf' && (
        <>
          <h4>Function signature</h4>
          <p className="signature">
            <code data-testid="udf-signature">{signature(s)}</code> <CopyButton text={d.functionUrn ?? ''} label={`Copy the function URN of ${d.id}`} />
          </p>
          <ul>
            {d.requestParameters.map((p) => (
              <li key={p.name}>
                <code>{p.name}</code>: {p.datatype}
                {p.bag ? ' (bag)' : ''} {p.description ? `— ${p.description}` : ''}
              </li>
            ))}
          </ul>
          <details>
            <summary>How to call it in a policy</summary>
            <CodeBlock text={applySnippet(s)} label={`Apply snippet for ${d.id}`} copyLabel={`Copy the Apply snippet of ${d.id}`} />
          </details>
        </>
      )}
      {mayChange && s.domainId === undefined && (
        <div className="row">
          {s.enabled ? (
            <button
              type="button"
              className="small"
              onClick={() =>
                confirm.ask({
                  title: `Disable ${d.id}?`,
                  message: d.type === 'udf' ? `Policies calling ${d.functionUrn ?? d.id} stop compiling: their domains answer Indeterminate until it is enabled again.` : 'It is no longer called.',
                  label: 'Disable',
                  run: () => api.disableService(d.id),
                })
              }
            >
              Disable<span className="sr-only"> {d.id}</span>
            </button>
          ) : (
            <button type="button" className="small" onClick={() => change.mutate(() => api.enableService(d.id))}>
              Enable<span className="sr-only"> {d.id}</span>
            </button>
          )}
          <button
            type="button"
            className="small danger"
            onClick={() =>
              confirm.ask({
                title: `Delete ${d.id}?`,
                message: 'It leaves the Service Repository; policies that call it stop compiling. This cannot be undone.',
                label: 'Delete',
                run: () => api.deleteService(d.id),
              })
            }
          >
            Delete<span className="sr-only"> {d.id}</span>
          </button>
        </div>
      )}
      {change.isError && <ErrorBox error={change.error} />}
      {confirm.dialog}
    </li>
  );
}

export function ServicesPage() {
  useTitle('Service Repository');
  const session = useSession();
  const me = session.principal;
  const [type, setType] = useState('');
  const [text, setText] = useState('');
  const [query, setQuery] = useState({ type: '', q: '' });
  const services = useQuery({ queryKey: keys.serviceList(query), queryFn: () => api.services(query) });
  const admin = me?.roles.includes('admin') ?? false;
  const mayRegister = !session.guest && (me?.roles.some((r) => r === 'admin' || r === 'domain-owner' || r === 'domains-controller' || r === 'trust-service-provider') ?? false);
  return (
    <>
      <h1>Service Repository</h1>
      <p className="lead">Trust services, PDPs and context handlers registered with SAFAX-TS. A policy calls a UDF trust service by its function URN.</p>
      {mayRegister && <RegisterService />}
      <h2>Registered services</h2>
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
      {services.isPending && <Loading what="services" />}
      {services.isError && <ErrorBox error={services.error} onRetry={() => void services.refetch()} />}
      {services.data && services.data.items.length === 0 && <p className="empty">No services match.</p>}
      <ul className="services">
        {services.data?.items.map((s) => (
          <ServiceCard key={s.descriptor.id} s={s} mayChange={admin || s.registeredBy === me?.id} />
        ))}
      </ul>
    </>
  );
}
