/** The credential service over HTTP (in-process, supertest). */
import request from 'supertest';
import { serviceDescriptorSchema } from '@safax/contracts';
import { createCredentialApp, seedCredentialStore } from '../src/credential/credential-app';
import { CredentialStore } from '../src/credential/credential-store';
import { ServiceError } from '../src/common/http-app';

function app(writeToken?: string) {
  const store = new CredentialStore();
  seedCredentialStore(store, {
    credentials: [{ issuer: 'mayo-clinic', user: 'charlie', credential: 'neurologist' }],
    delegations: [{ issuer: 'network', accepts: 'mayo-clinic' }],
  });
  return createCredentialApp(store, writeToken ? { writeToken } : {});
}

describe('credential service HTTP', () => {
  it('answers has-credential with the chain', async () => {
    const res = await request(app()).get('/has-credential').query({ user: 'charlie', credential: 'neurologist', issuer: 'network' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: true, chain: ['network', 'mayo-clinic'] });
    const no = await request(app()).get('/has-credential').query({ user: 'bob', credential: 'neurologist', issuer: 'network' });
    expect(no.body).toEqual({ result: false });
  });

  it('rejects missing, repeated or unknown query parameters with 400 and one error shape', async () => {
    const missing = await request(app()).get('/has-credential').query({ user: 'charlie' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('invalid-input');
    expect(missing.body.error.message).toContain('credential');
    const repeated = await request(app()).get('/has-credential?user=a&user=b&credential=c&issuer=i');
    expect(repeated.status).toBe(400);
    const extra = await request(app()).get('/has-credential').query({ user: 'a', credential: 'c', issuer: 'i', x: '1' });
    expect(extra.status).toBe(400);
  });

  it('publishes, revokes and delegates', async () => {
    const a = app();
    expect((await request(a).post('/credentials').send({ issuer: 'amc', user: 'erik', credential: 'physician' })).status).toBe(201);
    expect((await request(a).post('/credentials').send({ issuer: 'amc', user: 'erik', credential: 'physician' })).status).toBe(200);
    expect((await request(a).get('/credentials').query({ user: 'erik' })).body.credentials).toEqual([{ issuer: 'amc', user: 'erik', credential: 'physician' }]);
    expect((await request(a).post('/delegations').send({ issuer: 'network', accepts: 'amc', credential: 'physician' })).status).toBe(201);
    expect((await request(a).get('/has-credential').query({ user: 'erik', credential: 'physician', issuer: 'network' })).body.result).toBe(true);
    expect((await request(a).delete('/credentials').send({ issuer: 'amc', user: 'erik', credential: 'physician' })).status).toBe(204);
    expect((await request(a).delete('/credentials').send({ issuer: 'amc', user: 'erik', credential: 'physician' })).status).toBe(404);
    expect((await request(a).post('/delegations').send({ issuer: 'x', accepts: 'x' })).status).toBe(400);
  });

  it('guards writes with the write token, reads stay open', async () => {
    const a = app('t0ken');
    const body = { issuer: 'amc', user: 'erik', credential: 'physician' };
    expect((await request(a).post('/credentials').send(body)).status).toBe(401);
    expect((await request(a).post('/credentials').set('authorization', 'Bearer wrong').send(body)).status).toBe(401);
    expect((await request(a).post('/credentials').set('authorization', 'Bearer t0ken').send(body)).status).toBe(201);
    expect((await request(a).get('/has-credential').query({ user: 'erik', credential: 'physician', issuer: 'amc' })).body.result).toBe(true);
  });

  it('refuses bad input: malformed JSON, wrong types, control characters, oversized bodies', async () => {
    const a = app();
    const malformed = await request(a).post('/credentials').set('content-type', 'application/json').send('{"issuer":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid-input');
    expect((await request(a).post('/credentials').send({ issuer: 1, user: 'u', credential: 'c' })).status).toBe(400);
    expect((await request(a).post('/credentials').send({ issuer: 'i\u0000', user: 'u', credential: 'c' })).status).toBe(400);
    expect((await request(a).post('/credentials').send({ issuer: 'x'.repeat(201), user: 'u', credential: 'c' })).status).toBe(400);
    const big = await request(a).post('/credentials').send({ issuer: 'x'.repeat(20_000), user: 'u', credential: 'c' });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload-too-large');
    expect((await request(a).get('/nope')).status).toBe(404);
  });

  it('serves its own descriptor, valid for the Service Repository', async () => {
    const res = await request(app()).get('/descriptor');
    const d = serviceDescriptorSchema.parse(res.body);
    expect(d.functionUrn).toBe('urn:nl:tue:sec:pdp:1.0:udf:credential:user:has:credential');
    expect(d.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/has-credential$/);
  });

  it('a seed that does not validate is refused', () => {
    expect(() => seedCredentialStore(new CredentialStore(), { credentials: [{ issuer: 'i' }] })).toThrow(ServiceError);
  });
});
