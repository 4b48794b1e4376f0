/** The reputation service over HTTP (in-process, supertest). */
import request from 'supertest';
import { serviceDescriptorSchema } from '@safax/contracts';
import { createReputationApp } from '../src/reputation/reputation-app';
import { ReputationStore } from '../src/reputation/reputation-store';

function app() {
  const store = new ReputationStore({ pretrusted: ['alice'] });
  store.rate({ rater: 'alice', ratee: 'bob', score: 0.9 });
  return createReputationApp(store, { writeToken: 'w' });
}

describe('reputation service HTTP', () => {
  it('answers the UDF call (POST JSON) and the human one (GET)', async () => {
    const a = app();
    const res = await request(a).post('/reputation').send({ user: 'bob' });
    expect(res.status).toBe(200);
    expect(res.body.user).toBe('bob');
    expect(res.body.reputation).toBeCloseTo(0.9, 10);
    expect(res.body.raters).toBe(1);
    expect((await request(a).get('/reputation').query({ user: 'nobody' })).body).toEqual({ user: 'nobody', reputation: 0, raters: 0 });
  });

  it('stores ratings (write token) and the reputation follows', async () => {
    const a = app();
    expect((await request(a).post('/ratings').send({ rater: 'alice', ratee: 'bob', score: 0.4 })).status).toBe(401);
    expect((await request(a).post('/ratings').set('authorization', 'Bearer w').send({ rater: 'alice', ratee: 'bob', score: 0.4 })).status).toBe(201);
    expect((await request(a).post('/reputation').send({ user: 'bob' })).body.reputation).toBeCloseTo(0.4, 10);
    expect((await request(a).delete('/ratings').set('authorization', 'Bearer w').send({ rater: 'alice', ratee: 'bob' })).status).toBe(204);
    // Only the pre-trusted seed remains once its one rating is gone.
    expect(Object.keys((await request(a).get('/reputations')).body.users)).toEqual(['alice']);
  });

  it('refuses scores outside [0, 1] and malformed bodies', async () => {
    const a = app();
    for (const score of [-0.1, 1.5, '0.5', null]) {
      const res = await request(a).post('/ratings').set('authorization', 'Bearer w').send({ rater: 'a', ratee: 'b', score });
      expect(res.status).toBe(400);
    }
    expect((await request(a).post('/reputation').send({ user: ['bob'] })).status).toBe(400);
    expect((await request(a).post('/reputation').send({})).status).toBe(400);
  });

  it('serves a valid descriptor', async () => {
    const d = serviceDescriptorSchema.parse((await request(app()).get('/descriptor')).body);
    expect(d.functionUrn).toBe('urn:nl:tue:sec:pdp:1.0:udf:reputation:user:reputation');
    expect(d.responseParameters[0]?.datatype).toBe('http://www.w3.org/2001/XMLSchema#double');
  });
});
