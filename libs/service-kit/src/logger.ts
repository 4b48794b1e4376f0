/** Structured logs: pino, one JSON object per line on stdout, each with the program's name. */
import pino from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(fields: Record<string, unknown>, msg: string): void;
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

export function createLogger(service: string, level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  const logger = pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime }, destination ?? pino.destination({ dest: 1, sync: false }));
  return {
    debug: (f, m) => logger.debug(f, m),
    info: (f, m) => logger.info(f, m),
    warn: (f, m) => logger.warn(f, m),
    error: (f, m) => logger.error(f, m),
  };
}

export type MemoryLogger = Logger & { readonly lines: { level: string; msg: string; fields: Record<string, unknown> }[] };

/** Collects log lines in memory (tests, benches). */
export function memoryLogger(): MemoryLogger {
  const lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, msg: string) => {
    lines.push({ level, msg, fields });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
