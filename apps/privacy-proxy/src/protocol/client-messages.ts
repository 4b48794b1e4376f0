/**
 * Frontend (client → server) messages of the query phase, decoded from the raw bytes
 * pg-gateway hands over. Only what the proxy decides on is decoded; the raw message is kept
 * so permitted messages are forwarded unchanged.
 */

export const FRONTEND = {
  bind: 0x42,
  close: 0x43,
  describe: 0x44,
  execute: 0x45,
  functionCall: 0x46,
  flush: 0x48,
  parse: 0x50,
  query: 0x51,
  sync: 0x53,
  terminate: 0x58,
  copyDone: 0x63,
  copyData: 0x64,
  copyFail: 0x66,
  password: 0x70,
} as const;

export type ClientMessage =
  | { readonly kind: 'query'; readonly sql: string }
  | { readonly kind: 'parse'; readonly name: string; readonly sql: string; readonly paramTypes: readonly number[] }
  | { readonly kind: 'bind'; readonly portal: string; readonly statement: string; readonly resultFormats: readonly number[] }
  | { readonly kind: 'describe'; readonly target: 'S' | 'P'; readonly name: string }
  | { readonly kind: 'execute'; readonly portal: string; readonly maxRows: number }
  | { readonly kind: 'close'; readonly target: 'S' | 'P'; readonly name: string }
  | { readonly kind: 'sync' }
  | { readonly kind: 'flush' }
  | { readonly kind: 'terminate' }
  | { readonly kind: 'copy'; readonly type: number }
  | { readonly kind: 'function-call' }
  | { readonly kind: 'unknown'; readonly type: number };

class Reader {
  private o: number;
  constructor(private readonly b: Buffer) {
    this.o = 5;
  }
  cstring(): string {
    const end = this.b.indexOf(0, this.o);
    if (end < 0) throw new Error('unterminated string');
    const s = this.b.toString('utf8', this.o, end);
    this.o = end + 1;
    return s;
  }
  int16(): number {
    const v = this.b.readInt16BE(this.o);
    this.o += 2;
    return v;
  }
  int32(): number {
    const v = this.b.readInt32BE(this.o);
    this.o += 4;
    return v;
  }
  byte(): number {
    return this.b[this.o++] as number;
  }
  skip(n: number): void {
    this.o += n;
  }
}

/** Throws on a malformed message (the session answers with a protocol violation). */
export function decodeClientMessage(raw: Buffer): ClientMessage {
  const type = raw[0] as number;
  const r = new Reader(raw);
  switch (type) {
    case FRONTEND.query:
      return { kind: 'query', sql: r.cstring() };
    case FRONTEND.parse: {
      const name = r.cstring();
      const sql = r.cstring();
      const n = r.int16();
      const paramTypes: number[] = [];
      for (let i = 0; i < n; i++) paramTypes.push(r.int32());
      return { kind: 'parse', name, sql, paramTypes };
    }
    case FRONTEND.bind: {
      const portal = r.cstring();
      const statement = r.cstring();
      const nf = r.int16();
      r.skip(2 * nf);
      const np = r.int16();
      for (let i = 0; i < np; i++) {
        const len = r.int32();
        if (len > 0) r.skip(len);
      }
      const nr = r.int16();
      const resultFormats: number[] = [];
      for (let i = 0; i < nr; i++) resultFormats.push(r.int16());
      return { kind: 'bind', portal, statement, resultFormats };
    }
    case FRONTEND.describe:
    case FRONTEND.close: {
      const t = String.fromCharCode(r.byte());
      if (t !== 'S' && t !== 'P') throw new Error(`bad ${type === FRONTEND.describe ? 'Describe' : 'Close'} target`);
      const name = r.cstring();
      return type === FRONTEND.describe ? { kind: 'describe', target: t, name } : { kind: 'close', target: t, name };
    }
    case FRONTEND.execute:
      return { kind: 'execute', portal: r.cstring(), maxRows: r.int32() };
    case FRONTEND.sync:
      return { kind: 'sync' };
    case FRONTEND.flush:
      return { kind: 'flush' };
    case FRONTEND.terminate:
      return { kind: 'terminate' };
    case FRONTEND.copyData:
    case FRONTEND.copyDone:
    case FRONTEND.copyFail:
      return { kind: 'copy', type };
    case FRONTEND.functionCall:
      return { kind: 'function-call' };
    default:
      return { kind: 'unknown', type };
  }
}

/** Result format of column `i` given Bind's result format codes. */
export function resultFormat(formats: readonly number[], i: number): number {
  if (formats.length === 0) return 0;
  if (formats.length === 1) return formats[0] as number;
  return formats[i] ?? 0;
}
