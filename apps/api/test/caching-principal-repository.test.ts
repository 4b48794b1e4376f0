/** API-key lookups are reused for a while, and forgotten at once on any write. */
import { cachingPrincipalRepository } from '../src/repositories/caching-principal-repository';
import type { PrincipalRecord, PrincipalRepository } from '../src/repositories/ports';

function fake(): { repo: PrincipalRepository; lookups: () => number; setRoles: (r: PrincipalRecord['roles']) => void } {
  let lookups = 0;
  let roles: PrincipalRecord['roles'] = ['admin'];
  const p = (): PrincipalRecord => ({ id: 'u', name: 'u', roles, createdAt: new Date(0) });
  const unused = async (): Promise<never> => {
    throw new Error('not used here');
  };
  const repo: PrincipalRepository = {
    create: unused,
    findById: unused,
    findByName: unused,
    findByKeyHash: async () => {
      lookups++;
      return p();
    },
    list: unused,
    updateRoles: async (_id, r) => {
      roles = r;
      return p();
    },
    delete: async () => true,
    countWithRole: unused,
    addKey: unused,
    listKeys: unused,
    deleteKey: async () => true,
  };
  return { repo, lookups: () => lookups, setRoles: (r) => (roles = r) };
}

describe('cachingPrincipalRepository', () => {
  it('answers repeated lookups from memory until the TTL passes', async () => {
    const f = fake();
    let now = 1000;
    const repo = cachingPrincipalRepository(f.repo, 500, () => now);
    await repo.findByKeyHash('h');
    await repo.findByKeyHash('h');
    expect(f.lookups()).toBe(1);
    now += 501;
    await repo.findByKeyHash('h');
    expect(f.lookups()).toBe(2);
  });

  it('forgets everything on a write through it', async () => {
    const f = fake();
    const repo = cachingPrincipalRepository(f.repo, 60_000);
    expect((await repo.findByKeyHash('h'))?.roles).toEqual(['admin']);
    await repo.updateRoles('u', []);
    expect((await repo.findByKeyHash('h'))?.roles).toEqual([]);
    await repo.deleteKey('u', 'k');
    await repo.findByKeyHash('h');
    expect(f.lookups()).toBe(3);
  });

  it('with a TTL of 0 is the repository itself', () => {
    const f = fake();
    expect(cachingPrincipalRepository(f.repo, 0)).toBe(f.repo);
  });
});
