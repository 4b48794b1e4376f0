/** Loading and error states used by every view (announced to screen readers). */
import type { ReactNode } from 'react';
import { ApiFailure } from '../api/client';

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

export function describeError(error: unknown): string {
  if (error instanceof ApiFailure) {
    if (error.status === 401) return sessionStorage.getItem('safax.guest') ? 'Your guest session has expired (or its key was not accepted). Sign out and start a new one.' : 'Your API key was not accepted. Sign in again.';
    if (error.code === 'quota-exceeded') return `Your guest quota is used up: ${error.message}. Delete something first, or ask for an account.`;
    if (error.status === 403) return `You do not have access to this. ${error.message}`;
    if (error.missingRoute) return 'This server does not offer this feature yet.';
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export function ErrorBox({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  const issues = error instanceof ApiFailure ? error.issues : [];
  return (
    <div className="error" role="alert">
      <strong>{title ?? 'Something went wrong'}</strong>
      <p>{describeError(error)}</p>
      {issues.length > 0 && (
        <ul>
          {issues.map((i, n) => (
            <li key={n}>
              {i.line !== undefined && <span className="line-ref">line {i.line}: </span>}
              {i.message} {i.path && <code>{i.path}</code>}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function NotAvailable({ feature, children }: { feature: string; children?: ReactNode }) {
  return (
    <div className="notice" role="note">
      <strong>{feature} is not available on this server yet.</strong>
      {children}
    </div>
  );
}

export function DecisionBadge({ decision }: { decision: string }) {
  return <span className={`badge badge-${decision.toLowerCase().replace(/[^a-z]/g, '')}`}>{decision}</span>;
}
