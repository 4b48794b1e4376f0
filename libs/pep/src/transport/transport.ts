/**
 * The port between the client core and the network. The core decides what to send and how to
 * read it, retries and breaks circuits; a Transport only moves bytes. `createHttpTransport`
 * is the undici one; tests or embedders may pass their own.
 */

export interface TransportRequest {
  /** Appended to the PDP-URL's path. */
  readonly path: string;
  readonly contentType: string;
  readonly accept: string;
  readonly body: string;
  /** Sent as X-Request-ID; unique per call. */
  readonly requestId: string;
  /** Fires on the call's deadline or the caller's abort. */
  readonly signal: AbortSignal;
}

export interface TransportResponse {
  readonly status: number;
  /** Lower-case header name → value. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

export interface Transport {
  send(req: TransportRequest): Promise<TransportResponse>;
  close(): Promise<void>;
}

export type TransportFailureKind = 'network' | 'aborted' | 'too-large';

/**
 * A failed exchange. `sent` is false only when it is certain that no byte of the request
 * reached the network (connection refused, DNS failure, a connection lost before the request
 * was written): only then may the request be sent again.
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly kind: TransportFailureKind,
    readonly sent: boolean,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
