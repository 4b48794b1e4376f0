/**
 * HTTP face of the reputation service.
 *   POST   /reputation   {"user"}            → {"user", "reputation", "raters"}   (the UDF)
 *   GET    /reputation?user=                 → the same, for people
 *   GET    /reputations                      → every user's reputation, trust and rater weight
 *   POST   /ratings      {rater, ratee, score ∈ [0,1]}   add or replace (write)
 *   DELETE /ratings      {rater, ratee}                  (write)
 */
import type express from 'express';
import { z } from 'zod';
import { createBaseApp, finishApp, ID_PATTERN, requireWriteToken, ServiceError, validate, type TrustAppOptions } from '../common/http-app';
import type { DescriptorIdentity } from '../credential/credential-descriptor';
import { reputationDescriptor } from './reputation-descriptor';
import type { ReputationStore } from './reputation-store';

const id = z.string().regex(ID_PATTERN, 'an identifier is 1-200 printable characters');
export const ratingSchema = z.strictObject({ rater: id, ratee: id, score: z.number().min(0).max(1) });
export const reputationSeedSchema = z.strictObject({
  pretrusted: z.array(id).max(1000).default([]),
  ratings: z.array(ratingSchema).max(100_000).default([]),
});
export type ReputationSeed = z.infer<typeof reputationSeedSchema>;

export function seedReputationStore(store: ReputationStore, seed: { ratings: readonly z.infer<typeof ratingSchema>[] }): void {
  for (const r of seed.ratings) if (!store.rate(r)) throw new ServiceError('limit-exceeded', 'the store is full');
}

export function createReputationApp(store: ReputationStore, options: TrustAppOptions & DescriptorIdentity = {}): express.Express {
  const app = createBaseApp(options, (base) => reputationDescriptor(base, options));
  const write = requireWriteToken(options.writeToken);
  const answer = (user: string): { user: string; reputation: number; raters: number } => {
    const r = store.reputationOf(user);
    return { user, reputation: r.reputation, raters: r.raters };
  };

  app.post('/reputation', (req, res) => {
    res.json(answer(validate(z.strictObject({ user: id }), req.body).user));
  });
  app.get('/reputation', (req, res) => {
    res.json(answer(validate(z.strictObject({ user: id }), req.query).user));
  });
  app.get('/reputations', (_req, res) => {
    res.json({ users: Object.fromEntries(store.all()) });
  });
  app.post('/ratings', write, (req, res) => {
    if (!store.rate(validate(ratingSchema, req.body))) throw new ServiceError('limit-exceeded', 'the store holds its limit of ratings');
    res.status(201).json({ stored: true });
  });
  app.delete('/ratings', write, (req, res) => {
    const r = validate(z.strictObject({ rater: id, ratee: id }), req.body);
    if (!store.remove(r.rater, r.ratee)) throw new ServiceError('not-found', 'no such rating');
    res.status(204).end();
  });
  return finishApp(app);
}
