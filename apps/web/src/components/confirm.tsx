/** Confirmation for consequential actions: a native modal <dialog> (focus trapped, Esc cancels). */
import { useEffect, useId, useRef, useState } from 'react';
import type { ReactElement } from 'react';

export interface ConfirmProps {
  readonly open: boolean;
  readonly title: string;
  readonly message: string;
  readonly confirmLabel: string;
  readonly cancelLabel?: string;
  /** `danger` (default) for destructive actions; `primary` for consequential ones (activate, replace). */
  readonly tone?: 'danger' | 'primary';
  onConfirm(): void;
  onCancel(): void;
}

export function ConfirmDialog({ open, title, message, confirmLabel, cancelLabel = 'Cancel', tone = 'danger', onConfirm, onCancel }: ConfirmProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const messageId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className="confirm" aria-labelledby={titleId} aria-describedby={messageId} onCancel={onCancel}>
      <h2 id={titleId}>{title}</h2>
      <p id={messageId}>{message}</p>
      <div className="row">
        <button type="button" autoFocus onClick={onCancel}>
          {cancelLabel}
        </button>
        <button type="button" className={tone} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** A task waiting for the user's confirmation. */
export interface ConfirmRequest {
  readonly title: string;
  readonly message: string;
  readonly label: string;
  readonly tone?: 'danger' | 'primary';
  run(): Promise<unknown> | void;
}

/**
 * One pending confirmation and its dialog: `ask` opens it; on confirm, `perform` runs the task
 * with the caller's own busy and error handling.
 */
export function useConfirm(perform: (task: () => Promise<unknown> | void) => void): { ask(request: ConfirmRequest): void; dialog: ReactElement } {
  const [pending, setPending] = useState<ConfirmRequest | null>(null);
  const dialog = (
    <ConfirmDialog
      open={pending !== null}
      title={pending?.title ?? ''}
      message={pending?.message ?? ''}
      confirmLabel={pending?.label ?? 'Confirm'}
      tone={pending?.tone ?? 'danger'}
      onCancel={() => setPending(null)}
      onConfirm={() => {
        const p = pending;
        setPending(null);
        if (p) perform(() => p.run());
      }}
    />
  );
  return { ask: setPending, dialog };
}
