/**
 * The gateway's users and their access keys: a JSON file (mode 0600, written atomically by the
 * `keys` commands). SigV4 is an HMAC scheme, so the gateway must hold each secret itself; the
 * file is therefore as sensitive as the keys it lists. Re-read when it changes, so a key added
 * or revoked takes effect without a restart.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

const USER = /^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,127}$/;
const LABEL = /^[A-Za-z0-9_.:-]{1,128}$/;
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;

export const accessKeySchema = z
  .object({
    accessKeyId: z.string().regex(ACCESS_KEY_ID, 'an access key id is 16-128 upper-case letters and digits'),
    secretAccessKey: z.string().min(16).max(128),
    user: z.string().regex(USER, 'a user name is 1-128 letters, digits, _ . @ - (not starting with . @ -)'),
    groups: z.array(z.string().regex(LABEL)).max(64).default([]),
  })
  .strict();

export const keysFileSchema = z.object({ version: z.literal(1), keys: z.array(accessKeySchema).max(100_000) }).strict();

export type AccessKey = z.infer<typeof accessKeySchema>;

export class KeysFileError extends Error {}

export const isValidUserName = (name: string): boolean => USER.test(name);

export function readKeysFile(path: string): AccessKey[] {
  if (!existsSync(path)) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new KeysFileError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = keysFileSchema.safeParse(raw);
  if (!parsed.success) throw new KeysFileError(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const ids = new Set<string>();
  for (const k of parsed.data.keys) {
    if (ids.has(k.accessKeyId)) throw new KeysFileError(`${path}: access key ${k.accessKeyId} is listed twice`);
    ids.add(k.accessKeyId);
  }
  return parsed.data.keys;
}

export function writeKeysFile(path: string, keys: readonly AccessKey[]): void {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ version: 1, keys }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** A new key pair in the usual S3 shapes (20-character id, 40-character secret). */
export function generateAccessKey(user: string, groups: readonly string[]): AccessKey {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const id = 'SGW' + Array.from(randomBytes(17), (b) => alphabet[b % 32]).join('');
  return { accessKeyId: id, secretAccessKey: randomBytes(30).toString('base64').replace(/\+/g, 'A').replace(/\//g, 'B'), user, groups: [...groups] };
}

/** The keys of a file, re-read (at most once a second) when its modification time or size changes. */
export class KeyDirectory {
  private byId = new Map<string, AccessKey>();
  private stamp = '';
  private checkedAt = 0;

  constructor(private readonly path: string) {
    this.reload();
  }

  private currentStamp(): string {
    try {
      const s = statSync(this.path);
      return `${s.mtimeMs}:${s.size}:${s.ino}`;
    } catch {
      return 'absent';
    }
  }

  private reload(): void {
    this.stamp = this.currentStamp();
    this.byId = new Map(readKeysFile(this.path).map((k) => [k.accessKeyId, k]));
  }

  find(accessKeyId: string): AccessKey | undefined {
    const now = Date.now();
    if (now - this.checkedAt >= 1000) {
      this.checkedAt = now;
      // A file broken mid-edit keeps the last good keys rather than locking everyone out.
      if (this.currentStamp() !== this.stamp) {
        try {
          this.reload();
        } catch {
          /* keep the previous keys */
        }
      }
    }
    return this.byId.get(accessKeyId);
  }

  get size(): number {
    return this.byId.size;
  }
}
