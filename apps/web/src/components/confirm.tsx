/** Confirmation for destructive actions: a native modal <dialog> (focus trapped, Esc cancels). */
import { useEffect, useRef, useState } from 'react';
import type { ReactElement } from 'react';

export interface ConfirmProps {
  readonly open: boolean;
  readonly title: string;
  readonly message: string;
  readonly confirmLabel: string;
  onConfirm(): void;
  onCancel(): void;
}

export function ConfirmDialog({ open, title, message, confirmLabel, onConfirm, onCancel }: ConfirmProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className="confirm" aria-labelledby="confirm-title" onCancel={onCancel}>
      <h2 id="confirm-title">{title}</h2>
      <p>{message}</p>
      <div className="row">
        <button type="button" autoFocus onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** A destructive task waiting for the user's confirmation. */
export interface ConfirmRequest {
  readonly title: string;
  readonly message: string;
  readonly label: string;
  run(): Promise<unknown>;
}

/**
 * One pending confirmation and its dialog: `ask` opens it; on confirm, `perform` runs the task
 * with the caller's own busy and error handling.
 */
export function useConfirm(perform: (task: () => Promise<unknown>) => void): { ask(request: ConfirmRequest): void; dialog: ReactElement } {
  const [pending, setPending] = useState<ConfirmRequest | null>(null);
  const dialog = (
    <ConfirmDialog
      open={pending !== null}
      title={pending?.title ?? ''}
      message={pending?.message ?? ''}
      confirmLabel={pending?.label ?? 'Confirm'}
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
