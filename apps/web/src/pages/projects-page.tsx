/** The projects the principal may see (an admin: everyone's, grouped by owner), and a form to create one. */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/endpoints';
import type { Project } from '../api/types';
import { ErrorBox, Loading } from '../components/status';
import { keys } from '../lib/query-client';
import { href, navigateAfterSave } from '../lib/router';
import { useSession } from '../lib/session';
import { useUnsavedChanges } from '../lib/unsaved-changes';
import { useTitle } from '../lib/use-title';

function ProjectCards({ items, showOwner }: { items: readonly Project[]; showOwner: boolean }) {
  return (
    <ul className="cards">
      {items.map((p) => (
        <li key={p.id}>
          <a href={href('projects', p.id)}>
            <strong>{p.name}</strong>
          </a>
          {p.description && <p>{p.description}</p>}
          <p className="meta">
            {showOwner && <span data-testid="project-owner">Owner: {p.ownerName ?? p.ownerId} · </span>}
            Created {new Date(p.createdAt).toLocaleDateString()}
            {p.collaborators.length > 0 ? ` · ${p.collaborators.length} collaborator(s)` : ''}
          </p>
        </li>
      ))}
    </ul>
  );
}

export function ProjectsPage() {
  useTitle('Projects');
  const me = useSession().principal;
  const queries = useQueryClient();
  const projects = useQuery({ queryKey: keys.projects, queryFn: api.projects });
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  useUnsavedChanges(name.trim() !== '' || description.trim() !== '', 'a new project not created yet');
  const create = useMutation({
    mutationFn: () => api.createProject(name.trim(), description.trim() || undefined),
    onSuccess: (p) => {
      void queries.invalidateQueries({ queryKey: keys.projects });
      setName('');
      setDescription('');
      navigateAfterSave('projects', p.id);
    },
  });

  const items = projects.data?.items ?? [];
  const mine = items.filter((p) => p.ownerId === me?.id);
  const shared = items.filter((p) => p.ownerId !== me?.id);
  const admin = me?.roles.includes('admin') ?? false;

  return (
    <>
      <h1>Projects</h1>
      <p className="lead">A project groups the domains of one data owner; each domain has its own PDP and PDP-URL.</p>
      <section aria-labelledby="list-title">
        <h2 id="list-title">Your projects</h2>
        {projects.isPending && <Loading what="projects" />}
        {projects.isError && <ErrorBox error={projects.error} onRetry={() => void projects.refetch()} />}
        {projects.isSuccess && mine.length === 0 && <p className="empty">No projects of your own yet. Create your first one below.</p>}
        {mine.length > 0 && <ProjectCards items={mine} showOwner={false} />}
      </section>
      {shared.length > 0 && (
        <section aria-labelledby="shared-title">
          <h2 id="shared-title">{admin ? 'Other principals’ projects' : 'Projects shared with you'}</h2>
          <ProjectCards items={shared} showOwner />
        </section>
      )}
      <section aria-labelledby="new-title">
        <h2 id="new-title">New project</h2>
        <form
          className="inline-form"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <label>
            Name
            <input name="project-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            Description <span className="optional">(optional)</span>
            <input name="project-description" maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} />
          </label>
          <button type="submit" className="primary" disabled={create.isPending || name.trim() === ''}>
            {create.isPending ? 'Creating…' : 'Create project'}
          </button>
        </form>
        {create.isError && <ErrorBox error={create.error} title="The project was not created" />}
      </section>
    </>
  );
}
