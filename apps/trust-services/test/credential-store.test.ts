/** The credential question, with delegation chains, scopes, cycles and bounds. */
import { CredentialStore } from '../src/credential/credential-store';

function store(): CredentialStore {
  const s = new CredentialStore();
  s.publish({ issuer: 'mayo-clinic', user: 'charlie', credential: 'neurologist' });
  s.publish({ issuer: 'mayo-neurology', user: 'dana', credential: 'neurologist' });
  s.publish({ issuer: 'mayo-neurology', user: 'dana', credential: 'surgeon' });
  return s;
}

describe('CredentialStore', () => {
  it('answers a directly issued credential', () => {
    expect(store().has('charlie', 'neurologist', 'mayo-clinic')).toEqual({ result: true, chain: ['mayo-clinic'] });
  });

  it('says no for another user, credential or issuer', () => {
    const s = store();
    expect(s.has('bob', 'neurologist', 'mayo-clinic')).toEqual({ result: false });
    expect(s.has('charlie', 'surgeon', 'mayo-clinic')).toEqual({ result: false });
    expect(s.has('charlie', 'neurologist', 'amc')).toEqual({ result: false });
  });

  it('follows a delegation chain and reports it', () => {
    const s = store();
    s.delegate({ issuer: 'network', accepts: 'mayo-clinic' });
    s.delegate({ issuer: 'mayo-clinic', accepts: 'mayo-neurology' });
    expect(s.has('dana', 'neurologist', 'network')).toEqual({ result: true, chain: ['network', 'mayo-clinic', 'mayo-neurology'] });
  });

  it('a delegation scoped to one credential does not carry others', () => {
    const s = store();
    s.delegate({ issuer: 'mayo-clinic', accepts: 'mayo-neurology', credential: 'neurologist' });
    expect(s.has('dana', 'neurologist', 'mayo-clinic').result).toBe(true);
    expect(s.has('dana', 'surgeon', 'mayo-clinic').result).toBe(false);
  });

  it('delegation is one-way', () => {
    const s = store();
    s.delegate({ issuer: 'mayo-clinic', accepts: 'mayo-neurology' });
    expect(s.has('charlie', 'neurologist', 'mayo-neurology').result).toBe(false);
  });

  it('terminates on cycles', () => {
    const s = store();
    s.delegate({ issuer: 'a', accepts: 'b' });
    s.delegate({ issuer: 'b', accepts: 'c' });
    s.delegate({ issuer: 'c', accepts: 'a' });
    expect(s.has('nobody', 'x', 'a')).toEqual({ result: false });
    s.delegate({ issuer: 'c', accepts: 'mayo-clinic' });
    expect(s.has('charlie', 'neurologist', 'a')).toEqual({ result: true, chain: ['a', 'b', 'c', 'mayo-clinic'] });
  });

  it('stops at the depth bound', () => {
    const s = new CredentialStore({ maxCredentials: 10, maxDelegations: 100, maxDepth: 3 });
    for (let i = 0; i < 5; i++) s.delegate({ issuer: `i${i}`, accepts: `i${i + 1}` });
    s.publish({ issuer: 'i5', user: 'u', credential: 'c' });
    expect(s.has('u', 'c', 'i2').result).toBe(true);
    expect(s.has('u', 'c', 'i0').result).toBe(false);
  });

  it('revokes credentials and delegations', () => {
    const s = store();
    s.delegate({ issuer: 'mayo-clinic', accepts: 'mayo-neurology' });
    expect(s.undelegate({ issuer: 'mayo-clinic', accepts: 'mayo-neurology' })).toBe(true);
    expect(s.has('dana', 'neurologist', 'mayo-clinic').result).toBe(false);
    expect(s.revoke({ issuer: 'mayo-clinic', user: 'charlie', credential: 'neurologist' })).toBe(true);
    expect(s.revoke({ issuer: 'mayo-clinic', user: 'charlie', credential: 'neurologist' })).toBe(false);
    expect(s.has('charlie', 'neurologist', 'mayo-clinic').result).toBe(false);
  });

  it('enforces its limits and refuses self-delegation', () => {
    const s = new CredentialStore({ maxCredentials: 1, maxDelegations: 1, maxDepth: 4 });
    expect(s.publish({ issuer: 'i', user: 'u', credential: 'c' })).toEqual({ ok: true, created: true });
    expect(s.publish({ issuer: 'i', user: 'u', credential: 'c' })).toEqual({ ok: true, created: false });
    expect(s.publish({ issuer: 'i', user: 'v', credential: 'c' }).ok).toBe(false);
    expect(s.delegate({ issuer: 'i', accepts: 'i' }).ok).toBe(false);
    expect(s.delegate({ issuer: 'i', accepts: 'j' }).ok).toBe(true);
    expect(s.delegate({ issuer: 'i', accepts: 'k' }).ok).toBe(false);
    expect(s.size).toEqual({ credentials: 1, delegations: 1 });
  });

  it('lists what a user holds and the delegations', () => {
    const s = store();
    s.delegate({ issuer: 'x', accepts: 'y', credential: 'c' });
    expect(s.credentialsOf('dana')).toEqual([
      { issuer: 'mayo-neurology', user: 'dana', credential: 'neurologist' },
      { issuer: 'mayo-neurology', user: 'dana', credential: 'surgeon' },
    ]);
    expect(s.delegations()).toEqual([{ issuer: 'x', accepts: 'y', credential: 'c' }]);
  });
});
