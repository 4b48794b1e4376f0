/**
 * The whole chain for end-to-end tests: the real SAFAX-TS platform in-process on an ephemeral
 * port (its own SQLite database), a domain with the hospital sample policy (plus test
 * policies), a domains controller whose API key the proxy uses, a fresh PostgreSQL database
 * seeded with policies/samples/hospital/seed.sql, a users file, and the proxy itself.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { ClientConfig } from 'pg';
import { ownerWithDomain } from '../../../api/test/support/fixtures';
import type { OwnedDomain } from '../../../api/test/support/fixtures';
import { createTestDatabase } from '../../../api/test/support/test-database';
import type { TestDatabase } from '../../../api/test/support/test-database';
import { createUser, startTestPlatform } from '../../../api/test/support/test-platform';
import type { TestPlatform } from '../../../api/test/support/test-platform';
import { parseConfig } from '../../src/config/proxy-config';
import { memoryLogger } from '../../src/ops/logger';
import { createPepDecisionPort } from '../../src/policy/pep-decision-port';
import { startProxy } from '../../src/server';
import type { ProxyServer } from '../../src/server';
import { createVerifier, formatVerifier } from '../../src/users/scram';
import { writeUsersFile } from '../../src/users/users-file';
import type { UserRecord } from '../../src/users/users-file';

const REPO = join(__dirname, '..', '..', '..', '..');
export const HOSPITAL_POLICY = readFileSync(join(REPO, 'policies', 'samples', 'hospital', 'hospital-policy.xml'), 'utf8');
export const SEED_SQL = readFileSync(join(REPO, 'policies', 'samples', 'hospital', 'seed.sql'), 'utf8');
export const PG_HOST = new URL(process.env.SAFAX_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');

export const PASSWORD = 'correct horse battery';
const S = 'http://www.w3.org/2001/XMLSchema#string';

/** Test-only rules next to the sample: DDL for dbas, an obligation nobody knows for auditors, partner staff at the relay. */
export const TEST_POLICY = `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="urn:safax:test:proxy" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-unless-permit">
  <Target/>
  <Rule RuleId="dba-ddl" Effect="Permit"><Target>
    <AnyOf><AllOf><Match MatchId="urn:oasis:names:tc:xacml:1.0:function:string-equal"><AttributeValue DataType="${S}">dba</AttributeValue><AttributeDesignator Category="urn:oasis:names:tc:xacml:1.0:subject-category:access-subject" AttributeId="urn:safax:1.0:subject:group" DataType="${S}" MustBePresent="false"/></Match></AllOf></AnyOf>
  </Target></Rule>
  <Rule RuleId="auditors-watermark" Effect="Permit"><Target>
    <AnyOf><AllOf><Match MatchId="urn:oasis:names:tc:xacml:1.0:function:string-equal"><AttributeValue DataType="${S}">auditors</AttributeValue><AttributeDesignator Category="urn:oasis:names:tc:xacml:1.0:subject-category:access-subject" AttributeId="urn:safax:1.0:subject:group" DataType="${S}" MustBePresent="false"/></Match></AllOf></AnyOf>
  </Target>
  <ObligationExpressions><ObligationExpression ObligationId="urn:example:obligation:watermark" FulfillOn="Permit"><AttributeAssignmentExpression AttributeId="urn:safax:1.0:obligation:column"><AttributeValue DataType="${S}">name</AttributeValue></AttributeAssignmentExpression></ObligationExpression></ObligationExpressions></Rule>
  <Rule RuleId="partner-staff-read" Effect="Permit"><Target>
    <AnyOf><AllOf><Match MatchId="urn:oasis:names:tc:xacml:1.0:function:string-equal"><AttributeValue DataType="${S}">partner-staff</AttributeValue><AttributeDesignator Category="urn:oasis:names:tc:xacml:1.0:subject-category:access-subject" AttributeId="urn:safax:1.0:subject:group" DataType="${S}" MustBePresent="false"/></Match></AllOf></AnyOf>
    <AnyOf><AllOf><Match MatchId="urn:oasis:names:tc:xacml:1.0:function:string-equal"><AttributeValue DataType="${S}">read</AttributeValue><AttributeDesignator Category="urn:oasis:names:tc:xacml:3.0:attribute-category:action" AttributeId="urn:oasis:names:tc:xacml:1.0:action:action-id" DataType="${S}" MustBePresent="false"/></Match></AllOf></AnyOf>
  </Target></Rule>
</Policy>`;

export const USERS: readonly Omit<UserRecord, 'scram'>[] = [
  { name: 'doctor', groups: ['doctors'], roles: [], technical: false },
  { name: 'researcher', groups: ['researchers'], roles: [], technical: false },
  { name: 'nurse', groups: [], roles: [], technical: false },
  { name: 'dba', groups: ['dba', 'doctors'], roles: [], technical: false },
  { name: 'auditor', groups: ['auditors'], roles: [], technical: false },
  { name: 'partner-proxy', groups: [], roles: [], technical: true },
];

export interface Safax {
  readonly t: TestPlatform;
  readonly domain: OwnedDomain;
  readonly http: Server;
  readonly port: number;
  readonly pdpUrl: string;
  readonly controllerKey: string;
  /** Restarts the HTTP listener on the same port (after `stopHttp`). */
  startHttp(): Promise<void>;
  stopHttp(): Promise<void>;
  close(): Promise<void>;
}

function listen(t: TestPlatform, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer(t.platform.app).listen(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

async function closeServer(s: Server): Promise<void> {
  s.closeAllConnections();
  await new Promise<void>((resolve) => s.close(() => resolve()));
}

/** The platform with the hospital sample deployed on a domain the proxy's controller may call. */
export async function startSafax(): Promise<Safax> {
  const t = await startTestPlatform('sqlite');
  const domain = await ownerWithDomain(t, 'hospital-owner', 'hospital');
  const dc = await createUser(t, 'proxy-controller', ['domains-controller']);
  await t.as(domain.owner.key).put(`/api/v1/domains/${domain.domainId}/controllers/${dc.id}`).expect((r) => {
    if (r.status >= 300) throw new Error(`authorising the controller: HTTP ${r.status}`);
  });
  await t.as(domain.owner.key).post(`/api/v1/domains/${domain.domainId}/policies`).set('Content-Type', 'application/xml').send(HOSPITAL_POLICY).expect(201);
  await t.as(domain.owner.key).post(`/api/v1/domains/${domain.domainId}/policies`).set('Content-Type', 'application/xml').send(TEST_POLICY).expect(201);
  await t.as(domain.owner.key).put(`/api/v1/domains/${domain.domainId}/pdp`).send({ rootCombiningAlgorithm: 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:deny-unless-permit', logDetail: 'full' }).expect(200);
  let http = await listen(t, 0);
  const port = (http.address() as { port: number }).port;
  return {
    t,
    domain,
    get http() {
      return http;
    },
    port,
    pdpUrl: `http://127.0.0.1:${port}/pdp/${domain.pdpId}`,
    controllerKey: dc.key,
    startHttp: async () => {
      http = await listen(t, port);
    },
    stopHttp: () => closeServer(http),
    close: async () => {
      if (http.listening) await closeServer(http);
      await t.close();
    },
  };
}

/** A fresh PostgreSQL database with the hospital seed. */
export async function seededDatabase(): Promise<TestDatabase & { name: string }> {
  const db = await createTestDatabase('postgresql', false);
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    await c.query(SEED_SQL);
  } finally {
    await c.end();
  }
  return { ...db, name: new URL(db.url).pathname.slice(1) };
}

export interface ProxyUnderTest {
  readonly server: ProxyServer;
  readonly dir: string;
  readonly usersFile: string;
  readonly log: ReturnType<typeof memoryLogger>;
  /** pg client options to reach the proxy as `user`. */
  client(user: string, extra?: Partial<ClientConfig>): ClientConfig;
  connect(user: string, extra?: Partial<ClientConfig>): Promise<Client>;
  close(): Promise<void>;
}

export interface ProxyOptions {
  readonly database: string;
  readonly pdpUrl: string;
  readonly apiKey: string;
  readonly users?: readonly Omit<UserRecord, 'scram'>[];
  /** Overrides of the configuration (merged at top level). */
  readonly config?: Record<string, unknown>;
  readonly cache?: false | { ttlMs: number; maxEntries: number };
  readonly breaker?: false | { failureThreshold: number; halfOpenAfterMs: number };
  readonly upstream?: { host: string; port: number; user: string; password?: string };
}

export const PROTECTION_KEY = 'test-protection-key-0123456789abcdef';

export async function startTestProxy(o: ProxyOptions): Promise<ProxyUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'safax-proxy-'));
  const usersFile = join(dir, 'users.json');
  // Few iterations keep the tests fast; the CLI enforces at least 4096.
  writeUsersFile(usersFile, (o.users ?? USERS).map((u) => ({ ...u, scram: formatVerifier(createVerifier(PASSWORD, 64)) })));
  const upstream = o.upstream ?? { host: PG_HOST.hostname, port: Number(PG_HOST.port || 5432), user: decodeURIComponent(PG_HOST.username || 'postgres') };
  const config = parseConfig(
    JSON.stringify({
      listen: { host: '127.0.0.1', port: 0 },
      health: { host: '127.0.0.1', port: 0 },
      upstream: { host: upstream.host, port: upstream.port, database: o.database, user: upstream.user, ...(upstream.password !== undefined ? { password: { env: 'UPSTREAM_PASSWORD' } } : {}) },
      pdp: { url: o.pdpUrl, apiKey: { env: 'PDP_KEY' } },
      protection: { key: { env: 'PROTECTION_KEY' } },
      users: { file: usersFile },
      limits: { shutdownGraceMs: 500 },
      ...(o.config ?? {}),
    }),
    dir,
    'json',
  );
  const log = memoryLogger();
  const env = { PDP_KEY: o.apiKey, PROTECTION_KEY, ...(upstream.password !== undefined ? { UPSTREAM_PASSWORD: upstream.password } : {}) };
  const server = await startProxy(config, {
    log,
    env,
    decisionPort: (c) => createPepDecisionPort({ pdpUrl: c.pdp.url, apiKey: o.apiKey, format: c.pdp.format, timeoutMs: c.pdp.timeoutMs, cache: o.cache ?? c.pdp.cache, ...(o.breaker !== undefined ? { breaker: o.breaker } : {}) }),
  });
  const client = (user: string, extra: Partial<ClientConfig> = {}): ClientConfig => ({ host: '127.0.0.1', port: server.port, user, password: PASSWORD, database: o.database, ...extra });
  return {
    server,
    dir,
    usersFile,
    log,
    client,
    connect: async (user, extra) => {
      const c = new Client(client(user, extra));
      c.on('error', () => undefined);
      await c.connect();
      return c;
    },
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function errorOf(p: Promise<unknown>): Promise<Error & { code?: string; detail?: string; hint?: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected an error');
}
