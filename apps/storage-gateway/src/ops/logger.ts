/**
 * Structured logs (pino, one JSON object per line on stdout): request lines carry the user,
 * operation, bucket, key, status and SAFAX transaction ids — never secrets or object data.
 * `audit` lines are the `log-access` obligation's output.
 */
import pino from 'pino';

export interface Logger {
  debug(fields: Record<string, unknown>, msg: string): void;
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

export function createLogger(level: 'debug' | 'info' | 'warn' | 'error', destination?: NodeJS.WritableStream): Logger {
  const logger = pino({ level, base: { service: 'safax-storage-gateway' }, timestamp: pino.stdTimeFunctions.isoTime }, destination ?? pino.destination({ dest: 1, sync: false }));
  return {
    debug: (f, m) => logger.debug(f, m),
    info: (f, m) => logger.info(f, m),
    warn: (f, m) => logger.warn(f, m),
    error: (f, m) => logger.error(f, m),
  };
}

export type MemoryLogger = Logger & { readonly lines: { level: string; msg: string; fields: Record<string, unknown> }[] };

/** Collects log lines in memory (tests, bench). */
export function memoryLogger(): MemoryLogger {
  const lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, msg: string) => {
    lines.push({ level, msg, fields });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
