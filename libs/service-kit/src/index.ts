export { ConfigError, loadConfigFile, logSettingsSchema, parseConfigText, pdpConnectionSchema, readSecret, resolveFrom, secretRefSchema } from './config-file';
export type { ConfigFormat, SecretRef } from './config-file';
export { createLogger, memoryLogger } from './logger';
export type { LogLevel, Logger, MemoryLogger } from './logger';
export { closeOnSignal } from './until-signal';
export { collect, fileOption, programFor, runProgram, usageError } from './cli';
export type { CliStreams } from './cli';
