/** Domain settings: rename, describe, public PDP-URL, delete (controllers have their own tab). */
import { useEffect, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import type { Domain } from '../../api/types';
import { useConfirm } from '../../components/confirm';
import { ErrorBox } from '../../components/status';
import { keys } from '../../lib/query-client';
import { href, navigateAfterSave } from '../../lib/router';
import { useUnsavedChanges } from '../../lib/unsaved-changes';

export function SettingsTab({ domain }: { domain: Domain }) {
  const queries = useQueryClient();
  const [name, setName] = useState(domain.name);
  const [description, setDescription] = useState(domain.description ?? '');
  const [saved, setSaved] = useState<string | null>(null);
  const dirty = name.trim() !== domain.name || description !== (domain.description ?? '');
  useUnsavedChanges(dirty, 'the domain’s name or description is not saved');

  // Follow the server while nothing is being edited here.
  useEffect(() => {
    if (!dirty) {
      setName(domain.name);
      setDescription(domain.description ?? '');
    }
  }, [domain.name, domain.description]);

  const refresh = () => {
    void queries.invalidateQueries({ queryKey: keys.domain(domain.id) });
    void queries.invalidateQueries({ queryKey: keys.domains(domain.projectId) });
  };
  const change = useMutation({
    mutationFn: (v: { patch: { name?: string; description?: string; publicPdp?: boolean }; done: string }) => api.updateDomain(domain.id, v.patch),
    onMutate: () => setSaved(null),
    onSuccess: (d, v) => {
      queries.setQueryData(keys.domain(domain.id), d);
      setName(d.name);
      setDescription(d.description ?? '');
      setSaved(v.done);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => api.deleteDomain(domain.id),
    onSuccess: () => {
      queries.removeQueries({ queryKey: keys.domain(domain.id) });
      void queries.invalidateQueries({ queryKey: keys.domains(domain.projectId) });
      navigateAfterSave('projects', domain.projectId);
    },
  });
  const confirm = useConfirm((run) => void run());

  return (
    <>
      <h2>Domain details</h2>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          change.mutate({ patch: { name: name.trim(), description }, done: 'Saved.' });
        }}
      >
        <label>
          Name
          <input name="domain-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Description
          <textarea name="domain-description" rows={2} maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <div className="row">
          <button type="submit" className="primary" disabled={change.isPending || !dirty}>
            Save
          </button>
        </div>
      </form>
      {saved && !dirty && (
        <p className="success" role="status">
          {saved}
        </p>
      )}
      {change.isError && <ErrorBox error={change.error} title="Not saved" />}

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
                run: () => change.mutate({ patch: { publicPdp: true }, done: 'The PDP-URL is public.' }),
              });
            else change.mutate({ patch: { publicPdp: false }, done: 'The PDP-URL needs an API key again.' });
          }}
        />{' '}
        Anyone holding the PDP-URL (public)
      </label>
      <p className="help">
        Otherwise only the domain&apos;s authorised domains controllers may: <a href={href('domains', domain.id, 'controllers')}>manage them in Controllers</a>.
      </p>

      <h2>Danger zone</h2>
      <button
        type="button"
        className="danger"
        onClick={() =>
          confirm.ask({
            title: `Delete domain “${domain.name}”?`,
            message: 'Its policies, PDP configuration, sample PIP and decision log are deleted and its PDP-URL stops answering. This cannot be undone.',
            label: 'Delete domain',
            run: () => remove.mutate(),
          })
        }
      >
        Delete this domain
      </button>
      {remove.isError && <ErrorBox error={remove.error} title="The domain was not deleted" />}
      {confirm.dialog}
    </>
  );
}
