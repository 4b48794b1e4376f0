/** One project: its domains (create, delete), rename, collaborators, delete. */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/endpoints';
import { useConfirm } from '../components/confirm';
import { PrincipalList } from '../components/principal-list';
import { ErrorBox, Loading } from '../components/status';
import { principalLabel } from '../lib/principal-names';
import { href, navigate } from '../lib/router';
import { useAsync } from '../lib/use-async';

export function ProjectPage({ projectId }: { projectId: string }) {
  const project = useAsync(() => api.project(projectId), [projectId]);
  const domains = useAsync(() => api.domains(projectId), [projectId]);
  const [domainName, setDomainName] = useState('');
  const [domainDescription, setDomainDescription] = useState('');
  const [newName, setNewName] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const act = async (run: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const confirm = useConfirm((task) => {
    void act(async () => {
      await task();
    });
  });

  if (project.loading) return <Loading what="the project" />;
  if (project.error !== undefined || !project.data) return <ErrorBox error={project.error} title="The project could not be opened" onRetry={project.reload} />;
  const p = project.data;

  const createDomain = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const d = await api.createDomain(projectId, domainName.trim(), domainDescription.trim() || undefined);
      navigate('domains', d.id);
    });
  };

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
                  navigate('projects');
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
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              await api.updateProject(projectId, { name: newName.trim() });
              setNewName(null);
              project.reload();
            });
          }}
        >
          <label>
            Project name
            <input autoFocus required maxLength={100} value={newName} onChange={(e) => setNewName(e.target.value)} />
          </label>
          <button type="submit" className="primary" disabled={busy}>
            Save
          </button>
          <button type="button" onClick={() => setNewName(null)}>
            Cancel
          </button>
        </form>
      )}
      {p.description && <p className="lead">{p.description}</p>}
      {error !== null && <ErrorBox error={error} />}

      <section aria-labelledby="domains-title">
        <h2 id="domains-title">Domains</h2>
        <p className="help">A domain is where your data lives at one cloud provider. Each domain has one PDP and a PDP-URL to give that provider.</p>
        {domains.loading && <Loading what="domains" />}
        {domains.error !== undefined && <ErrorBox error={domains.error} onRetry={domains.reload} />}
        {domains.data && domains.data.items.length === 0 && <p className="empty">No domains yet.</p>}
        {domains.data && domains.data.items.length > 0 && (
          <table>
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
                  <td>
                    <a href={href('domains', d.id)}>{d.name}</a>
                    {d.description && <div className="meta">{d.description}</div>}
                  </td>
                  <td>
                    <code className="url">{d.pdpUrl}</code>
                  </td>
                  <td>{d.controllers.length}</td>
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
                          run: async () => {
                            await api.deleteDomain(d.id);
                            domains.reload();
                          },
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
        <form className="inline-form" onSubmit={createDomain}>
          <label>
            Name
            <input name="domain-name" required maxLength={100} value={domainName} onChange={(e) => setDomainName(e.target.value)} />
          </label>
          <label>
            Description <span className="optional">(optional)</span>
            <input name="domain-description" maxLength={2000} value={domainDescription} onChange={(e) => setDomainDescription(e.target.value)} />
          </label>
          <button type="submit" className="primary" disabled={busy || domainName.trim() === ''}>
            Create domain
          </button>
        </form>
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
          busy={busy}
          onRemove={(c) =>
            confirm.ask({
              title: 'Remove collaborator?',
              message: `${principalLabel(c)} will no longer see or change this project.`,
              label: 'Remove',
              run: async () => {
                await api.removeCollaborator(projectId, c.id);
                project.reload();
              },
            })
          }
          onAdd={(name, clear) =>
            void act(async () => {
              await api.addCollaborator(projectId, name);
              clear();
              project.reload();
            })
          }
        />
      </section>
      {confirm.dialog}
    </>
  );
}
