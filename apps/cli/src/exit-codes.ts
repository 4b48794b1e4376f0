/**
 * The one table of exit codes (documented in the README): every failure is a typed CliError
 * whose code picks its exit status, never the text of a message.
 */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  invalidPolicy: 3,
  testsFailed: 4,
  auth: 5,
  notFound: 6,
  conflict: 7,
  unreachable: 8,
} as const;

export type CliErrorCode = 'error' | 'usage' | 'bad-input' | 'invalid-policy' | 'tests-failed' | 'auth' | 'forbidden' | 'not-found' | 'conflict' | 'unreachable';

const EXIT_OF: Readonly<Record<CliErrorCode, number>> = {
  error: EXIT.error,
  usage: EXIT.usage,
  'bad-input': EXIT.usage,
  'invalid-policy': EXIT.invalidPolicy,
  'tests-failed': EXIT.testsFailed,
  auth: EXIT.auth,
  forbidden: EXIT.auth,
  'not-found': EXIT.notFound,
  conflict: EXIT.conflict,
  unreachable: EXIT.unreachable,
};

/** A failure the CLI reports as one line (or one JSON object) and an exit status. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly code: CliErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  get exitCode(): number {
    return EXIT_OF[this.code];
  }
}

/** Maps an API error code (openapi.yaml `Error`) to the CLI's codes. */
export function cliCodeOfApi(apiCode: string, status: number): CliErrorCode {
  if (apiCode === 'invalid-policy') return 'invalid-policy';
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status >= 400 && status < 500) return 'bad-input';
  return 'error';
}
