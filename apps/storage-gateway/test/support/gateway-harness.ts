/**
 * The whole chain for end-to-end tests: the real SAFAX-TS platform in-process on an ephemeral
 * loopback port (its own SQLite database; the same test-platform helpers the privacy proxy's
 * tests use), a domain with test policies and a domains controller whose key the gateway
 * uses, an access keys file, and the gateway itself; plus real @aws-sdk/client-s3 clients.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { ownerWithDomain } from '../../../api/test/support/fixtures';
import type { OwnedDomain } from '../../../api/test/support/fixtures';
import { createUser, startTestPlatform } from '../../../api/test/support/test-platform';
import type { TestPlatform } from '../../../api/test/support/test-platform';
import { generateAccessKey, writeKeysFile } from '../../src/auth/access-keys';
import { canonicalPath, NodeSha256 } from '../../src/auth/sigv4';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AccessKey } from '../../src/auth/access-keys';
import { parseConfig } from '../../src/config/gateway-config';
import { memoryLogger } from '../../src/ops/logger';
import type { MemoryLogger } from '../../src/ops/logger';
import { startGateway } from '../../src/server';
import type { GatewayServer, StartOptions } from '../../src/server';

export const DENY_UNLESS_PERMIT = 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:deny-unless-permit';

export interface Safax {
  readonly t: TestPlatform;
  readonly domain: OwnedDomain;
  readonly baseUrl: string;
  readonly pdpUrl: string;
  readonly controllerKey: string;
  readonly controllerId: string;
  /** Uploads a policy version (it becomes active). */
  deploy(xml: string): Promise<void>;
  stopHttp(): Promise<void>;
  startHttp(): Promise<void>;
  close(): Promise<void>;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

/**
 * A request signed like the SDK signs (Smithy signer, header auth) and sent as is over
 * node:http: for what the SDK would never send (bad XML, encoded traversal, broken bodies).
 * `path` is sent exactly as given; `x-amz-content-sha256` defaults to the body's hash.
 */
export async function signedRequest(endpoint: string, key: AccessKey, method: string, path: string, headers: Record<string, string> = {}, body: Buffer = Buffer.alloc(0)): Promise<RawResponse> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }, region: REGION, service: 's3', sha256: NodeSha256, uriEscapePath: false, applyChecksum: false });
  const q = path.indexOf('?');
  const query: Record<string, string> = {};
  if (q >= 0) for (const part of path.slice(q + 1).split('&')) if (part) query[decodeURIComponent(part.split('=')[0]!)] = decodeURIComponent(part.split('=')[1] ?? '');
  const sha = createHash('sha256').update(body).digest('hex');
  const signed = await signer.sign({ method, protocol: 'http:', hostname: url.hostname, path: canonicalPath(q < 0 ? path : path.slice(0, q)), query, headers: { host: url.host, 'x-amz-content-sha256': sha, 'content-length': String(body.length), ...headers } });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers: signed.headers as Record<string, string> }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function listen(t: TestPlatform, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = http.createServer(t.platform.app).listen(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

async function closeServer(s: Server): Promise<void> {
  s.closeAllConnections();
  await new Promise<void>((resolve) => s.close(() => resolve()));
}

/** The platform with `policies` deployed on a domain the gateway's controller may call. */
export async function startSafax(policies: readonly string[], rootCombiningAlgorithm = DENY_UNLESS_PERMIT): Promise<Safax> {
  const t = await startTestPlatform('sqlite');
  const domain = await ownerWithDomain(t, 'data-owner', 'storage');
  const dc = await createUser(t, 'gateway-controller', ['domains-controller']);
  await t.as(domain.owner.key).put(`/api/v1/domains/${domain.domainId}/controllers/${dc.id}`).expect(200);
  const deploy = async (xml: string): Promise<void> => {
    await t.as(domain.owner.key).post(`/api/v1/domains/${domain.domainId}/policies`).set('Content-Type', 'application/xml').send(xml).expect(201);
  };
  for (const p of policies) await deploy(p);
  await t.as(domain.owner.key).put(`/api/v1/domains/${domain.domainId}/pdp`).send({ rootCombiningAlgorithm, logDetail: 'full' }).expect(200);
  let http = await listen(t, 0);
  const port = (http.address() as { port: number }).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    t,
    domain,
    baseUrl,
    pdpUrl: `${baseUrl}/pdp/${domain.pdpId}`,
    controllerKey: dc.key,
    controllerId: dc.id,
    deploy,
    stopHttp: () => closeServer(http),
    startHttp: async () => {
      http = await listen(t, port);
    },
    close: async () => {
      if (http.listening) await closeServer(http);
      await t.close();
    },
  };
}

export interface TestUser {
  readonly name: string;
  readonly groups?: readonly string[];
}

export interface GatewayUnderTest {
  readonly server: GatewayServer;
  readonly dir: string;
  readonly endpoint: string;
  readonly log: MemoryLogger;
  readonly keys: ReadonlyMap<string, AccessKey>;
  /** A real S3 client signing as `user` (path-style, plain http, no retries). */
  client(user: string, extra?: Partial<ConstructorParameters<typeof S3Client>[0]>): S3Client;
  close(): Promise<void>;
}

export interface GatewayOptions {
  readonly pdpUrl: string;
  readonly apiKey: string;
  readonly users: readonly TestUser[];
  /** Overrides of the configuration (merged at top level). */
  readonly config?: Record<string, unknown>;
  readonly start?: Omit<StartOptions, 'log' | 'env'>;
  /** Environment variables the configuration names (besides PDP_KEY). */
  readonly env?: Record<string, string>;
}

export const REGION = 'us-east-1';

export async function startTestGateway(o: GatewayOptions): Promise<GatewayUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'sgw-'));
  const keys = new Map(o.users.map((u) => [u.name, generateAccessKey(u.name, u.groups ?? [])]));
  writeKeysFile(join(dir, 'keys.json'), [...keys.values()]);
  const config = parseConfig(
    JSON.stringify({
      listen: { host: '127.0.0.1', port: 0 },
      keys: { file: 'keys.json' },
      backend: { type: 'local', root: 'store', fsync: false },
      pdp: { url: o.pdpUrl, apiKey: { env: 'PDP_KEY' } },
      limits: { shutdownGraceMs: 200, minPartBytes: 1024 },
      ...(o.config ?? {}),
    }),
    dir,
    'json',
  );
  const log = memoryLogger();
  const server = await startGateway(config, { log, env: { PDP_KEY: o.apiKey, ...(o.env ?? {}) }, ...(o.start ?? {}) });
  const endpoint = `http://127.0.0.1:${server.port}`;
  const clients: S3Client[] = [];
  return {
    server,
    dir,
    endpoint,
    log,
    keys,
    client: (user, extra = {}) => {
      const k = keys.get(user);
      const c = new S3Client({ endpoint, region: REGION, forcePathStyle: true, maxAttempts: 1, credentials: k ? { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey } : { accessKeyId: 'SGWUNKNOWNKEY000000', secretAccessKey: 'unknown-secret-unknown' }, ...extra });
      clients.push(c);
      return c;
    },
    close: async () => {
      for (const c of clients) c.destroy();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function errorOf(p: Promise<unknown>): Promise<Error & { name: string; Code?: string; $metadata?: { httpStatusCode?: number }; $response?: { headers?: Record<string, string> } }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { name: string };
  }
  throw new Error('expected an error');
}

const S = 'http://www.w3.org/2001/XMLSchema#string';
const CATEGORY = {
  subject: 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject',
  action: 'urn:oasis:names:tc:xacml:3.0:attribute-category:action',
  resource: 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource',
  environment: 'urn:oasis:names:tc:xacml:3.0:attribute-category:environment',
} as const;

export interface Match {
  readonly cat: keyof typeof CATEGORY;
  readonly attr: string;
  readonly value: string;
  readonly datatype?: string;
  readonly fn?: string;
}

/** A target's AnyOf: any of the matches (each alone). */
export const anyOf = (...ms: Match[]): Match[][] => ms.map((m) => [m]);
export const is = (cat: Match['cat'], attr: string, value: string): Match[][] => [[{ cat, attr, value }]];
export const actions = (...names: string[]): Match[][] => anyOf(...names.map((n): Match => ({ cat: 'action', attr: 'urn:oasis:names:tc:xacml:1.0:action:action-id', value: n })));
export const user = (name: string): Match[][] => is('subject', 'urn:oasis:names:tc:xacml:1.0:subject:subject-id', name);
export const group = (name: string): Match[][] => is('subject', 'urn:safax:1.0:subject:group', name);

export interface RuleSpec {
  readonly id: string;
  readonly effect?: 'Permit' | 'Deny';
  /** AnyOf elements (all must match). */
  readonly target: readonly Match[][][];
  readonly condition?: string;
  readonly obligations?: readonly { id: string; assignments?: Record<string, string> }[];
}

function matchXml(m: Match): string {
  const dt = m.datatype ?? S;
  return `<Match MatchId="${m.fn ?? 'urn:oasis:names:tc:xacml:1.0:function:string-equal'}"><AttributeValue DataType="${dt}">${m.value}</AttributeValue><AttributeDesignator Category="${CATEGORY[m.cat]}" AttributeId="${m.attr}" DataType="${dt}" MustBePresent="false"/></Match>`;
}

export function policyXml(id: string, rules: readonly RuleSpec[]): string {
  const rulesXml = rules
    .map((r) => {
      const target = r.target.map((anyOf) => `<AnyOf>${anyOf.map((allOf) => `<AllOf>${allOf.map(matchXml).join('')}</AllOf>`).join('')}</AnyOf>`).join('');
      const obligations = r.obligations?.length
        ? `<ObligationExpressions>${r.obligations
            .map((o) => `<ObligationExpression ObligationId="${o.id}" FulfillOn="${r.effect ?? 'Permit'}">${Object.entries(o.assignments ?? {})
              .map(([k, v]) => `<AttributeAssignmentExpression AttributeId="${k}"><AttributeValue DataType="${S}">${v}</AttributeValue></AttributeAssignmentExpression>`)
              .join('')}</ObligationExpression>`)
            .join('')}</ObligationExpressions>`
        : '';
      return `<Rule RuleId="${r.id}" Effect="${r.effect ?? 'Permit'}"><Target>${target}</Target>${r.condition ?? ''}${obligations}</Rule>`;
    })
    .join('');
  return `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="${id}" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides"><Target/>${rulesXml}</Policy>`;
}
