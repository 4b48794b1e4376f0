/**
 * Structured logs (pino, one JSON object per line on stdout): every statement line carries
 * the session, user, statement class, datasets, SAFAX transaction ids and the outcome —
 * never statement text or values, never secrets.
 */
import pino from 'pino';

export interface Logger {
  debug(fields: Record<string, unknown>, msg: string): void;
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

export function createLogger(level: 'debug' | 'info' | 'warn' | 'error', destination?: NodeJS.WritableStream): Logger {
  const logger = pino({ level, base: { service: 'safax-privacy-proxy' }, timestamp: pino.stdTimeFunctions.isoTime }, destination ?? pino.destination({ dest: 1, sync: false }));
  return {
    debug: (f, m) => logger.debug(f, m),
    info: (f, m) => logger.info(f, m),
    warn: (f, m) => logger.warn(f, m),
    error: (f, m) => logger.error(f, m),
  };
}

/** Collects log lines in memory (tests). */
export function memoryLogger(): Logger & { readonly lines: { level: string; msg: string; fields: Record<string, unknown> }[] } {
  const lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, msg: string) => {
    lines.push({ level, msg, fields });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
