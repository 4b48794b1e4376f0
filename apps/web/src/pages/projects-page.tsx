/** The owner's projects: list and create. */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/endpoints';
import { ErrorBox, Loading } from '../components/status';
import { href, navigate } from '../lib/router';
import { useAsync } from '../lib/use-async';

export function ProjectsPage() {
  const projects = useAsync(() => api.projects(), []);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const p = await api.createProject(name.trim(), description.trim() || undefined);
      navigate('projects', p.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>Projects</h1>
      <p className="lead">A project groups the domains of one data owner; each domain has its own PDP and PDP-URL.</p>
      <section aria-labelledby="list-title">
        <h2 id="list-title">Your projects</h2>
        {projects.loading && <Loading what="projects" />}
        {projects.error !== undefined && <ErrorBox error={projects.error} onRetry={projects.reload} />}
        {projects.data && projects.data.items.length === 0 && <p className="empty">No projects yet. Create your first one below.</p>}
        {projects.data && projects.data.items.length > 0 && (
          <ul className="cards">
            {projects.data.items.map((p) => (
              <li key={p.id}>
                <a href={href('projects', p.id)}>
                  <strong>{p.name}</strong>
                </a>
                {p.description && <p>{p.description}</p>}
                <p className="meta">Created {new Date(p.createdAt).toLocaleDateString()}{p.collaborators.length > 0 ? ` · ${p.collaborators.length} collaborator(s)` : ''}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="new-title">
        <h2 id="new-title">New project</h2>
        <form className="inline-form" onSubmit={(e) => void create(e)}>
          <label>
            Name
            <input name="project-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            Description <span className="optional">(optional)</span>
            <input name="project-description" maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} />
          </label>
          <button type="submit" className="primary" disabled={busy || name.trim() === ''}>
            {busy ? 'Creating…' : 'Create project'}
          </button>
        </form>
        {error !== null && <ErrorBox error={error} title="The project was not created" />}
      </section>
    </>
  );
}
