/**
 * Domains controllers of a domain: onboard a new one (its principal, authorisation and API key in
 * one step; the key shown once, with copy buttons and ready-to-run snippets built from this
 * domain's own policies), authorise an existing principal, or withdraw one. Errors appear next
 * to the field that caused them; leaving while a new key is still on screen asks first.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import type { CreatedController, Domain } from '../../api/types';
import { CodeBlock } from '../../components/code-block';
import { useConfirm } from '../../components/confirm';
import { CopyButton } from '../../components/copy-button';
import { FieldError, fieldError } from '../../components/field-error';
import { PrincipalList } from '../../components/principal-list';
import { ErrorBox, Loading, describeError } from '../../components/status';
import { exampleAttributes } from '../../lib/example-request';
import { principalLabel } from '../../lib/principal-names';
import { keys } from '../../lib/query-client';
import { onboardingSnippets } from '../../lib/snippets';
import { useSession } from '../../lib/session';
import { useUnsavedChanges } from '../../lib/unsaved-changes';

/** The texts of the domain's active policy versions (for example requests). */
function useActiveTexts(domainId: string) {
  return useQuery({
    queryKey: keys.activeTexts(domainId),
    queryFn: async () => {
      const list = await api.policies(domainId);
      const active = list.items.filter((p) => p.activeVersion !== null);
      return Promise.all(active.map(async (p) => (await api.policyVersion(domainId, p.policyId, p.activeVersion ?? 'latest')).text));
    },
  });
}

function NewKey({ created, texts, onDone }: { created: CreatedController; texts: readonly string[]; onDone(): void }) {
  const attributes = exampleAttributes(texts);
  const heading = useRef<HTMLHeadingElement>(null);
  // Bring the key into view and to the focus: it is what the user must act on now.
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
    heading.current?.scrollIntoView({ block: 'start' });
  }, [created.apiKey]);
  const snippets = onboardingSnippets({ pdpUrl: created.pdpUrl, authzenUrl: created.authzenUrl, apiKey: created.apiKey, attributes });
  return (
    <section className="new-key" aria-labelledby="new-key-title" data-testid="new-controller">
      <h3 id="new-key-title" tabIndex={-1} ref={heading}>
        {created.principal.name} can now call this domain&apos;s PDP
      </h3>
      <p className="notice" role="note">
        <strong>Copy the API key now: it is shown only this once.</strong> SAFAX-TS keeps only a hash of it. If it is lost, issue a new key for {created.principal.name}.
      </p>
      <dl className="facts">
        <dt>API key</dt>
        <dd className="pdp-url">
          <code data-testid="new-api-key">{created.apiKey}</code>
          <CopyButton text={created.apiKey} label={`Copy the API key of ${created.principal.name}`} />
        </dd>
        <dt>PDP-URL</dt>
        <dd className="pdp-url">
          <code>{created.pdpUrl}</code>
          <CopyButton text={created.pdpUrl} label="Copy the PDP-URL for the controller" />
        </dd>
        <dt>AuthZEN</dt>
        <dd>
          <code>{created.authzenUrl}</code>
        </dd>
      </dl>
      <h4>Ready to run</h4>
      <p className="help">
        Hand these to {created.principal.name}. They ask with attributes your policies test ({attributes.map((a) => `${a.id.split(/[:#]/).pop() ?? a.id}=${a.value}`).join(', ')}); change the values to the real request.
      </p>
      {snippets.map((s) => (
        <details key={s.id} className="example" open={s.id === 'xacml-json'}>
          <summary>{s.title}</summary>
          <CodeBlock text={s.text} label={`${s.title} snippet`} copyLabel={`Copy the ${s.title} snippet`} testId={`snippet-${s.id}`} />
        </details>
      ))}
      <button type="button" className="primary" onClick={onDone}>
        I have stored the key
      </button>
    </section>
  );
}

export function ControllersTab({ domain }: { domain: Domain }) {
  const queries = useQueryClient();
  const me = useSession().principal;
  const texts = useActiveTexts(domain.id);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedController | null>(null);
  const nameError = useId();
  // Onboarding creates a principal: the project's owner (and admins) only, as the system policies say.
  const project = useQuery({ queryKey: keys.project(domain.projectId), queryFn: () => api.project(domain.projectId) });
  const owner = me !== null && (me.roles.includes('admin') || project.data?.ownerId === me.id);
  useUnsavedChanges(name.trim() !== '', 'a controller name typed but not created');
  useUnsavedChanges(created !== null, `the new API key of ${created?.principal.name ?? ''}, shown only once`);

  const refresh = () => void queries.invalidateQueries({ queryKey: keys.domain(domain.id) });
  const onboard = useMutation({
    mutationFn: (n: string) => api.createController(domain.id, n),
    onSuccess: (c) => {
      setCreated(c);
      setName('');
      refresh();
    },
  });
  const authorise = useMutation({ mutationFn: (v: { name: string; done: () => void }) => api.addController(domain.id, v.name).then(v.done), onSuccess: refresh });
  const task = useMutation({ mutationFn: (run: () => Promise<unknown> | void) => Promise.resolve(run()), onSuccess: refresh });
  const confirm = useConfirm((run) => task.mutate(run));
  const error = onboard.isError ? (fieldError(onboard.error, 'name') ?? null) : null;

  return (
    <>
      <h2>Domains controllers</h2>
      <p className="help">
        A domains controller is the cloud provider whose PEP asks this domain&apos;s PDP-URL for decisions. It calls with its own API key; only authorised controllers (and you and your collaborators)
        get decisions{domain.publicPdp ? ' — this PDP-URL is public, so anyone holding it does' : ''}.
      </p>
      <h3>Authorised</h3>
      <PrincipalList
        items={domain.controllers}
        kind="controller"
        empty="None yet: only you and your collaborators can call this PDP."
        inputName="controller"
        inputLabel="Existing principal (name or id)"
        addLabel="Authorise controller"
        busy={authorise.isPending}
        error={authorise.error}
        onRemove={(c) => confirm.ask({ title: 'Withdraw this domains controller?', message: `${principalLabel(c)} will get 403 from the PDP-URL at once.`, label: 'Withdraw', run: () => api.removeController(domain.id, c.id) })}
        onAdd={(n, clear) => authorise.mutate({ name: n, done: clear })}
      />
      {task.isError && <ErrorBox error={task.error} />}

      <h3>Onboard a new domains controller</h3>
      <p className="help">Creates the controller&apos;s principal and API key and authorises it on this domain in one step. Only the domain&apos;s owner can.</p>
      {created && texts.isPending && <Loading what="this domain's policies" />}
      {created && !texts.isPending && (
        <NewKey
          created={created}
          texts={texts.data ?? []}
          onDone={() => setCreated(null)}
        />
      )}
      {!created && project.isSuccess && !owner && <p className="notice">Only the project&apos;s owner can onboard new domains controllers; you can authorise existing principals above.</p>}
      {!created && owner && (
        <form
          className="inline-form"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            onboard.mutate(name.trim());
          }}
        >
          <label>
            Controller name
            <input
              name="new-controller"
              required
              maxLength={100}
              value={name}
              placeholder="acme-storage"
              onChange={(e) => setName(e.target.value)}
              aria-invalid={onboard.isError ? 'true' : undefined}
              aria-describedby={onboard.isError ? nameError : undefined}
            />
          </label>
          <button type="submit" className="primary" disabled={onboard.isPending || name.trim() === ''}>
            {onboard.isPending ? 'Creating…' : 'Create controller and key'}
          </button>
        </form>
      )}
      {onboard.isError && <FieldError id={nameError} message={error ?? describeError(onboard.error)} />}
      {confirm.dialog}
    </>
  );
}
