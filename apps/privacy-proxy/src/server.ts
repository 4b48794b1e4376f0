/**
 * The proxy server: a TCP listener for PostgreSQL clients, one upstream connection per
 * client session, the catalog and PDP client shared by all sessions, a health endpoint, and
 * graceful shutdown (stop accepting, end idle sessions at once, give busy ones a grace
 * period). Holds no state another proxy behind the same load balancer would need: users come
 * from a file every node has, decisions from SAFAX-TS, and cancel keys are the upstream's own.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import pg from 'pg';
import { createPgCatalog, noCatalog } from './catalog/catalog';
import type { Catalog } from './catalog/catalog';
import { harmlessSet, readSecret, resolvePath } from './config/proxy-config';
import type { ProxyConfig } from './config/proxy-config';
import { acceptClient, Refusal } from './frontend/accept-client';
import type { ClientInfo, FrontendHooks } from './frontend/accept-client';
import type { Logger } from './ops/logger';
import type { DecisionPort } from './policy/decision-port';
import { backendKeyData, parameterStatus } from './protocol/backend-messages';
import { ProxySession } from './session/proxy-session';
import type { SessionDeps } from './session/proxy-session';
import { loadParser } from './sql/parse-sql';
import { createStatementAnalyzer } from './sql/statement-analyzer';
import { cancelUpstream, openUpstream } from './upstream/upstream-connection';
import type { UpstreamTarget } from './upstream/upstream-connection';
import { decoyVerifier, verifyClientProof } from './users/scram';
import { UserDirectory } from './users/users-file';

/** Startup parameters a client may set on its upstream session (others are ignored). */
const CLIENT_SETTINGS = ['application_name', 'timezone', 'datestyle', 'intervalstyle', 'extra_float_digits', 'statement_timeout', 'lock_timeout'];
/** ParameterStatus values relayed to the client at startup, as the upstream reported them. */
const GREETING_PARAMETERS = ['server_version', 'server_encoding', 'client_encoding', 'DateStyle', 'IntervalStyle', 'TimeZone', 'integer_datetimes', 'standard_conforming_strings', 'application_name', 'is_superuser', 'session_authorization', 'in_hot_standby', 'default_transaction_read_only'];

export const ON_BEHALF_OF = 'safax.on_behalf_of';
export const PURPOSE = 'safax.purpose';

export interface ProxyServer {
  readonly port: number;
  readonly healthPort: number | undefined;
  readonly sessions: number;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly log: Logger;
  /** Builds the decision port (the SDK client) from the configuration. */
  readonly decisionPort: (config: ProxyConfig) => DecisionPort;
  readonly env?: NodeJS.ProcessEnv;
}

/** `-c name=value` / `--name=value` settings of a startup `options` string (libpq escaping). */
export function optionSettings(options: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (options === undefined) return out;
  const words: string[] = [];
  let cur = '';
  let escaped = false;
  let any = false;
  for (const ch of options) {
    if (escaped) {
      cur += ch;
      escaped = false;
      any = true;
    } else if (ch === '\\') escaped = true;
    else if (/\s/.test(ch)) {
      if (any) words.push(cur);
      cur = '';
      any = false;
    } else {
      cur += ch;
      any = true;
    }
  }
  if (any) words.push(cur);
  for (let i = 0; i < words.length; i++) {
    let w = words[i] as string;
    if (w === '-c') w = words[++i] ?? '';
    else if (w.startsWith('-c')) w = w.slice(2);
    else if (w.startsWith('--')) w = w.slice(2);
    else continue;
    const eq = w.indexOf('=');
    if (eq > 0) out.set(w.slice(0, eq).toLowerCase(), w.slice(eq + 1));
  }
  return out;
}

export async function startProxy(config: ProxyConfig, options: StartOptions): Promise<ProxyServer> {
  const env = options.env ?? process.env;
  const log = options.log;
  await loadParser();
  const users = new UserDirectory(resolvePath(config, config.users.file));
  const upstreamPassword = config.upstream.password !== undefined ? readSecret(config, config.upstream.password, 'upstream.password', env) : undefined;
  const target: UpstreamTarget = {
    host: config.upstream.host,
    port: config.upstream.port,
    database: config.upstream.database,
    user: config.upstream.user,
    ...(upstreamPassword !== undefined ? { password: upstreamPassword } : {}),
    ssl: config.upstream.ssl === false ? false : { rejectUnauthorized: config.upstream.ssl.rejectUnauthorized, ...(config.upstream.ssl.caFile !== undefined ? { ca: readFileSync(resolvePath(config, config.upstream.ssl.caFile), 'utf8') } : {}) },
    connectTimeoutMs: config.upstream.connectTimeoutMs,
  };
  const relay = config.relay !== undefined;
  const protectionKey = config.protection !== undefined ? Buffer.from(readSecret(config, config.protection.key, 'protection.key', env), 'utf8') : randomBytes(32);
  if (config.protection !== undefined && protectionKey.length < 16) throw new Error('protection.key: use at least 16 bytes');
  // Decoy verifiers for unknown users must look the same on every node behind a load balancer.
  const decoySecret = createHmac('sha256', protectionKey).update('safax-proxy decoy verifiers').digest();
  let catalog: Catalog;
  if (relay) catalog = noCatalog();
  else {
    const pool = new pg.Pool({
      host: target.host,
      port: target.port,
      database: target.database,
      user: target.user,
      ...(upstreamPassword !== undefined ? { password: upstreamPassword } : {}),
      ssl: target.ssl === false ? false : { ...target.ssl },
      max: 2,
      application_name: 'safax-privacy-proxy catalog',
      connectionTimeoutMillis: target.connectTimeoutMs,
    });
    pool.on('error', (err) => log.warn({ error: err.message }, 'catalog connection failed'));
    try {
      catalog = await createPgCatalog(pool, { ttlMs: Math.max(1, config.limits.catalogTtlMs), maxEntries: 10_000 });
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw new Error(`cannot read the upstream catalog: ${(err as Error).message}`);
    }
  }
  const port = options.decisionPort(config);
  const deps: SessionDeps = {
    statements: createStatementAnalyzer({
      maxBytes: config.limits.maxStatementBytes,
      cacheEntries: config.limits.parseCacheEntries,
      deniedFunctions: new Set(config.policy.deniedFunctions.map((f) => f.toLowerCase())),
      protectedSettings: new Set(config.policy.protectedSettings.map((s) => s.toLowerCase())),
    }),
    settings: { harmless: harmlessSet(config), publicRelations: new Set(config.policy.publicRelations), allowProtectedPredicates: config.policy.allowProtectedPredicates, defaultSchema: config.policy.defaultSchema },
    catalog,
    port,
    transform: { key: protectionKey },
    log,
    preparedDecisionTtlMs: config.policy.preparedDecisionTtlMs,
  };

  const live = new Set<ProxySession>();
  let draining = false;

  const hooks: FrontendHooks = {
    verifierOf: (user) => users.find(user)?.verifier ?? decoyVerifier(user, decoySecret),
    verify: (user, authMessage, proof) => {
      const u = users.find(user);
      // The decoy is checked too, so an unknown user costs the same as a wrong password.
      const ok = verifyClientProof(authMessage, proof, (u?.verifier ?? decoyVerifier(user, decoySecret)).storedKey) && u !== undefined;
      if (!ok) log.warn({ user, event: 'authentication-failed' }, 'authentication failed');
      return ok;
    },
    onStartup: (info: ClientInfo) => {
      if (draining) throw new Refusal('57P03', 'the privacy proxy is shutting down');
      const db = info.parameters.database ?? info.user;
      if (db !== config.upstream.database) throw new Refusal('3D000', `database "${db}" does not exist (this proxy serves "${config.upstream.database}")`);
      if (info.parameters.replication !== undefined && info.parameters.replication !== 'false') throw new Refusal('42501', 'replication connections are not allowed through the privacy proxy');
    },
    onAuthenticated: async (info, writer) => {
      const user = users.find(info.user);
      if (user === undefined) throw new Refusal('28000', 'authentication failed');
      const settings = optionSettings(info.parameters.options);
      const onBehalfOf = settings.get(ON_BEHALF_OF);
      if (onBehalfOf !== undefined) {
        if (!user.technical) {
          log.warn({ user: user.name, onBehalfOf, event: 'forged-on-behalf-of' }, 'on-behalf-of refused: not a technical user');
          throw new Refusal('28000', `user "${user.name}" may not act on behalf of another user: only technical users (inter-proxy) may`);
        }
        if (!/^[A-Za-z0-9_.@:-]{1,128}$/.test(onBehalfOf)) throw new Refusal('28000', 'invalid on-behalf-of user name');
      }
      const purpose = settings.get(PURPOSE);
      const upstreamSettings: Record<string, string> = { search_path: config.policy.defaultSchema };
      for (const k of CLIENT_SETTINGS) {
        const v = info.parameters[k] ?? Object.entries(info.parameters).find(([name]) => name.toLowerCase() === k)?.[1];
        if (v !== undefined && k !== 'application_name') upstreamSettings[k] = v;
      }
      if (relay && config.relay?.onBehalfOf !== false) upstreamSettings[ON_BEHALF_OF] = onBehalfOf ?? user.name;
      if (purpose !== undefined && relay) upstreamSettings[PURPOSE] = purpose;
      let upstream;
      try {
        upstream = await openUpstream(target, upstreamSettings, info.parameters.application_name ?? 'safax-privacy-proxy', { highWaterBytes: config.limits.highWaterBytes, maxMessageBytes: config.limits.maxMessageBytes });
      } catch (err) {
        log.warn({ user: user.name, error: (err as Error).message }, 'upstream connection failed');
        throw new Refusal('08006', 'the privacy proxy cannot reach the database');
      }
      const sessionId = randomUUID();
      // Relayed: the technical user is the access subject, the original user its intermediary (README: Inter-proxy).
      const session = new ProxySession(writer, upstream, { user: { id: user.name, groups: user.groups, roles: user.roles }, ...(onBehalfOf !== undefined ? { onBehalfOf } : {}), ...(purpose !== undefined ? { purpose } : {}), sessionId }, deps);
      live.add(session);
      void session.done.finally(() => live.delete(session));
      log.info({ session: sessionId, user: user.name, ...(onBehalfOf !== undefined ? { onBehalfOf } : {}), remote: info.remoteAddress, event: 'session-start' }, 'session started');
      const greeting = GREETING_PARAMETERS.filter((p) => upstream.parameters.has(p)).map((p) => parameterStatus(p, upstream.parameters.get(p) as string));
      // The upstream's own cancel key: any proxy behind the load balancer can forward a cancel.
      greeting.push(backendKeyData(upstream.processId, upstream.secretKey));
      return { session, greeting };
    },
    onCancel: async (pid, secret) => {
      log.info({ event: 'cancel' }, 'cancel request forwarded');
      await cancelUpstream(target, pid, secret);
    },
    onError: (err) => log.debug({ error: err instanceof Error ? err.message : String(err) }, 'client connection error'),
  };

  const tls = config.tls !== undefined ? { key: readFileSync(resolvePath(config, config.tls.keyFile)), cert: readFileSync(resolvePath(config, config.tls.certFile)) } : undefined;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    if (sockets.size >= config.limits.maxConnections) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    acceptClient(socket, hooks, tls);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listen.port, config.listen.host, () => resolve());
  });

  let health: HttpServer | undefined;
  if (config.health !== undefined) {
    health = createHttpServer((req, res) => {
      const ready = !draining;
      if (req.url === '/healthz' || req.url === '/readyz') {
        const status = req.url === '/readyz' && !ready ? 503 : 200;
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status: status === 200 ? 'ok' : 'draining', sessions: live.size, relay }));
      } else res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    });
    await new Promise<void>((resolve, reject) => {
      health?.once('error', reject);
      health?.listen(config.health?.port, config.health?.host, () => resolve());
    });
  }

  const portOf = (s: Server | HttpServer) => (s.address() as AddressInfo).port;
  log.info({ port: portOf(server), healthPort: health !== undefined ? portOf(health) : undefined, relay, users: users.size, event: 'listening' }, 'privacy proxy listening');

  return {
    port: portOf(server),
    healthPort: health !== undefined ? portOf(health) : undefined,
    get sessions() {
      return live.size;
    },
    async close() {
      draining = true;
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle sessions end at once (their pools reconnect elsewhere); busy ones may finish their transaction.
      const deadline = Date.now() + config.limits.shutdownGraceMs;
      for (;;) {
        await Promise.all([...live].filter((s) => s.idle).map((s) => s.shutdown()));
        if (live.size === 0 || Date.now() >= deadline) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await Promise.all([...live].map((s) => s.shutdown()));
      for (const s of sockets) s.destroy();
      await closing;
      if (health !== undefined) await new Promise<void>((resolve) => health?.close(() => resolve()));
      await port.close();
      await catalog.close();
      log.info({ event: 'stopped' }, 'privacy proxy stopped');
    },
  };
}
