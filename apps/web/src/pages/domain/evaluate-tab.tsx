/**
 * Test evaluation: compose a request with a form or paste XACML XML / JSON / AuthZEN, evaluate it
 * through the domain's PDP as yourself or as one of its authorised domains controllers (the API's
 * test evaluation: no controller key needed, the call is logged as that controller's), and read
 * the decision, status, obligations, advice, the policies that applied and the PDP's trace.
 * The form is kept per domain for this browser tab (tab switches and reloads keep it); the
 * decision is announced in a live region and the result takes the focus.
 */
import { useEffect, useRef, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import type { Domain, TestEvaluationResult, TestFormat } from '../../api/types';
import { CodeBlock } from '../../components/code-block';
import { Explanation } from '../../components/explanation';
import { DecisionBadge, ErrorBox } from '../../components/status';
import { XmlEditor } from '../../components/xml-editor';
import { labelFor, principalLabel } from '../../lib/principal-names';
import { href } from '../../lib/router';
import { useStoredState } from '../../lib/stored-state';
import { ATTR, CATEGORY_NAMES, DATATYPES, readAuthzenResponse, readJsonResponse, readXmlResponse, shortUrn, toAuthzen, toXacmlJson, toXacmlXml } from '../../lib/xacml';
import type { CategoryName, FormAttribute, ReadResult } from '../../lib/xacml';

type Format = 'xml' | 'json' | 'authzen';
const FORMAT_LABEL: Record<Format, string> = { xml: 'XACML XML', json: 'XACML JSON', authzen: 'AuthZEN' };
const API_FORMAT: Record<Format, TestFormat> = { xml: 'xacml-xml', json: 'xacml-json', authzen: 'authzen' };

const DEFAULT_ROWS: FormAttribute[] = [
  { category: 'subject', id: ATTR.subjectId, datatype: 'string', value: '' },
  { category: 'action', id: ATTR.actionId, datatype: 'string', value: '' },
  { category: 'resource', id: ATTR.resourceId, datatype: 'string', value: '' },
];

/** How the PDP reads an AuthZEN request (the same table as apps/api/README.md). */
const AUTHZEN_MAPPING: readonly [string, string, string][] = [
  ['subject.id', 'access-subject', ATTR.subjectId],
  ['subject.type', 'access-subject', 'urn:safax:1.0:authzen:subject:type'],
  ['subject.properties.P', 'access-subject', 'P if it contains ":", else urn:safax:1.0:authzen:subject:P'],
  ['action.name', 'action', ATTR.actionId],
  ['action.properties.P', 'action', 'P or urn:safax:1.0:authzen:action:P'],
  ['resource.id', 'resource', ATTR.resourceId],
  ['resource.type', 'resource', 'urn:safax:1.0:authzen:resource:type'],
  ['resource.properties.P', 'resource', 'P or urn:safax:1.0:authzen:resource:P'],
  ['context.P', 'environment', 'P or urn:safax:1.0:authzen:context:P'],
];

function AuthzenMappingHelp({ open }: { open: boolean }) {
  return (
    <details className="example" open={open} data-testid="authzen-mapping">
      <summary>How an AuthZEN request maps to XACML</summary>
      <div className="table-wrap">
        <table>
          <caption>AuthZEN member → XACML attribute</caption>
          <thead>
            <tr>
              <th scope="col">AuthZEN</th>
              <th scope="col">Category</th>
              <th scope="col">Attribute id</th>
            </tr>
          </thead>
          <tbody>
            {AUTHZEN_MAPPING.map(([member, category, id]) => (
              <tr key={member}>
                <td>
                  <code>{member}</code>
                </td>
                <td>{category}</td>
                <td>
                  <code>{id}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="help">
        Strings, numbers and booleans are values (datatypes as the XACML JSON Profile infers them); arrays are bags; <code>null</code> and <code>[]</code> give no value; an object gives each
        member as an attribute with a dotted id (<code>record.title</code>) and its JSON text as the property itself. Unknown members are ignored; members beside type/id/name/properties (as
        draft 00 sent them) are read as properties.
      </p>
      <p className="warning" role="note">
        Properties a PEP sends take precedence over the sample PIP and the Context Handler: they are asked only for attributes the request lacks. A PEP that sends a role decides with that role.
      </p>
    </details>
  );
}

function build(format: Format, rows: readonly FormAttribute[]): string {
  return format === 'xml' ? toXacmlXml(rows) : format === 'json' ? toXacmlJson(rows) : toAuthzen(rows);
}

export function EvaluateTab({ domain }: { domain: Domain }) {
  const stored = (name: string) => `safax.evaluate.${domain.id}.${name}`;
  const [mode, setMode] = useStoredState<'form' | 'paste'>(stored('mode'), () => 'form');
  const [format, setFormat] = useStoredState<Format>(stored('format'), () => 'json');
  const [rows, setRows] = useStoredState<FormAttribute[]>(stored('rows'), () => DEFAULT_ROWS);
  const [pasted, setPasted] = useStoredState(stored('pasted'), () => build('xml', DEFAULT_ROWS));
  const [storedSendAs, setSendAs] = useStoredState<string>(stored('send-as'), () => '');
  // A controller withdrawn since is no longer offered.
  const sendAs = domain.controllers.some((c) => c.id === storedSendAs) ? storedSendAs : '';
  const [outcome, setOutcome] = useState<{ results: ReadResult[]; result: TestEvaluationResult; format: Format } | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const resultRef = useRef<HTMLElement>(null);

  const body = mode === 'form' ? build(format, rows) : pasted;

  const evaluate = useMutation({
    mutationFn: () => api.testEvaluate(domain.id, { format: API_FORMAT[format], body, ...(sendAs ? { asController: sendAs } : {}) }),
    onMutate: () => {
      setOutcome(null);
      setAnnouncement('Evaluating…');
    },
    onSuccess: (r) => {
      const results = format === 'xml' ? readXmlResponse(r.response) : format === 'json' ? readJsonResponse(r.response) : readAuthzenResponse(r.response);
      setOutcome({ results, result: r, format });
      setAnnouncement(`Decision: ${results.map((x) => x.decision).join(', ') || r.decision}.`);
    },
    onError: () => setAnnouncement('The PDP did not answer with a decision.'),
  });
  const busy = evaluate.isPending;
  const error = evaluate.isError ? evaluate.error : null;
  const send = () => evaluate.mutate();

  // The result lands below the form: bring it into view and give it the focus.
  useEffect(() => {
    if (!outcome) return;
    resultRef.current?.focus({ preventScroll: true });
    resultRef.current?.scrollIntoView({ block: 'start', behavior: 'instant' as ScrollBehavior });
  }, [outcome]);

  const setRow = (n: number, patch: Partial<FormAttribute>) => setRows(rows.map((r, i) => (i === n ? { ...r, ...patch } : r)));

  return (
    <>
      <h2>Evaluate a request</h2>
      <p className="help">
        Ask this domain&apos;s PDP what it would answer, exactly as a domains controller&apos;s PEP would: as that controller (its Context Handler supplies missing attributes). Test calls are logged
        in full, with the PDP&apos;s trace, and marked as your tests.
      </p>
      <fieldset className="row">
        <legend>Compose</legend>
        <label className="check">
          <input type="radio" name="mode" checked={mode === 'form'} onChange={() => setMode('form')} /> with a form
        </label>
        <label className="check">
          <input
            type="radio"
            name="mode"
            checked={mode === 'paste'}
            onChange={() => {
              setPasted(build(format, rows));
              setMode('paste');
            }}
          />{' '}
          paste a request
        </label>
      </fieldset>
      <fieldset className="row">
        <legend>Format</legend>
        {(Object.keys(FORMAT_LABEL) as Format[]).map((f) => (
          <label key={f} className="check">
            <input
              type="radio"
              name="format"
              checked={format === f}
              onChange={() => {
                setFormat(f);
                if (mode === 'paste') setPasted(build(f, rows));
              }}
            />{' '}
            {FORMAT_LABEL[f]}
          </label>
        ))}
      </fieldset>
      <AuthzenMappingHelp open={format === 'authzen'} />

      {mode === 'form' ? (
        <div className="table-wrap">
          <table className="attr-form">
            <caption>Attributes of the request</caption>
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col">Attribute id</th>
                <th scope="col">Datatype</th>
                <th scope="col">Value</th>
                <th scope="col">
                  <span className="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, n) => (
                <tr key={n}>
                  <td>
                    <select aria-label={`Category of attribute ${n + 1}`} value={r.category} onChange={(e) => setRow(n, { category: e.target.value as CategoryName })}>
                      {CATEGORY_NAMES.map((c) => (
                        <option key={c}>{c}</option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input aria-label={`Attribute id ${n + 1}`} value={r.id} onChange={(e) => setRow(n, { id: e.target.value })} />
                  </td>
                  <td>
                    <select aria-label={`Datatype of attribute ${n + 1}`} value={r.datatype} onChange={(e) => setRow(n, { datatype: e.target.value })}>
                      {DATATYPES.map((d) => (
                        <option key={d}>{d}</option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input aria-label={`${r.category} ${r.id.split(':').pop() ?? ''} value`} name={`value-${r.category}-${r.id.split(':').pop() ?? n}`} value={r.value} onChange={(e) => setRow(n, { value: e.target.value })} />
                  </td>
                  <td>
                    <button type="button" className="small" aria-label={`Remove attribute ${n + 1}`} onClick={() => setRows(rows.filter((_, i) => i !== n))}>
                      ✕
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" onClick={() => setRows([...rows, { category: 'environment', id: '', datatype: 'string', value: '' }])}>
            Add attribute
          </button>
        </div>
      ) : (
        <XmlEditor label="Request" language={format === 'xml' ? 'xml' : 'json'} value={pasted} onChange={setPasted} minHeight="12rem" />
      )}

      <div className="inline-form">
        <label>
          Send as
          <select name="send-as" value={sendAs} onChange={(e) => setSendAs(e.target.value)}>
            <option value="">myself (owner test call)</option>
            {domain.controllers.map((c) => (
              <option key={c.id} value={c.id}>
                domains controller {principalLabel(c)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" disabled={busy} onClick={send}>
          {busy ? 'Evaluating…' : 'Evaluate'}
        </button>
      </div>
      {domain.controllers.length === 0 && <p className="help">Authorise domains controllers in Settings to test as one of them.</p>}
      {mode === 'form' && (
        <details>
          <summary>Request that will be sent ({FORMAT_LABEL[format]})</summary>
          <CodeBlock text={body} label="Request that will be sent" />
        </details>
      )}
      {/* Always present, so screen readers hear the decision when it arrives. */}
      <p className="sr-only" role="status" aria-live="polite" data-testid="evaluation-announcement">
        {announcement}
      </p>

      {error !== null && <ErrorBox error={error} title="The PDP did not answer with a decision" />}
      {outcome && (
        <section className="result" aria-labelledby="result-title" data-testid="evaluation-result" ref={resultRef} tabIndex={-1}>
          <h3 id="result-title">Result</h3>
          {outcome.results.map((r, n) => (
            <div key={n} className="result-card">
              <p className="decision">
                Decision: <DecisionBadge decision={r.decision} />
              </p>
              <dl>
                <dt>Status</dt>
                <dd>
                  {shortUrn(r.status).replace('urn:oasis:names:tc:xacml:1.0:status:', '') || 'ok'}
                  {r.statusMessage ? ` — ${r.statusMessage}` : ''}
                </dd>
                <dt>Obligations</dt>
                <dd>{r.obligations.length === 0 ? 'none' : r.obligations.map((o) => <div key={o.id}><code>{o.id}</code> {o.assignments.map((a) => `${a.id}=${a.value}`).join(', ')}</div>)}</dd>
                <dt>Advice</dt>
                <dd>{r.advice.length === 0 ? 'none' : r.advice.map((o) => <div key={o.id}><code>{o.id}</code> {o.assignments.map((a) => `${a.id}=${a.value}`).join(', ')}</div>)}</dd>
                <dt>Policies that applied</dt>
                <dd>{(r.policies.length > 0 ? r.policies : outcome.result.policies).length === 0 ? 'none' : (r.policies.length > 0 ? r.policies : outcome.result.policies).map((p) => <div key={p}><code>{p}</code></div>)}</dd>
              </dl>
            </div>
          ))}
          <p>
            Sent as <strong>{outcome.result.callerId === sendAs && sendAs ? labelFor(sendAs, domain.controllers) : 'yourself'}</strong> · Transaction <code>{outcome.result.txId}</code> ·{' '}
            <a href={href('domains', domain.id, 'log', outcome.result.txId)}>Open in the evaluation log</a>
          </p>
          <h4>Why</h4>
          <Explanation domainId={domain.id} entry={{ txId: outcome.result.txId, decision: outcome.result.decision, policies: outcome.result.policies, trace: outcome.result.trace, calls: outcome.result.calls }} />
          <details>
            <summary>Raw response</summary>
            <CodeBlock text={outcome.result.response} label="Raw response" />
          </details>
        </section>
      )}
    </>
  );
}
