/**
 * The client side of the wire protocol, on pg-gateway (0.3): SSLRequest (TLS when configured,
 * 'N' otherwise), GSSENCRequest ('N'), the startup message, SCRAM-SHA-256 against the proxy's
 * own users, and CancelRequest. After authentication every message is handed to the session
 * and none reaches pg-gateway's default handling; answers are written through the
 * connection's own writer, so they stay in order with what pg-gateway writes.
 *
 * pg-gateway is wrapped here and nowhere else: its API changed between 0.2 and 0.3.
 */
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { TLSSocket, createSecureContext } from 'node:tls';
import { BackendError, PostgresConnection } from 'pg-gateway';
import type { ConnectionState, DuplexStream, TlsOptions } from 'pg-gateway';
import type { ScramVerifier } from '../users/scram';

const CANCEL_REQUEST = 80877102;
const GSSENC_REQUEST = 80877104;
const HANDLED = new Uint8Array(0);
const TERMINATE = 0x58;

export interface ClientInfo {
  readonly user: string;
  /** Startup parameters as sent (database, application_name, options, ...). */
  readonly parameters: Readonly<Record<string, string>>;
  readonly remoteAddress: string | undefined;
}

export interface SessionHandle {
  handle(raw: Buffer): Promise<void>;
  end(): Promise<void>;
}

export interface ClientWriter {
  write(bytes: Buffer): Promise<void>;
  close(): void;
}

export interface FrontendHooks {
  /** The stored verifier of a user (a decoy for unknown users, so the exchange looks the same). */
  verifierOf(user: string): ScramVerifier;
  /** Checks the client's proof; false refuses the login. */
  verify(user: string, authMessage: string, clientProof: string): boolean;
  /** Called after the startup message, before authentication: throw a Refusal to end the connection. */
  onStartup(info: ClientInfo): void;
  /** Opens the session after authentication; returns the messages to send before ReadyForQuery. Throw a Refusal to end. */
  onAuthenticated(info: ClientInfo, writer: ClientWriter): Promise<{ session: SessionHandle; greeting: readonly Buffer[] }>;
  onCancel(processId: number, secretKey: number): Promise<void>;
  onError(err: unknown): void;
}

/** Ends a connection with a FATAL error the client sees. */
export class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function toBackendError(err: unknown): unknown {
  return err instanceof Refusal ? BackendError.create({ severity: 'FATAL', code: err.code, message: err.message }) : err;
}

async function upgradeTls(duplex: DuplexStream<Uint8Array>, options: TlsOptions | ((serverName?: string) => TlsOptions | Promise<TlsOptions>)): Promise<{ duplex: DuplexStream<Uint8Array>; tlsInfo: { serverName?: string } }> {
  const opts = typeof options === 'function' ? await options() : options;
  const socket = new TLSSocket(Duplex.fromWeb(duplex as never), {
    isServer: true,
    secureContext: createSecureContext({ key: Buffer.from(opts.key), cert: Buffer.from(opts.cert) }),
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('secure', () => resolve());
    socket.once('error', reject);
  });
  return { duplex: socketStreams(socket), tlsInfo: {} };
}

/**
 * A web-stream view of a node socket for pg-gateway. Unlike Duplex.toWeb it never errors: a
 * socket that closes or fails simply ends the readable, and writes to a closed socket are
 * dropped, so a client that hangs up is an ordinary end of the session, not an exception.
 * Writes resolve once the socket accepts more (backpressure).
 */
function socketStreams(socket: Duplex): DuplexStream<Uint8Array> {
  let done = false;
  const readable = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const finish = () => {
          if (done) return;
          done = true;
          try {
            controller.close();
          } catch {
            // Already closed by the reader (cancel).
          }
        };
        socket.on('data', (chunk: Buffer) => {
          if (done) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) socket.pause();
        });
        socket.on('end', finish);
        socket.on('close', finish);
        socket.on('error', finish);
      },
      pull() {
        socket.resume();
      },
      cancel() {
        done = true;
        socket.destroy();
      },
    },
    { highWaterMark: 65_536, size: (c) => c.byteLength },
  );
  const writable = new WritableStream<Uint8Array>({
    write(chunk) {
      if (chunk.byteLength === 0 || socket.destroyed || socket.writableEnded) return;
      if (socket.write(chunk)) return;
      return new Promise<void>((resolve) => {
        const go = () => {
          socket.off('drain', go);
          socket.off('close', go);
          resolve();
        };
        socket.on('drain', go);
        socket.on('close', go);
      });
    },
    close() {
      if (!socket.writableEnded) socket.end();
    },
    abort() {
      socket.destroy();
    },
  });
  return { readable, writable };
}

export function acceptClient(socket: Socket, hooks: FrontendHooks, tls?: { key: Buffer; cert: Buffer }): void {
  let session: SessionHandle | undefined;
  let ended = false;
  socket.setNoDelay(true);
  const info = (state: ConnectionState): ClientInfo => ({ user: state.clientParams?.user ?? '', parameters: { ...(state.clientParams ?? {}) }, remoteAddress: socket.remoteAddress });
  const connection = new PostgresConnection(
    socketStreams(socket),
    {
      ...(tls !== undefined ? { tls: { key: tls.key.buffer.slice(tls.key.byteOffset, tls.key.byteOffset + tls.key.byteLength) as ArrayBuffer, cert: tls.cert.buffer.slice(tls.cert.byteOffset, tls.cert.byteOffset + tls.cert.byteLength) as ArrayBuffer } } : {}),
      auth: {
        method: 'scram-sha-256',
        getScramSha256Data: ({ username }) => hooks.verifierOf(username),
        validateCredentials: ({ username, authMessage, clientProof }) => hooks.verify(username, authMessage, clientProof),
      },
      onStartup: (state) => {
        try {
          hooks.onStartup(info(state));
        } catch (err) {
          throw toBackendError(err);
        }
      },
      onAuthenticated: async (state) => {
        const writer: ClientWriter = {
          write: async (bytes) => {
            const w = connection.streamWriter;
            if (w === undefined || ended) throw new Error('client connection closed');
            await w.write(bytes);
          },
          close: () => {
            ended = true;
            socket.end();
            setTimeout(() => socket.destroy(), 1000).unref();
          },
        };
        let opened: { session: SessionHandle; greeting: readonly Buffer[] };
        try {
          opened = await hooks.onAuthenticated(info(state), writer);
        } catch (err) {
          throw toBackendError(err);
        }
        session = opened.session;
        for (const g of opened.greeting) await connection.streamWriter?.write(g);
      },
      onMessage: async (data, state) => {
        if (!state.hasStarted) {
          if (data.byteLength === 16 && readInt32(data, 4) === CANCEL_REQUEST) {
            await hooks.onCancel(readInt32(data, 8), readInt32(data, 12)).catch(hooks.onError);
            ended = true;
            socket.destroy();
            return HANDLED;
          }
          if (data.byteLength === 8 && readInt32(data, 4) === GSSENC_REQUEST) return new Uint8Array([0x4e]);
          return undefined;
        }
        if (!state.isAuthenticated || session === undefined) return undefined;
        if (data[0] === TERMINATE) {
          // pg-gateway closes the client side itself; the session lets go of the upstream.
          await session.end();
          return undefined;
        }
        // A copy: pg-gateway reuses its buffer, and the bytes may still wait in the upstream socket.
        await session.handle(Buffer.from(data));
        return HANDLED;
      },
    },
    { upgradeTls: upgradeTls as never },
  );
  socket.on('error', hooks.onError);
  socket.on('close', () => {
    ended = true;
    if (session !== undefined) void session.end().catch(hooks.onError);
  });
}

function readInt32(data: Uint8Array, offset: number): number {
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getInt32(offset);
}
