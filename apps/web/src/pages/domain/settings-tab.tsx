/** Domain settings: rename, describe, public PDP-URL, the domains controllers allowed to call it, delete. */
import { useState } from 'react';
import { api } from '../../api/endpoints';
import type { Domain } from '../../api/types';
import { useConfirm } from '../../components/confirm';
import { PrincipalList } from '../../components/principal-list';
import { ErrorBox } from '../../components/status';
import { principalLabel } from '../../lib/principal-names';
import { navigate } from '../../lib/router';

export function SettingsTab({ domain, onChange }: { domain: Domain; onChange(): void }) {
  const [name, setName] = useState(domain.name);
  const [description, setDescription] = useState(domain.description ?? '');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = (p: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    setSaved(null);
    p()
      .then(() => {
        setSaved(done);
        onChange();
      }, setError)
      .finally(() => setBusy(false));
  };

  const confirm = useConfirm((task) => run(task, 'Done.'));

  return (
    <>
      <h2>Domain details</h2>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          run(() => api.updateDomain(domain.id, { name: name.trim(), description }), 'Saved.');
        }}
      >
        <label>
          Name
          <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Description
          <textarea rows={2} maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            Save
          </button>
        </div>
      </form>
      {saved && (
        <p className="success" role="status">
          {saved}
        </p>
      )}
      {error !== null && <ErrorBox error={error} />}

      <h2>Who may call the PDP-URL</h2>
      <label className="check">
        <input
          type="checkbox"
          checked={domain.publicPdp}
          onChange={(e) => {
            const on = e.target.checked;
            if (on)
              confirm.ask({
                title: 'Make the PDP-URL public?',
                message: 'Anyone who knows the PDP-URL can then ask for decisions, without an API key.',
                label: 'Make public',
                run: () => api.updateDomain(domain.id, { publicPdp: true }),
              });
            else run(() => api.updateDomain(domain.id, { publicPdp: false }), 'The PDP-URL needs an API key again.');
          }}
        />{' '}
        Anyone holding the PDP-URL (public)
      </label>
      <h3>Authorised domains controllers</h3>
      <PrincipalList
        items={domain.controllers}
        kind="controller"
        empty="None yet: only you and your collaborators can call this PDP."
        inputName="controller"
        addLabel="Authorise controller"
        busy={busy}
        onRemove={(c) => confirm.ask({ title: 'Remove this domains controller?', message: `${principalLabel(c)} will get 403 from the PDP-URL.`, label: 'Remove', run: () => api.removeController(domain.id, c.id) })}
        onAdd={(name, clear) => run(() => api.addController(domain.id, name).then(clear), 'Controller authorised.')}
      />

      <h2>Danger zone</h2>
      <button
        type="button"
        className="danger"
        onClick={() =>
          confirm.ask({
            title: `Delete domain “${domain.name}”?`,
            message: 'Its policies, PDP configuration, sample PIP and decision log are deleted and its PDP-URL stops answering. This cannot be undone.',
            label: 'Delete domain',
            run: async () => {
              await api.deleteDomain(domain.id);
              navigate('projects', domain.projectId);
            },
          })
        }
      >
        Delete this domain
      </button>
      {confirm.dialog}
    </>
  );
}
