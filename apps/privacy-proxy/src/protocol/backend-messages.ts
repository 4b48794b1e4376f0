/**
 * Backend (server → client) messages as the proxy handles them: framed raw, so messages it
 * does not change are relayed byte for byte; decoded with pg-protocol's parser where it
 * needs the content (RowDescription, ErrorResponse, ParameterStatus, ReadyForQuery); DataRow
 * read and written here because pg-protocol decodes every field as text (binary-format values
 * must be relayed exactly).
 */
import { Parser } from 'pg-protocol/dist/parser';
import type { BackendMessage, DatabaseError, ParameterStatusMessage, RowDescriptionMessage } from 'pg-protocol/dist/messages';

export const BACKEND = {
  parseComplete: 0x31,
  bindComplete: 0x32,
  closeComplete: 0x33,
  notification: 0x41,
  commandComplete: 0x43,
  dataRow: 0x44,
  errorResponse: 0x45,
  copyInResponse: 0x47,
  copyOutResponse: 0x48,
  emptyQuery: 0x49,
  backendKeyData: 0x4b,
  notice: 0x4e,
  parameterStatus: 0x53,
  rowDescription: 0x54,
  copyBothResponse: 0x57,
  readyForQuery: 0x5a,
  copyDone: 0x63,
  copyData: 0x64,
  noData: 0x6e,
  portalSuspended: 0x73,
  parameterDescription: 0x74,
} as const;

/** One whole message: type byte, int32 length, body. */
export interface Frame {
  readonly type: number;
  readonly bytes: Buffer;
}

/** Splits a byte stream into messages (type byte + int32 length). */
export class FrameSplitter {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly maxMessageBytes: number) {}

  push(chunk: Buffer): Frame[] {
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: Frame[] = [];
    let offset = 0;
    while (buf.length - offset >= 5) {
      const len = buf.readUInt32BE(offset + 1);
      if (len < 4 || len > this.maxMessageBytes) throw new Error(`message of ${len} bytes`);
      if (buf.length - offset < 1 + len) break;
      out.push({ type: buf[offset] as number, bytes: buf.subarray(offset, offset + 1 + len) });
      offset += 1 + len;
    }
    this.pending = offset === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(offset));
    return out;
  }
}

/** Decodes one framed message with pg-protocol. */
export function decode(frame: Frame): BackendMessage {
  let msg: BackendMessage | undefined;
  new Parser().parse(frame.bytes, (m) => {
    msg = m;
  });
  if (msg === undefined) throw new Error('incomplete message');
  return msg;
}

export function decodeRowDescription(frame: Frame): RowDescriptionMessage {
  return decode(frame) as RowDescriptionMessage;
}

export function decodeError(frame: Frame): DatabaseError {
  return decode(frame) as DatabaseError;
}

export function decodeParameterStatus(frame: Frame): ParameterStatusMessage {
  return decode(frame) as ParameterStatusMessage;
}

/** The transaction status byte of ReadyForQuery: I, T or E. */
export function readyStatus(frame: Frame): 'I' | 'T' | 'E' {
  const s = String.fromCharCode(frame.bytes[5] as number);
  return s === 'T' || s === 'E' ? s : 'I';
}

/** DataRow values (null for NULL), as views into the frame. */
export function readDataRow(frame: Frame): (Buffer | null)[] {
  const b = frame.bytes;
  const count = b.readInt16BE(5);
  const out: (Buffer | null)[] = new Array(count);
  let o = 7;
  for (let i = 0; i < count; i++) {
    const len = b.readInt32BE(o);
    o += 4;
    if (len < 0) out[i] = null;
    else {
      out[i] = b.subarray(o, o + len);
      o += len;
    }
  }
  return out;
}

export function writeDataRow(values: readonly (Buffer | null)[]): Buffer {
  let size = 4 + 2;
  for (const v of values) size += 4 + (v === null ? 0 : v.length);
  const out = Buffer.allocUnsafe(1 + size);
  out[0] = BACKEND.dataRow;
  out.writeInt32BE(size, 1);
  out.writeInt16BE(values.length, 5);
  let o = 7;
  for (const v of values) {
    if (v === null) {
      out.writeInt32BE(-1, o);
      o += 4;
    } else {
      out.writeInt32BE(v.length, o);
      o += 4;
      v.copy(out, o);
      o += v.length;
    }
  }
  return out;
}

export interface ErrorFields {
  readonly severity: 'ERROR' | 'FATAL';
  readonly code: string;
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
}

function message(type: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + body.length);
  out[0] = type;
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
}

const cstr = (s: string): Buffer => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);

export function errorResponse(e: ErrorFields): Buffer {
  const parts: Buffer[] = [];
  const field = (code: string, value: string | undefined) => {
    if (value !== undefined) parts.push(Buffer.from(code, 'ascii'), cstr(value));
  };
  field('S', e.severity);
  field('V', e.severity);
  field('C', e.code);
  field('M', e.message);
  field('D', e.detail);
  field('H', e.hint);
  parts.push(Buffer.from([0]));
  return message(BACKEND.errorResponse, Buffer.concat(parts));
}

export function parameterStatus(name: string, value: string): Buffer {
  return message(BACKEND.parameterStatus, Buffer.concat([cstr(name), cstr(value)]));
}

export function backendKeyData(processId: number, secretKey: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeInt32BE(processId | 0, 0);
  b.writeInt32BE(secretKey | 0, 4);
  return message(BACKEND.backendKeyData, b);
}

export function readyForQuery(status: 'I' | 'T' | 'E'): Buffer {
  return message(BACKEND.readyForQuery, Buffer.from(status, 'ascii'));
}
