/** The sample PIP: attributes the requests do not carry (e.g. resource photo-17 → type photo), edited row by row or in bulk as CSV. */
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import type { PipAttribute } from '../../api/types';
import { ConfirmDialog } from '../../components/confirm';
import { ErrorBox, Loading } from '../../components/status';
import { keys } from '../../lib/query-client';
import { useUnsavedChanges } from '../../lib/unsaved-changes';
import { CATEGORIES, CATEGORY_NAMES, DATATYPES, XS, shortUrn } from '../../lib/xacml';
import type { CategoryName } from '../../lib/xacml';

interface Row {
  category: CategoryName;
  entity: string;
  attribute: string;
  datatype: string;
  values: string;
}

const EMPTY: Row = { category: 'resource', entity: '', attribute: '', datatype: 'string', values: '' };

export function PipTab({ domainId }: { domainId: string }) {
  const queries = useQueryClient();
  const attrs = useQuery({ queryKey: keys.pip(domainId), queryFn: () => api.pip(domainId) });
  const [row, setRow] = useState<Row>(EMPTY);
  const [csv, setCsv] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [remove, setRemove] = useState<PipAttribute | null>(null);
  useUnsavedChanges(JSON.stringify(row) !== JSON.stringify(EMPTY), 'an attribute typed but not saved');
  useUnsavedChanges(csv.trim() !== '', 'CSV attributes not uploaded');

  const change = useMutation({
    mutationFn: (v: { run: () => Promise<unknown>; done: string; after?: () => void }) => v.run(),
    onMutate: () => setMessage(null),
    onSuccess: (_r, v) => {
      setMessage(v.done);
      v.after?.();
      void queries.invalidateQueries({ queryKey: keys.pip(domainId) });
    },
  });
  const busy = change.isPending;
  const error = change.isError ? change.error : null;
  const run = (p: () => Promise<unknown>, done: string, after?: () => void) => change.mutate({ run: p, done, ...(after ? { after } : {}) });

  const edit = (a: PipAttribute) => {
    const cat = (Object.entries(CATEGORIES).find(([, v]) => v === a.category)?.[0] ?? 'resource') as CategoryName;
    setRow({ category: cat, entity: a.entity, attribute: a.attribute, datatype: a.datatype.startsWith(XS) ? a.datatype.slice(XS.length) : a.datatype, values: a.values.join('\n') });
  };

  return (
    <>
      <h2>Sample PIP attributes</h2>
      <p className="help">
        Facts about subjects, resources and the environment that the domains controllers do not send. When a policy asks for an attribute the request lacks, the PDP looks it up here by the
        entity&apos;s id (subject-id, resource-id…).
      </p>
      {attrs.isPending && <Loading what="attributes" />}
      {attrs.isError && <ErrorBox error={attrs.error} onRetry={() => void attrs.refetch()} />}
      {attrs.data && attrs.data.items.length === 0 && <p className="empty">No attributes yet.</p>}
      {attrs.data && attrs.data.items.length > 0 && (
        <div className="table-wrap">
          <table data-testid="pip-table" className="stack-sm">
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col">Entity</th>
                <th scope="col">Attribute</th>
                <th scope="col">Datatype</th>
                <th scope="col">Values</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {attrs.data.items.map((a) => (
                <tr key={`${a.category}|${a.entity}|${a.attribute}`}>
                  <td data-label="Category">{shortUrn(a.category)}</td>
                  <td data-label="Entity">
                    <code>{a.entity}</code>
                  </td>
                  <td data-label="Attribute">
                    <code>{a.attribute}</code>
                  </td>
                  <td data-label="Datatype">{shortUrn(a.datatype)}</td>
                  <td data-label="Values">{a.values.join(', ')}</td>
                  <td>
                    <div className="row tight">
                    <button type="button" className="small" onClick={() => edit(a)} aria-label={`Edit ${a.attribute} of ${a.entity}`}>
                      Edit
                    </button>
                    <button type="button" className="small danger" onClick={() => setRemove(a)} aria-label={`Delete ${a.attribute} of ${a.entity}`}>
                      Delete
                    </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {message && (
        <p className="success" role="status">
          {message}
        </p>
      )}
      {error !== null && <ErrorBox error={error} title="The attributes were not changed" />}

      <h3>Add or change an attribute</h3>
      <form
        className="grid-form"
        onSubmit={(e) => {
          e.preventDefault();
          const values = row.values.split(/\n|,/).map((v) => v.trim()).filter((v) => v !== '');
          run(() => api.upsertPip(domainId, [{ category: CATEGORIES[row.category], entity: row.entity.trim(), attribute: row.attribute.trim(), datatype: row.datatype, values }]), 'Attribute saved.', () => setRow(EMPTY));
        }}
      >
        <label>
          Category
          <select name="pip-category" value={row.category} onChange={(e) => setRow({ ...row, category: e.target.value as CategoryName })}>
            {CATEGORY_NAMES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          Entity id
          <input name="pip-entity" required placeholder="photo-17" value={row.entity} onChange={(e) => setRow({ ...row, entity: e.target.value })} />
        </label>
        <label>
          Attribute id
          <input name="pip-attribute" required placeholder="urn:example:resource:type" value={row.attribute} onChange={(e) => setRow({ ...row, attribute: e.target.value })} />
        </label>
        <label>
          Datatype
          <select name="pip-datatype" value={row.datatype} onChange={(e) => setRow({ ...row, datatype: e.target.value })}>
            {DATATYPES.map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </label>
        <label className="wide">
          Values <span className="optional">(comma or one per line)</span>
          <textarea name="pip-values" rows={2} value={row.values} onChange={(e) => setRow({ ...row, values: e.target.value })} />
        </label>
        <div className="row wide">
          <button type="submit" className="primary" disabled={busy}>
            Save attribute
          </button>
          <button type="button" onClick={() => setRow(EMPTY)}>
            Clear
          </button>
        </div>
      </form>

      <h3>Bulk upload (CSV)</h3>
      <p className="help">
        Header <code>category,entity,attribute,datatype,value</code>; one value per row (repeat a row for more values).
      </p>
      <textarea aria-label="CSV attributes" name="pip-csv" rows={5} className="mono" value={csv} onChange={(e) => setCsv(e.target.value)} placeholder={'category,entity,attribute,datatype,value\nresource,photo-17,urn:example:resource:type,string,photo'} />
      <button type="button" disabled={busy || csv.trim() === ''} onClick={() => run(() => api.uploadPipCsv(domainId, csv), 'CSV uploaded.', () => setCsv(''))}>
        Upload CSV
      </button>
      <ConfirmDialog
        open={remove !== null}
        title="Delete this attribute?"
        message={remove ? `${remove.attribute} of ${remove.entity} will no longer be supplied to the PDP.` : ''}
        confirmLabel="Delete"
        onCancel={() => setRemove(null)}
        onConfirm={() => {
          const r = remove;
          setRemove(null);
          if (r) run(() => api.deletePip(domainId, { category: r.category, entity: r.entity, attribute: r.attribute }), 'Attribute deleted.');
        }}
      />
    </>
  );
}
