/**
 * The session's connection to the upstream PostgreSQL (or, in relay mode, to the data-owning
 * proxy), opened with the proxy's own service credentials. node-postgres does the startup,
 * TLS negotiation and authentication (SCRAM-SHA-256, MD5, password); once the server is ready
 * the socket is taken over for message relay: the proxy forwards the client's protocol
 * messages as they are, which a query-level client API cannot do.
 *
 * Reading applies backpressure: the socket is paused while more than `highWaterBytes` of
 * messages wait for the client, so a large result never piles up in memory.
 */
import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import pg from 'pg';
import { serialize } from 'pg-protocol';
import { FrameSplitter } from '../protocol/backend-messages';
import type { Frame } from '../protocol/backend-messages';

export interface UpstreamTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password?: string;
  /** TLS to the upstream: false, or options for tls.connect (rejectUnauthorized, ca, ...). */
  readonly ssl: false | { readonly rejectUnauthorized?: boolean; readonly ca?: string };
  readonly connectTimeoutMs: number;
}

export interface UpstreamSession {
  /** ParameterStatus values the server reported at startup. */
  readonly parameters: ReadonlyMap<string, string>;
  readonly processId: number;
  readonly secretKey: number;
  /** Next message from the server; undefined once the connection has ended. */
  next(): Promise<Frame | undefined>;
  /** A message already received, without waiting (undefined when none is queued). */
  poll(): Frame | undefined;
  write(bytes: Buffer): Promise<void>;
  close(): Promise<void>;
  readonly closed: boolean;
}

/** Startup `options`: `-c name=value` pairs with spaces and backslashes escaped as libpq does. */
export function startupOptions(settings: Readonly<Record<string, string>>): string {
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/ /g, '\\ ');
  return Object.entries(settings)
    .map(([k, v]) => `-c ${esc(k)}=${esc(v)}`)
    .join(' ');
}

export async function openUpstream(target: UpstreamTarget, settings: Readonly<Record<string, string>>, applicationName: string, limits: { highWaterBytes: number; maxMessageBytes: number }): Promise<UpstreamSession> {
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    ...(target.password !== undefined ? { password: target.password } : {}),
    ssl: target.ssl === false ? false : { ...target.ssl },
    application_name: applicationName,
    options: startupOptions(settings),
    connectionTimeoutMillis: target.connectTimeoutMs,
    client_encoding: 'UTF8',
  });
  const parameters = new Map<string, string>();
  const connection = (client as unknown as { connection: { on(e: 'parameterStatus', f: (m: { parameterName: string; parameterValue: string }) => void): void; stream: Socket } }).connection;
  connection.on('parameterStatus', (m) => parameters.set(m.parameterName, m.parameterValue));
  client.on('error', () => undefined); // reported through next()/write() instead
  await client.connect();
  const socket = connection.stream;
  // Take the socket over from node-postgres: its protocol parser must not see relayed traffic.
  socket.removeAllListeners('data');
  const c = client as unknown as { processID: number; secretKey: number };
  return new RelayedSocket(client, socket, parameters, c.processID, c.secretKey, limits);
}

class RelayedSocket implements UpstreamSession {
  private readonly splitter: FrameSplitter;
  // A queue with a moving head: Array.shift is linear in the queue's length.
  private queue: Frame[] = [];
  private head = 0;
  private queuedBytes = 0;
  private waiter: ((f: Frame | undefined) => void) | undefined;
  private ended = false;
  private failure: Error | undefined;

  constructor(
    private readonly client: pg.Client,
    private readonly socket: Socket,
    readonly parameters: ReadonlyMap<string, string>,
    readonly processId: number,
    readonly secretKey: number,
    private readonly limits: { highWaterBytes: number; maxMessageBytes: number },
  ) {
    this.splitter = new FrameSplitter(limits.maxMessageBytes);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => this.onEnd());
    socket.on('error', (err) => {
      this.failure = err;
      this.onEnd();
    });
  }

  get closed(): boolean {
    return this.ended;
  }

  private onData(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.splitter.push(chunk);
    } catch (err) {
      this.failure = err as Error;
      this.socket.destroy();
      return;
    }
    for (const f of frames) {
      if (this.waiter !== undefined) {
        const w = this.waiter;
        this.waiter = undefined;
        w(f);
      } else {
        this.queue.push(f);
        this.queuedBytes += f.bytes.length;
      }
    }
    if (this.queuedBytes > this.limits.highWaterBytes) this.socket.pause();
  }

  private onEnd(): void {
    this.ended = true;
    if (this.waiter !== undefined) {
      const w = this.waiter;
      this.waiter = undefined;
      w(undefined);
    }
  }

  poll(): Frame | undefined {
    if (this.head >= this.queue.length) return undefined;
    const f = this.queue[this.head++] as Frame;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.queuedBytes -= f.bytes.length;
    if (this.socket.isPaused() && this.queuedBytes < this.limits.highWaterBytes / 2) this.socket.resume();
    return f;
  }

  next(): Promise<Frame | undefined> {
    const f = this.poll();
    if (f !== undefined) return Promise.resolve(f);
    if (this.ended) return Promise.resolve(undefined);
    if (this.socket.isPaused()) this.socket.resume();
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  write(bytes: Buffer): Promise<void> {
    if (this.ended) return Promise.reject(this.failure ?? new Error('upstream connection closed'));
    return new Promise((resolve, reject) => {
      this.socket.write(bytes, (err) => (err ? reject(err) : resolve()));
    });
  }

  async close(): Promise<void> {
    if (this.ended) return;
    await this.client.end().catch(() => undefined);
    this.socket.destroy();
  }
}

/** Forwards a cancel request to the upstream server (a new connection, as the protocol wants). */
export function cancelUpstream(target: Pick<UpstreamTarget, 'host' | 'port' | 'connectTimeoutMs'>, processId: number, secretKey: number): Promise<void> {
  return new Promise((resolve) => {
    const s = netConnect({ host: target.host, port: target.port });
    const done = () => {
      s.destroy();
      resolve();
    };
    s.setTimeout(target.connectTimeoutMs, done);
    s.on('error', done);
    s.on('connect', () => s.end(serialize.cancel(processId, secretKey)));
    s.on('close', done);
  });
}
