/** One project: its domains (create, delete), rename, collaborators, its audit trail, delete. */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/endpoints';
import { useConfirm } from '../components/confirm';
import { PrincipalList } from '../components/principal-list';
import { ErrorBox, Loading } from '../components/status';
import { principalLabel } from '../lib/principal-names';
import { keys } from '../lib/query-client';
import { href, navigateAfterSave } from '../lib/router';
import { useSession } from '../lib/session';
import { useUnsavedChanges } from '../lib/unsaved-changes';
import { useTitle } from '../lib/use-title';

export function ProjectPage({ projectId }: { projectId: string }) {
  const queries = useQueryClient();
  const me = useSession().principal;
  const project = useQuery({ queryKey: keys.project(projectId), queryFn: () => api.project(projectId) });
  const domains = useQuery({ queryKey: keys.domains(projectId), queryFn: () => api.domains(projectId) });
  useTitle(project.data?.name, 'Project');
  const [domainName, setDomainName] = useState('');
  const [domainDescription, setDomainDescription] = useState('');
  const [newName, setNewName] = useState<string | null>(null);
  useUnsavedChanges(domainName.trim() !== '' || domainDescription.trim() !== '', 'a new domain not created yet');
  useUnsavedChanges(newName !== null && newName.trim() !== (project.data?.name ?? ''), 'the project’s new name, not saved');

  const refresh = () => {
    void queries.invalidateQueries({ queryKey: keys.project(projectId) });
    void queries.invalidateQueries({ queryKey: keys.domains(projectId) });
    void queries.invalidateQueries({ queryKey: keys.projects });
  };
  const createDomain = useMutation({
    mutationFn: () => api.createDomain(projectId, domainName.trim(), domainDescription.trim() || undefined),
    onSuccess: (d) => {
      refresh();
      setDomainName('');
      setDomainDescription('');
      navigateAfterSave('domains', d.id);
    },
  });
  const rename = useMutation({
    mutationFn: (name: string) => api.updateProject(projectId, { name }),
    onSuccess: () => {
      setNewName(null);
      refresh();
    },
  });
  const collaborators = useMutation({
    mutationFn: (v: { name: string; done: () => void }) => api.addCollaborator(projectId, v.name).then(v.done),
    onSuccess: refresh,
  });
  const task = useMutation({ mutationFn: (run: () => Promise<unknown> | void) => Promise.resolve(run()), onSuccess: refresh });
  const confirm = useConfirm((run) => task.mutate(run));

  if (project.isPending) return <Loading what="the project" />;
  if (project.isError) return <ErrorBox error={project.error} title="The project could not be opened" onRetry={() => void project.refetch()} />;
  const p = project.data;
  const owner = p.ownerId === me?.id;

  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <a href={href('projects')}>Projects</a> › <span aria-current="page">{p.name}</span>
      </nav>
      {newName === null ? (
        <div className="title-row">
          <h1>{p.name}</h1>
          <button type="button" onClick={() => setNewName(p.name)}>
            Rename
          </button>
          <button
            type="button"
            className="danger"
            onClick={() =>
              confirm.ask({
                title: `Delete project “${p.name}”?`,
                message: 'Its domains, policies, PDP-URLs and decision logs are deleted too. Domains controllers using these PDP-URLs will get errors. This cannot be undone.',
                label: 'Delete project',
                run: async () => {
                  await api.deleteProject(projectId);
                  queries.removeQueries({ queryKey: keys.project(projectId) });
                  navigateAfterSave('projects');
                },
              })
            }
          >
            Delete
          </button>
        </div>
      ) : (
        <form
          className="inline-form"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            rename.mutate(newName.trim());
          }}
        >
          <label>
            Project name
            <input autoFocus required maxLength={100} value={newName} onChange={(e) => setNewName(e.target.value)} />
          </label>
          <button type="submit" className="primary" disabled={rename.isPending}>
            Save
          </button>
          <button type="button" onClick={() => setNewName(null)}>
            Cancel
          </button>
        </form>
      )}
      {rename.isError && <ErrorBox error={rename.error} title="The project was not renamed" />}
      {task.isError && <ErrorBox error={task.error} />}
      <p className="meta">
        Owner: {p.ownerName ?? p.ownerId}
        {owner ? ' (you)' : ''} · <a href={href('projects', projectId, 'audit')}>Audit trail of this project</a>
      </p>
      {p.description && <p className="lead">{p.description}</p>}

      <section aria-labelledby="domains-title">
        <h2 id="domains-title">Domains</h2>
        <p className="help">A domain is where your data lives at one cloud provider. Each domain has one PDP and a PDP-URL to give that provider.</p>
        {domains.isPending && <Loading what="domains" />}
        {domains.isError && <ErrorBox error={domains.error} onRetry={() => void domains.refetch()} />}
        {domains.data && domains.data.items.length === 0 && <p className="empty">No domains yet.</p>}
        {domains.data && domains.data.items.length > 0 && (
          <table className="stack-sm">
            <thead>
              <tr>
                <th scope="col">Domain</th>
                <th scope="col">PDP-URL</th>
                <th scope="col">Controllers</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {domains.data.items.map((d) => (
                <tr key={d.id}>
                  <td data-label="Domain">
                    <a href={href('domains', d.id)}>{d.name}</a>
                    {d.description && <div className="meta">{d.description}</div>}
                  </td>
                  <td data-label="PDP-URL">
                    <code className="url">{d.pdpUrl}</code>
                  </td>
                  <td data-label="Controllers">{d.controllers.length}</td>
                  <td>
                    <button
                      type="button"
                      className="danger small"
                      aria-label={`Delete domain ${d.name}`}
                      onClick={() =>
                        confirm.ask({
                          title: `Delete domain “${d.name}”?`,
                          message: 'Its policies, PDP configuration, sample PIP and decision log are deleted, and its PDP-URL stops answering. This cannot be undone.',
                          label: 'Delete domain',
                          run: () => api.deleteDomain(d.id),
                        })
                      }
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h3>New domain</h3>
        <form
          className="inline-form"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            createDomain.mutate();
          }}
        >
          <label>
            Name
            <input name="domain-name" required maxLength={100} value={domainName} onChange={(e) => setDomainName(e.target.value)} />
          </label>
          <label>
            Description <span className="optional">(optional)</span>
            <input name="domain-description" maxLength={2000} value={domainDescription} onChange={(e) => setDomainDescription(e.target.value)} />
          </label>
          <button type="submit" className="primary" disabled={createDomain.isPending || domainName.trim() === ''}>
            Create domain
          </button>
        </form>
        {createDomain.isError && <ErrorBox error={createDomain.error} title="The domain was not created" />}
      </section>

      <section aria-labelledby="collab-title">
        <h2 id="collab-title">Collaborators</h2>
        <p className="help">Collaborators manage this project&apos;s domains with you. Add them by principal name or id.</p>
        <PrincipalList
          items={p.collaborators}
          kind="collaborator"
          empty="No collaborators."
          inputName="collaborator"
          addLabel="Add collaborator"
          busy={collaborators.isPending}
          error={collaborators.error}
          onRemove={(c) =>
            confirm.ask({
              title: 'Remove collaborator?',
              message: `${principalLabel(c)} will no longer see or change this project.`,
              label: 'Remove',
              run: () => api.removeCollaborator(projectId, c.id),
            })
          }
          onAdd={(name, clear) => collaborators.mutate({ name, done: clear })}
        />
      </section>
      {confirm.dialog}
    </>
  );
}
