/**
 * Errors shown next to the field that caused them: `fieldError(error, name)` picks the message
 * when the API's error names that field (a validation path or `details.field`); <FieldError>
 * renders it with the id the input points at (aria-describedby, aria-invalid).
 */
import { ApiFailure } from '../api/client';
import { describeError } from './status';

export function fieldError(error: unknown, field: string): string | null {
  if (error instanceof ApiFailure && error.field === field) {
    const issue = error.issues.find((i) => i.path?.split('.')[0] === field);
    return issue?.message ?? describeError(error);
  }
  return null;
}

export function FieldError({ id, message }: { id: string; message: string | null }) {
  if (message === null) return null;
  return (
    <p id={id} className="field-error" role="alert">
      {message}
    </p>
  );
}
