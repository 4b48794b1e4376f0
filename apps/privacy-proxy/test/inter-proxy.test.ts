/**
 * Collaborative deployment: a partner's proxy in relay mode forwards its users' statements to
 * the data-owning proxy as the technical user `partner-proxy`, carrying the original user.
 * The owning proxy asks SAFAX-TS with the technical user as access subject and the original
 * user as intermediary subject, so the sample policy's "the partner proxy reads patients
 * generalised" applies; on-behalf-of from anyone but a technical user is refused.
 */
import { errorOf, PASSWORD, seededDatabase, startSafax, startTestProxy, USERS } from './support/proxy-harness';
import type { ProxyUnderTest, Safax } from './support/proxy-harness';

// The platform, PostgreSQL databases, psql and TLS handshakes are slow on a loaded machine; no timing is asserted.
jest.setTimeout(60_000);

let safax: Safax;
let db: Awaited<ReturnType<typeof seededDatabase>>;
let owner: ProxyUnderTest;
let relay: ProxyUnderTest;

beforeAll(async () => {
  [safax, db] = await Promise.all([startSafax(), seededDatabase()]);
  owner = await startTestProxy({ database: db.name, pdpUrl: safax.pdpUrl, apiKey: safax.controllerKey });
  relay = await startTestProxy({
    database: db.name,
    pdpUrl: safax.pdpUrl,
    apiKey: safax.controllerKey,
    users: [{ name: 'rita', groups: ['partner-staff'], roles: [], technical: false }, ...USERS.filter((u) => u.name === 'nurse')],
    upstream: { host: '127.0.0.1', port: owner.server.port, user: 'partner-proxy', password: PASSWORD },
    config: { relay: { onBehalfOf: true }, protection: undefined },
  });
});
afterAll(async () => {
  await relay?.close();
  await owner?.close();
  await safax?.close();
  await db?.drop();
});

it("relays a partner user's query as the technical user and gets the rows generalised by the owner's policy", async () => {
  const rita = await relay.connect('rita');
  const r = await rita.query('SELECT id, name, ssn, birth_date, age FROM patients WHERE id = $1', [3]);
  expect(r.rows).toEqual([{ id: 3, name: null, ssn: '*******8901', birth_date: new Date(1988, 0, 1), age: 30 }]);
  // The owning proxy decided as partner-proxy on behalf of rita, and says so in its log.
  const line = owner.log.lines.find((l) => l.msg === 'statement' && l.fields.user === 'partner-proxy' && l.fields.onBehalfOf === 'rita' && l.fields.outcome === 'permit');
  expect(line).toBeDefined();
  // SAFAX-TS logged the request with both identities.
  const tx = (line?.fields.safaxTransactionIds as string[])[0] as string;
  let entry: { status: number; text: string } = { status: 0, text: '' };
  for (let i = 0; i < 50 && entry.status !== 200; i++) {
    entry = await safax.t.as(safax.domain.owner.key).get(`/api/v1/domains/${safax.domain.domainId}/decisions/${tx}`);
    if (entry.status !== 200) await new Promise((res) => setTimeout(res, 20));
  }
  expect(entry.text).toContain('intermediary-subject');
  expect(entry.text).toContain('rita');
  expect(entry.text).toContain('partner-proxy');
  await rita.end();
});

it("denies at the owner what the owner's policy does not grant the partner, with the owner's transaction id", async () => {
  const rita = await relay.connect('rita');
  const e = await errorOf(rita.query('SELECT * FROM visits'));
  expect(e.code).toBe('42501');
  expect(e.message).toMatch(/permission denied for dataset public\.visits \(read\) \(SAFAX transaction [0-9a-f-]{36}\)/);
  expect((await rita.query('SELECT count(*)::int AS n FROM patients')).rows[0].n).toBe(5);
  await rita.end();
});

it('applies the relay\'s own decisions first', async () => {
  const nurse = await relay.connect('nurse');
  expect((await errorOf(nurse.query('SELECT * FROM patients'))).code).toBe('42501');
  await nurse.end();
});

it('refuses on-behalf-of from a normal user, at the owner and at the relay', async () => {
  expect((await errorOf(owner.connect('nurse', { options: '-c safax.on_behalf_of=doctor' }))).message).toMatch(/only technical users/);
  expect((await errorOf(relay.connect('rita', { options: '-c safax.on_behalf_of=doctor' }))).message).toMatch(/only technical users/);
});
