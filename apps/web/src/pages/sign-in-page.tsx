/** Sign-in with an API key (the platform's credential), or a guest session when the server offers one. */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiFailure } from '../api/client';
import { ErrorBox } from '../components/status';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';

export function SignInPage() {
  const session = useSession();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [guestError, setGuestError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.signIn(key.trim());
    } catch (err) {
      setError(err instanceof ApiFailure && err.status === 401 ? new Error('This API key is not valid. Check it and try again.') : err);
    } finally {
      setBusy(false);
    }
  };

  const guest = async () => {
    setBusy(true);
    setGuestError(null);
    try {
      const g = await session.startGuest();
      if (g.domain) navigate('domains', g.domain.id);
    } catch (err) {
      setGuestError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin" id="main">
      <h1>SAFAX-TS</h1>
      <p className="lead">Deploy your access policies once, hand each cloud provider a PDP-URL, and see why every decision came out as it did.</p>
      <form onSubmit={(e) => void submit(e)} aria-describedby="key-help">
        <label htmlFor="api-key">API key</label>
        <input id="api-key" name="api-key" type="password" autoComplete="current-password" required value={key} onChange={(e) => setKey(e.target.value)} />
        <p id="key-help" className="help">
          Your administrator gives you an API key. It stays in this browser tab only.
        </p>
        <button type="submit" className="primary" disabled={busy || key.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error !== null && <ErrorBox error={error} title="Sign-in failed" />}
      </form>
      <section className="guest" aria-labelledby="guest-title">
        <h2 id="guest-title">Just trying it out?</h2>
        <p>A guest session gives you a throw-away domain with small quotas. You see nobody else&apos;s data and nobody sees yours.</p>
        <button type="button" onClick={() => void guest()} disabled={busy}>
          Continue as guest
        </button>
        {guestError !== null &&
          (guestError instanceof ApiFailure && (guestError.missingRoute || guestError.status === 404) ? (
            <div className="notice" role="alert">
              <strong>Guest mode is not available on this server.</strong> Ask your administrator for an API key.
            </div>
          ) : (
            <ErrorBox error={guestError} title="Could not start a guest session" />
          ))}
      </section>
    </main>
  );
}
