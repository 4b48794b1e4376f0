/** Names the browser tab after the view (WCAG 2.4.2: each page has a title saying what it is). */
import { useEffect } from 'react';

export function useTitle(...parts: (string | undefined | null)[]): void {
  const title = [...parts.filter((p): p is string => typeof p === 'string' && p !== ''), 'SAFAX-TS'].join(' · ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}
