/**
 * Who is signed in: the API key (kept in sessionStorage, so it dies with the tab), the principal
 * it belongs to, and whether it is a guest session.
 */
import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { setApiKey } from '../api/client';
import { api } from '../api/endpoints';
import type { GuestSession, Principal } from '../api/types';

const KEY = 'safax.apiKey';
const GUEST = 'safax.guest';

export interface Session {
  readonly principal: Principal | null;
  readonly guest: GuestSession | null;
  readonly restoring: boolean;
  signIn(key: string): Promise<void>;
  startGuest(): Promise<GuestSession>;
  signOut(): void;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [principal, setPrincipal] = useState<Principal | null>(null);
  const [guest, setGuest] = useState<GuestSession | null>(null);
  const [restoring, setRestoring] = useState(true);
  const queries = useQueryClient();

  const signIn = useCallback(async (key: string) => {
    // Nothing cached for one principal may show for another.
    queries.clear();
    setApiKey(key);
    try {
      const me = await api.me();
      sessionStorage.setItem(KEY, key);
      setPrincipal(me);
    } catch (e) {
      setApiKey(null);
      throw e;
    }
  }, [queries]);

  const startGuest = useCallback(async () => {
    setApiKey(null);
    const g = await api.startGuest();
    await signIn(g.apiKey);
    sessionStorage.setItem(GUEST, JSON.stringify(g));
    setGuest(g);
    return g;
  }, [signIn]);

  const signOut = useCallback(() => {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(GUEST);
    setApiKey(null);
    setPrincipal(null);
    setGuest(null);
    queries.clear();
    window.location.hash = '#/';
  }, [queries]);

  useEffect(() => {
    const key = sessionStorage.getItem(KEY);
    const g = sessionStorage.getItem(GUEST);
    if (g) setGuest(JSON.parse(g) as GuestSession);
    if (!key) {
      setRestoring(false);
      return;
    }
    signIn(key)
      .catch(() => sessionStorage.removeItem(KEY))
      .finally(() => setRestoring(false));
  }, [signIn]);

  return <SessionContext.Provider value={{ principal, guest, restoring, signIn, startGuest, signOut }}>{children}</SessionContext.Provider>;
}
