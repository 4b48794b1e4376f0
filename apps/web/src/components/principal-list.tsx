/**
 * A list of principals as chips with Remove buttons, and a form that adds one by name or id:
 * a project's collaborators, a domain's authorised controllers. The add form's errors appear
 * under its own field.
 */
import { useId, useState } from 'react';
import type { PrincipalRef } from '../api/types';
import { principalLabel } from '../lib/principal-names';
import { useUnsavedChanges } from '../lib/unsaved-changes';
import { describeError } from './status';

export function PrincipalList(props: {
  readonly items: readonly PrincipalRef[];
  /** What the list holds, for the Remove buttons' accessible names (e.g. "controller"). */
  readonly kind: string;
  readonly empty: string;
  readonly inputName: string;
  readonly inputLabel?: string;
  readonly addLabel: string;
  readonly busy: boolean;
  /** The last add's error, shown under the field. */
  readonly error?: unknown;
  onRemove(principal: PrincipalRef): void;
  /** Adds `name`; calls `clear` once it succeeded, to empty the field. */
  onAdd(name: string, clear: () => void): void;
}) {
  const [name, setName] = useState('');
  const errorId = useId();
  useUnsavedChanges(name.trim() !== '', `a ${props.kind} name typed but not added`);
  const hasError = props.error !== undefined && props.error !== null;
  return (
    <>
      {props.items.length === 0 ? (
        <p className="empty">{props.empty}</p>
      ) : (
        <ul className="chips">
          {props.items.map((c) => (
            <li key={c.id}>
              <code title={c.id}>{principalLabel(c)}</code>
              <button type="button" className="small" aria-label={`Remove ${props.kind} ${c.name}`} onClick={() => props.onRemove(c)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          props.onAdd(name.trim(), () => setName(''));
        }}
      >
        <label>
          {props.inputLabel ?? 'Principal name or id'}
          <input name={props.inputName} required value={name} onChange={(e) => setName(e.target.value)} aria-invalid={hasError ? 'true' : undefined} aria-describedby={hasError ? errorId : undefined} />
        </label>
        <button type="submit" disabled={props.busy || name.trim() === ''}>
          {props.addLabel}
        </button>
      </form>
      {hasError && (
        <p id={errorId} className="field-error" role="alert">
          {describeError(props.error)}
        </p>
      )}
    </>
  );
}
