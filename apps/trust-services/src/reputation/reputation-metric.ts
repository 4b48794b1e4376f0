/**
 * The reputation metric: a flow-based trust computation (EigenTrust-like) that yields
 * ABSOLUTE values in [0, 1], so a policy can say "reputation ≥ 0.7".
 *
 * Input: ratings s(j→i) ∈ [0, 1] (the latest rating of i by j; self-ratings are ignored), a
 * set P of pre-trusted users, a damping factor α, and a neutral rating θ.
 *
 * 1. Trust flow (EigenTrust). Only a favourable rating passes trust: its excess over the
 *    neutral point θ (default 0.5), as EigenTrust clips "satisfied − unsatisfied" at 0, so
 *    rating someone poorly never lends them the rater's trust. Each rater j splits one unit of
 *    trust among the users it rated favourably, in proportion to that excess:
 *    c(j→i) = max(s(j→i) − θ, 0) / Σ_k max(s(j→k) − θ, 0). Global trust t is the
 *    stationary distribution of  t ← (1−α)·Cᵀt + α·p, where p is uniform over P (over all
 *    users when P is empty); trust of raters who rated nobody favourably flows back to p.
 *    t is relative (it sums to 1) and says how much the community's trust, starting from
 *    the pre-trusted users, reaches each user.
 * 2. Rater weight. w(j) = t(j) / max t, in [0, 1]: how much j's opinion counts.
 * 3. Reputation. rep(i) = Σ_j w(j)·s(j→i) / Σ_j w(j), over the raters j of i with w(j) > 0:
 *    the trust-weighted average of the scores i received — a value on the rating scale
 *    itself, hence absolute. A user nobody (with weight) has rated has reputation 0.
 *
 * Why this resists collusion: a clique that rates itself highly but receives no favourable
 * rating reachable from the pre-trusted users has t = 0, so its ratings carry no weight
 * (when P is given).
 */

export interface Rating {
  readonly rater: string;
  readonly ratee: string;
  /** In [0, 1]. */
  readonly score: number;
}

export interface MetricOptions {
  /** Users whose trust seeds the flow; empty = everyone equally. */
  readonly pretrusted?: readonly string[];
  /** Teleport probability α in (0, 1) (default 0.15). */
  readonly damping?: number;
  /** Neutral rating θ: only the part of a score above it passes trust (default 0.5). */
  readonly neutral?: number;
  /** L1 convergence threshold (default 1e-10). */
  readonly epsilon?: number;
  /** Iteration bound (default 1000). */
  readonly maxIterations?: number;
}

export interface UserReputation {
  /** Absolute reputation in [0, 1]; 0 when unrated. */
  readonly reputation: number;
  /** Global trust t (relative; sums to 1 over all users). */
  readonly trust: number;
  /** Weight of this user's own ratings, in [0, 1]. */
  readonly raterWeight: number;
  /** Raters with weight > 0 whose scores make up the reputation. */
  readonly raters: number;
}

export interface MetricResult {
  readonly users: ReadonlyMap<string, UserReputation>;
  readonly iterations: number;
}

export function computeReputation(ratings: readonly Rating[], options: MetricOptions = {}): MetricResult {
  const alpha = options.damping ?? 0.15;
  const theta = options.neutral ?? 0.5;
  const epsilon = options.epsilon ?? 1e-10;
  const maxIterations = options.maxIterations ?? 1000;

  const index = new Map<string, number>();
  const names: string[] = [];
  const idOf = (u: string): number => {
    let i = index.get(u);
    if (i === undefined) {
      i = names.length;
      index.set(u, i);
      names.push(u);
    }
    return i;
  };
  for (const u of options.pretrusted ?? []) idOf(u);
  const edges: { from: number; to: number; score: number }[] = [];
  for (const r of ratings) {
    if (r.rater === r.ratee) continue;
    edges.push({ from: idOf(r.rater), to: idOf(r.ratee), score: Math.min(1, Math.max(0, r.score)) });
  }
  const n = names.length;
  if (n === 0) return { users: new Map(), iterations: 0 };

  // Teleport distribution p.
  const p = new Float64Array(n);
  const seeds = (options.pretrusted ?? []).map((u) => index.get(u)!);
  if (seeds.length > 0) for (const s of seeds) p[s] = 1 / seeds.length;
  else p.fill(1 / n);

  // Normalised local trust: only the favourable part of a rating flows.
  const excess = (score: number): number => Math.max(score - theta, 0);
  const outSum = new Float64Array(n);
  for (const e of edges) outSum[e.from]! += excess(e.score);
  const flow = edges.filter((e) => excess(e.score) > 0).map((e) => ({ from: e.from, to: e.to, c: excess(e.score) / outSum[e.from]! }));

  let t = Float64Array.from(p);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const next = new Float64Array(n);
    let dangling = 0;
    for (let j = 0; j < n; j++) if (outSum[j] === 0) dangling += t[j]!;
    for (const f of flow) next[f.to]! += f.c * t[f.from]!;
    let delta = 0;
    for (let i = 0; i < n; i++) {
      const v = (1 - alpha) * (next[i]! + dangling * p[i]!) + alpha * p[i]!;
      delta += Math.abs(v - t[i]!);
      next[i] = v;
    }
    t = next;
    if (delta < epsilon) {
      iterations++;
      break;
    }
  }

  let maxT = 0;
  for (let i = 0; i < n; i++) maxT = Math.max(maxT, t[i]!);
  const weight = (i: number): number => (maxT > 0 ? t[i]! / maxT : 0);

  const weighted = new Float64Array(n);
  const weights = new Float64Array(n);
  const raters = new Uint32Array(n);
  for (const e of edges) {
    const w = weight(e.from);
    if (w <= 0) continue;
    weighted[e.to]! += w * e.score;
    weights[e.to]! += w;
    raters[e.to]!++;
  }

  const users = new Map<string, UserReputation>();
  for (let i = 0; i < n; i++) {
    const rep = weights[i]! > 0 ? weighted[i]! / weights[i]! : 0;
    users.set(names[i]!, { reputation: clamp01(rep), trust: t[i]!, raterWeight: weight(i), raters: raters[i]! });
  }
  return { users, iterations };
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
