/** Start-up on both databases: health, readiness, admin bootstrap, authentication. */
import { PROVIDERS } from './support/test-database';
import { errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

describe.each(PROVIDERS)('platform on %s', (provider) => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform(provider);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers /healthz and /readyz', async () => {
    await t.http().get('/healthz').expect(200, { status: 'ok' });
    const r = await t.http().get('/readyz').expect(200);
    expect(r.body.status).toBe('ready');
  });

  it('bootstraps the admin with the configured key', async () => {
    const r = await t.as(t.adminKey).get('/api/v1/me').expect(200);
    expect(r.body).toMatchObject({ name: 'admin', roles: ['admin'] });
  });

  it('refuses a wrong key and anonymous API calls with 401', async () => {
    const wrong = await t.as('sfx_wrong').get('/api/v1/me').expect(401);
    expect(errorCode(wrong.body)).toBe('unauthenticated');
    const anon = await t.as(null).get('/api/v1/projects').expect(401);
    expect(errorCode(anon.body)).toBe('unauthenticated');
    const malformed = await t.http().get('/api/v1/me').set('Authorization', 'Basic abc').expect(401);
    expect(errorCode(malformed.body)).toBe('unauthenticated');
  });

  it('issues, lists and revokes API keys; a revoked key is refused at once', async () => {
    const me = (await t.as(t.adminKey).get('/api/v1/me').expect(200)).body;
    const created = await t.as(t.adminKey).post(`/api/v1/principals/${me.id}/api-keys`).send({ label: 'ci' }).expect(201);
    expect(created.body.apiKey).toMatch(/^sfx_/);
    await t.as(created.body.apiKey).get('/api/v1/me').expect(200);
    const keys = await t.as(t.adminKey).get(`/api/v1/principals/${me.id}/api-keys`).expect(200);
    expect(keys.body.items.map((k: { label: string }) => k.label)).toEqual(['initial', 'ci']);
    expect(JSON.stringify(keys.body)).not.toContain(created.body.apiKey);
    await t.as(t.adminKey).delete(`/api/v1/principals/${me.id}/api-keys/${created.body.id}`).expect(204);
    await t.as(created.body.apiKey).get('/api/v1/me').expect(401);
  });

  it('stores API keys only hashed', async () => {
    const rows = await t.platform.database.prisma.apiKey.findMany();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(t.adminKey);
  });

  it('answers unknown routes with the error shape', async () => {
    const r = await t.as(t.adminKey).get('/api/v1/nope').expect(404);
    expect(errorCode(r.body)).toBe('not-found');
  });
});
