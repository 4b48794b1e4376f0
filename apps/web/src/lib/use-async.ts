/** Loads data for a view and exposes loading / error / data plus a reload, ignoring answers that arrive after unmount. */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface AsyncState<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
}

export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => alive.current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => alive.current && setState({ data: undefined, error, loading: false }),
    );
    return () => {
      alive.current = false;
    };
    // Callers pass the real dependencies of `load`.
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
