/**
 * The proxy's own users (CLARUS Access): a JSON file of SCRAM-SHA-256 verifiers with groups,
 * roles and the technical-user flag. Written atomically with mode 0600 by the `users`
 * commands; read by the server on each login when the file changed, so a user added on every
 * node takes effect without a restart.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { parseVerifier } from './scram';
import type { ScramVerifier } from './scram';

const NAME = /^[a-z_][a-z0-9_.-]{0,62}$/;
const LABEL = /^[A-Za-z0-9_.:-]{1,128}$/;

export const userRecordSchema = z
  .object({
    name: z.string().regex(NAME, 'a user name is 1-63 characters: lower-case letters, digits, _ . - (not starting with a digit)'),
    scram: z.string().refine((s) => parseVerifier(s) !== undefined, 'not a SCRAM-SHA-256 verifier'),
    groups: z.array(z.string().regex(LABEL)).max(64).default([]),
    roles: z.array(z.string().regex(LABEL)).max(64).default([]),
    technical: z.boolean().default(false),
  })
  .strict();

export const usersFileSchema = z.object({ version: z.literal(1), users: z.array(userRecordSchema).max(100_000) }).strict();

export type UserRecord = z.infer<typeof userRecordSchema>;

export interface ProxyUser {
  readonly name: string;
  readonly verifier: ScramVerifier;
  readonly groups: readonly string[];
  readonly roles: readonly string[];
  readonly technical: boolean;
}

export class UsersFileError extends Error {}

export function isValidUserName(name: string): boolean {
  return NAME.test(name);
}

export function readUsersFile(path: string): UserRecord[] {
  if (!existsSync(path)) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsersFileError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = usersFileSchema.safeParse(raw);
  if (!parsed.success) throw new UsersFileError(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const names = new Set<string>();
  for (const u of parsed.data.users) {
    if (names.has(u.name)) throw new UsersFileError(`${path}: user ${u.name} is listed twice`);
    names.add(u.name);
  }
  return parsed.data.users;
}

export function writeUsersFile(path: string, users: readonly UserRecord[]): void {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ version: 1, users }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** The users of a file, re-read when its modification time or size changes. */
export class UserDirectory {
  private users = new Map<string, ProxyUser>();
  private stamp = '';

  constructor(private readonly path: string) {
    this.stamp = this.currentStamp();
    this.reload();
  }

  private reload(): void {
    const records = readUsersFile(this.path);
    this.users = new Map(records.map((r) => [r.name, { name: r.name, verifier: parseVerifier(r.scram) as ScramVerifier, groups: r.groups, roles: r.roles, technical: r.technical }]));
  }

  private currentStamp(): string {
    try {
      const s = statSync(this.path);
      return `${s.mtimeMs}:${s.size}`;
    } catch {
      return 'missing';
    }
  }

  /** Looks a user up, reloading the file first if it changed (a broken file keeps the last good users). */
  find(name: string): ProxyUser | undefined {
    const stamp = this.currentStamp();
    if (stamp !== this.stamp) {
      try {
        this.reload();
        this.stamp = stamp;
      } catch {
        // Keep serving the users we had; the CLI validates before writing.
      }
    }
    return this.users.get(name);
  }

  get size(): number {
    return this.users.size;
  }
}
