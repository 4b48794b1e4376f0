/**
 * No lost work: editors and forms declare unsaved changes with `useUnsavedChanges(dirty, what)`.
 * While any are declared, leaving the view asks first — a link or tab inside the GUI, the
 * browser's back/forward buttons (the hash router puts the address back until you decide), a
 * programmatic navigation — and reloading or closing the tab triggers the browser's own
 * "leave site?" prompt. Confirming discards the changes and goes on.
 */
import { createContext, useCallback, useContext, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { ConfirmDialog } from '../components/confirm';

interface Registry {
  set(id: string, what: string | null): void;
  /** Asks (if needed) before running `go`; `go` runs at once when nothing is unsaved. */
  leave(go: () => void): void;
  readonly dirty: () => readonly string[];
}

const Ctx = createContext<Registry | null>(null);

/** Hash navigations the guard has already approved (so the router lets them through). */
let approvedHash: string | null = null;
let registry: Registry | null = null;

/** The hash the router should move to, or null when the guard holds it back (and asks). */
export function guardHashChange(from: string, to: string): boolean {
  if (approvedHash === to) {
    approvedHash = null;
    return true;
  }
  if (!registry || registry.dirty().length === 0) return true;
  // Put the address back while the user decides; go there if they confirm.
  history.pushState(null, '', from);
  registry.leave(() => navigateTo(to));
  return false;
}

/** Moves to a hash without asking again (the guard approved it, or there is nothing to lose). */
export function navigateTo(hash: string): void {
  approvedHash = hash.startsWith('#') ? hash : `#${hash}`;
  window.location.hash = approvedHash;
}

export function UnsavedChangesProvider({ children }: { children: ReactNode }) {
  const sources = useRef(new Map<string, string>());
  const [pending, setPending] = useState<{ go: () => void; what: readonly string[] } | null>(null);
  const value = useMemo<Registry>(
    () => ({
      set(id, what) {
        if (what === null) sources.current.delete(id);
        else sources.current.set(id, what);
      },
      leave(go) {
        const what = [...sources.current.values()];
        if (what.length === 0) go();
        else setPending({ go, what });
      },
      dirty: () => [...sources.current.values()],
    }),
    [],
  );
  registry = value;

  useEffect(() => {
    // Reload, close, or a link out of the GUI (e.g. the API docs).
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (sources.current.size === 0) return;
      e.preventDefault();
      e.returnValue = '';
    };
    // Links inside the GUI: ask before the hash changes, so nothing moves until decided.
    const click = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.('a[href^="#"]');
      if (!(a instanceof HTMLAnchorElement) || sources.current.size === 0) return;
      const to = a.getAttribute('href') ?? '';
      if (to === window.location.hash) return;
      e.preventDefault();
      value.leave(() => navigateTo(to));
    };
    window.addEventListener('beforeunload', beforeUnload);
    document.addEventListener('click', click, true);
    return () => {
      window.removeEventListener('beforeunload', beforeUnload);
      document.removeEventListener('click', click, true);
    };
  }, [value]);

  return (
    <Ctx.Provider value={value}>
      {children}
      <ConfirmDialog
        open={pending !== null}
        title="Leave without saving?"
        message={`You have unsaved changes: ${(pending?.what ?? []).join('; ')}. If you leave now they are lost.`}
        confirmLabel="Discard changes and leave"
        cancelLabel="Stay here"
        onCancel={() => setPending(null)}
        onConfirm={() => {
          const p = pending;
          setPending(null);
          // The views unmount on the way out; their declarations go with them.
          sources.current.clear();
          p?.go();
        }}
      />
    </Ctx.Provider>
  );
}

/** Declares unsaved changes while `dirty` is true; `what` names them in the question. */
export function useUnsavedChanges(dirty: boolean, what: string): void {
  const ctx = useContext(Ctx);
  const id = useId();
  useEffect(() => {
    if (!ctx) return;
    ctx.set(id, dirty ? what : null);
    return () => ctx.set(id, null);
  }, [ctx, id, dirty, what]);
}

/** Runs `go` once the user agreed to lose unsaved changes (at once when there are none). */
export function useLeaveGuard(): (go: () => void) => void {
  const ctx = useContext(Ctx);
  return useCallback((go: () => void) => (ctx ? ctx.leave(go) : go()), [ctx]);
}
