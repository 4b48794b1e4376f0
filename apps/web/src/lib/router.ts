/**
 * A small hash router: `#/domains/abc/policies` → ['domains', 'abc', 'policies']; works under
 * /ui without server rewrites. Every change of the hash passes the unsaved-changes guard.
 */
import { useEffect, useState } from 'react';
import { guardHashChange, navigateTo } from './unsaved-changes';

function parse(hash: string): string[] {
  return hash.replace(/^#\/?/, '').split('/').filter((s) => s !== '').map(decodeURIComponent);
}

export function useRoute(): string[] {
  const [route, setRoute] = useState(() => parse(window.location.hash));
  useEffect(() => {
    let shown = window.location.hash;
    const on = () => {
      const to = window.location.hash;
      if (to === shown) return;
      if (!guardHashChange(shown, to)) return;
      shown = to;
      setRoute(parse(to));
    };
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function href(...parts: string[]): string {
  return '#/' + parts.map(encodeURIComponent).join('/');
}

/** Goes to a view (asking first when there are unsaved changes elsewhere). */
export function navigate(...parts: string[]): void {
  window.location.hash = href(...parts).slice(1);
}

/** Goes to a view after the caller saved its work: no question. */
export function navigateAfterSave(...parts: string[]): void {
  navigateTo(href(...parts));
}
