/**
 * Structured logs (pino, one JSON object per line on stdout): request lines carry the user,
 * operation, bucket, key, status and SAFAX transaction ids — never secrets or object data.
 * `audit` lines are the `log-access` obligation's output.
 */
import { createLogger as createServiceLogger } from '@safax/service-kit';
import type { LogLevel, Logger } from '@safax/service-kit';

export { memoryLogger } from '@safax/service-kit';
export type { Logger, MemoryLogger } from '@safax/service-kit';

export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  return createServiceLogger('safax-storage-gateway', level, destination);
}
