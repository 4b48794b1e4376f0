/** The flow-based reputation metric: absolute values, weighting by trust, collusion resistance. */
import { computeReputation, type Rating } from '../src/reputation/reputation-metric';
import { ReputationStore } from '../src/reputation/reputation-store';

const r = (rater: string, ratee: string, score: number): Rating => ({ rater, ratee, score });

describe('computeReputation', () => {
  it('a user everyone rates 0.8 has reputation 0.8 (absolute, not relative)', () => {
    const res = computeReputation([r('a', 'x', 0.8), r('b', 'x', 0.8), r('c', 'x', 0.8), r('x', 'a', 1), r('a', 'b', 1), r('b', 'c', 1)]);
    expect(res.users.get('x')!.reputation).toBeCloseTo(0.8, 10);
  });

  it('every value is in [0, 1] and trust sums to 1', () => {
    const ratings: Rating[] = [];
    for (let i = 0; i < 30; i++) for (let j = 0; j < 30; j++) if ((i * 7 + j * 3) % 5 === 0) ratings.push(r(`u${i}`, `u${j}`, ((i + j) % 11) / 10));
    const res = computeReputation(ratings, { pretrusted: ['u0'] });
    let sum = 0;
    for (const u of res.users.values()) {
      expect(u.reputation).toBeGreaterThanOrEqual(0);
      expect(u.reputation).toBeLessThanOrEqual(1);
      expect(u.raterWeight).toBeGreaterThanOrEqual(0);
      expect(u.raterWeight).toBeLessThanOrEqual(1);
      sum += u.trust;
    }
    expect(sum).toBeCloseTo(1, 8);
    expect(res.iterations).toBeLessThan(1000);
  });

  it('weights a rater by the trust that flows to it', () => {
    // alice (pre-trusted) trusts bob; nobody trusts eve. bob and eve disagree about x.
    const res = computeReputation([r('alice', 'bob', 1), r('bob', 'x', 0.9), r('eve', 'x', 0.1)], { pretrusted: ['alice'] });
    expect(res.users.get('eve')!.raterWeight).toBe(0);
    expect(res.users.get('x')!.reputation).toBeCloseTo(0.9, 10);
    expect(res.users.get('x')!.raters).toBe(1);
  });

  it('a colluding clique without trust from the pre-trusted cannot lift itself', () => {
    const honest = [r('alice', 'bob', 0.9), r('bob', 'alice', 0.9), r('alice', 'mallory', 0.2)];
    const clique = [r('s1', 'mallory', 1), r('s2', 'mallory', 1), r('s1', 's2', 1), r('s2', 's1', 1)];
    const res = computeReputation([...honest, ...clique], { pretrusted: ['alice'] });
    expect(res.users.get('mallory')!.reputation).toBeCloseTo(0.2, 10);
    expect(res.users.get('s1')!.reputation).toBe(0);
  });

  it('a poor rating lends no trust: what the poorly rated user says does not count', () => {
    // bob rates mallory 0.1; mallory's sybils rate her 1. Only bob's opinion may count.
    const ratings = [r('alice', 'bob', 0.9), r('bob', 'mallory', 0.1), r('mallory', 's1', 1), r('s1', 'mallory', 1)];
    const res = computeReputation(ratings, { pretrusted: ['alice'] });
    expect(res.users.get('mallory')!.trust).toBeCloseTo(0, 12);
    expect(res.users.get('s1')!.raterWeight).toBeCloseTo(0, 12);
    expect(res.users.get('mallory')!.reputation).toBeCloseTo(0.1, 10);
    // With θ = 0 (plain EigenTrust flow) the poor rating would leak trust to the clique.
    expect(computeReputation(ratings, { pretrusted: ['alice'], neutral: 0 }).users.get('mallory')!.reputation).toBeGreaterThan(0.1);
  });

  it('ignores self-ratings; an unrated user has 0', () => {
    const res = computeReputation([r('a', 'a', 1), r('a', 'b', 0.6)]);
    expect(res.users.get('a')!.reputation).toBe(0);
    expect(res.users.get('b')!.reputation).toBeCloseTo(0.6, 10);
    expect(computeReputation([]).users.size).toBe(0);
  });
});

describe('ReputationStore', () => {
  it('keeps the latest rating per pair and recomputes after a change', () => {
    const s = new ReputationStore();
    s.rate(r('a', 'b', 0.2));
    expect(s.reputationOf('b').reputation).toBeCloseTo(0.2, 10);
    s.rate(r('a', 'b', 0.7));
    expect(s.size).toBe(1);
    expect(s.reputationOf('b').reputation).toBeCloseTo(0.7, 10);
    expect(s.remove('a', 'b')).toBe(true);
    expect(s.reputationOf('b').reputation).toBe(0);
    expect(s.reputationOf('unknown')).toEqual({ reputation: 0, trust: 0, raterWeight: 0, raters: 0 });
  });

  it('refuses new ratings beyond its bound', () => {
    const s = new ReputationStore({ maxRatings: 1 });
    expect(s.rate(r('a', 'b', 1))).toBe(true);
    expect(s.rate(r('a', 'b', 0.5))).toBe(true);
    expect(s.rate(r('a', 'c', 1))).toBe(false);
  });
});
