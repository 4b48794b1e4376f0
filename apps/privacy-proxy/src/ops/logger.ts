/**
 * Structured logs (pino, one JSON object per line on stdout): every statement line carries
 * the session, user, statement class, datasets, SAFAX transaction ids and the outcome —
 * never statement text or values, never secrets.
 */
import { createLogger as createServiceLogger } from '@safax/service-kit';
import type { LogLevel, Logger } from '@safax/service-kit';

export { memoryLogger } from '@safax/service-kit';
export type { Logger, MemoryLogger } from '@safax/service-kit';

export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  return createServiceLogger('safax-privacy-proxy', level, destination);
}
