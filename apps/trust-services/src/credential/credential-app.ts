/**
 * HTTP face of the credential service.
 *   GET    /has-credential?user=&credential=&issuer=  → {"result": bool, "chain"?: [issuers]}  (the UDF)
 *   GET    /credentials?user=                        → the user's directly held credentials
 *   POST   /credentials     {issuer, user, credential}      publish (write)
 *   DELETE /credentials     {issuer, user, credential}      revoke  (write)
 *   GET    /delegations
 *   POST   /delegations     {issuer, accepts, credential?}  issuer accepts another's credentials (write)
 *   DELETE /delegations     {issuer, accepts, credential?}  (write)
 */
import type express from 'express';
import { z } from 'zod';
import { createBaseApp, finishApp, ID_PATTERN, requireWriteToken, ServiceError, validate, type TrustAppOptions } from '../common/http-app';
import { credentialDescriptor, type DescriptorIdentity } from './credential-descriptor';
import type { CredentialStore } from './credential-store';

const id = z.string().regex(ID_PATTERN, 'an identifier is 1-200 printable characters');

export const credentialSchema = z.strictObject({ issuer: id, user: id, credential: id });
export const delegationSchema = z.strictObject({ issuer: id, accepts: id, credential: id.optional() });
export const credentialSeedSchema = z.strictObject({
  credentials: z.array(credentialSchema).max(100_000).default([]),
  delegations: z.array(delegationSchema).max(10_000).default([]),
});
export type CredentialSeed = z.infer<typeof credentialSeedSchema>;

const askSchema = z.strictObject({ user: id, credential: id, issuer: id });

export function seedCredentialStore(store: CredentialStore, seed: unknown): void {
  const data = validate(credentialSeedSchema, seed);
  for (const c of data.credentials) {
    const r = store.publish(c);
    if (!r.ok) throw new ServiceError('limit-exceeded', r.reason);
  }
  for (const d of data.delegations) {
    const r = store.delegate(d);
    if (!r.ok) throw new ServiceError('invalid-input', r.reason);
  }
}

export function createCredentialApp(store: CredentialStore, options: TrustAppOptions & DescriptorIdentity = {}): express.Express {
  const app = createBaseApp(options, (base) => credentialDescriptor(base, options));
  const write = requireWriteToken(options.writeToken);

  app.get('/has-credential', (req, res) => {
    const q = validate(askSchema, req.query);
    res.json(store.has(q.user, q.credential, q.issuer));
  });

  app.get('/credentials', (req, res) => {
    const q = validate(z.strictObject({ user: id }), req.query);
    res.json({ credentials: store.credentialsOf(q.user) });
  });

  app.post('/credentials', write, (req, res) => {
    const r = store.publish(validate(credentialSchema, req.body));
    if (!r.ok) throw new ServiceError('limit-exceeded', r.reason);
    res.status(r.created ? 201 : 200).json({ created: r.created });
  });

  app.delete('/credentials', write, (req, res) => {
    if (!store.revoke(validate(credentialSchema, req.body))) throw new ServiceError('not-found', 'no such credential');
    res.status(204).end();
  });

  app.get('/delegations', (_req, res) => {
    res.json({ delegations: store.delegations() });
  });

  app.post('/delegations', write, (req, res) => {
    const r = store.delegate(validate(delegationSchema, req.body));
    if (!r.ok) throw new ServiceError(r.reason.includes('limit') ? 'limit-exceeded' : 'invalid-input', r.reason);
    res.status(r.created ? 201 : 200).json({ created: r.created });
  });

  app.delete('/delegations', write, (req, res) => {
    if (!store.undelegate(validate(delegationSchema, req.body))) throw new ServiceError('not-found', 'no such delegation');
    res.status(204).end();
  });

  return finishApp(app);
}
