/**
 * State that outlives the view: kept in sessionStorage under a key, so a form comes back as it
 * was after a tab switch or a reload (this browser tab only; gone when it closes).
 */
import { useEffect, useState } from 'react';

export function useStoredState<T>(key: string, initial: () => T): [T, (v: T | ((old: T) => T)) => void] {
  const [value, setValue] = useState<T>(() => {
    try {
      const raw = sessionStorage.getItem(key);
      return raw === null ? initial() : (JSON.parse(raw) as T);
    } catch {
      return initial();
    }
  });
  useEffect(() => {
    try {
      sessionStorage.setItem(key, JSON.stringify(value));
    } catch {
      // Storage full or refused: the form still works, it just is not kept.
    }
  }, [key, value]);
  return [value, setValue];
}
