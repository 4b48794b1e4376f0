/**
 * Loads data for a view and exposes loading / error / data plus a reload. Answers to a load
 * that has been superseded (other dependencies, a reload, unmount) are ignored, and data of
 * other dependencies is never shown while the new ones load: a view of domain B must not
 * render B's tabs under A's header.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface AsyncState<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
}

const sameDeps = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean; deps: readonly unknown[] }>({ data: undefined, error: undefined, loading: true, deps });
  const [tick, setTick] = useState(0);
  const lastTick = useRef(tick);
  useEffect(() => {
    let current = true;
    // A reload keeps what is shown until the answer comes; new dependencies start empty.
    const reloading = lastTick.current !== tick;
    lastTick.current = tick;
    setState((s) => ({ data: reloading ? s.data : undefined, error: undefined, loading: true, deps }));
    load().then(
      (data) => current && setState({ data, error: undefined, loading: false, deps }),
      (error: unknown) => current && setState({ data: undefined, error, loading: false, deps }),
    );
    return () => {
      current = false;
    };
    // Callers pass the real dependencies of `load`.
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  // Until the effect for new dependencies has run, what the state holds belongs to the old ones.
  if (!sameDeps(state.deps, deps)) return { data: undefined, error: undefined, loading: true, reload };
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
