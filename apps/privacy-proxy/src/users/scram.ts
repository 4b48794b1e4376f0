/**
 * SCRAM-SHA-256 verifiers (RFC 5802/7677) in PostgreSQL's stored form
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` (base64), and the check of a
 * client proof against one. The proxy never stores or sees a password after `users add`.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export interface ScramVerifier {
  readonly iterations: number;
  readonly salt: string;
  readonly storedKey: string;
  readonly serverKey: string;
}

export const DEFAULT_ITERATIONS = 4096;
const FORMAT = /^SCRAM-SHA-256\$(\d{1,7}):([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2}):([A-Za-z0-9+/]+={0,2})$/;

export function createVerifier(password: string, iterations = DEFAULT_ITERATIONS, salt: Buffer = randomBytes(16)): ScramVerifier {
  // SASLprep is not applied: passwords are taken as their UTF-8 bytes, as libpq does for non-ASCII it cannot normalise.
  const salted = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return { iterations, salt: salt.toString('base64'), storedKey: storedKey.toString('base64'), serverKey: serverKey.toString('base64') };
}

export function formatVerifier(v: ScramVerifier): string {
  return `SCRAM-SHA-256$${v.iterations}:${v.salt}$${v.storedKey}:${v.serverKey}`;
}

export function parseVerifier(text: string): ScramVerifier | undefined {
  const m = FORMAT.exec(text);
  if (m === null) return undefined;
  const iterations = Number(m[1]);
  if (iterations < 1) return undefined;
  return { iterations, salt: m[2] as string, storedKey: m[3] as string, serverKey: m[4] as string };
}

/** True when `clientProof` (base64) proves knowledge of the password behind `storedKey` for this exchange. */
export function verifyClientProof(authMessage: string, clientProof: string, storedKeyB64: string): boolean {
  const storedKey = Buffer.from(storedKeyB64, 'base64');
  const proof = Buffer.from(clientProof, 'base64');
  if (proof.length !== 32 || storedKey.length !== 32) return false;
  const signature = createHmac('sha256', storedKey).update(authMessage).digest();
  const clientKey = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) clientKey[i] = (proof[i] as number) ^ (signature[i] as number);
  return timingSafeEqual(createHash('sha256').update(clientKey).digest(), storedKey);
}

/** A verifier for a user that does not exist: stable per name (same salt every time), matching no password. */
export function decoyVerifier(username: string, secret: Buffer): ScramVerifier {
  const salt = createHmac('sha256', secret).update(`salt:${username}`).digest().subarray(0, 16);
  const junk = createHmac('sha256', secret).update(`key:${username}`).digest();
  return { iterations: DEFAULT_ITERATIONS, salt: salt.toString('base64'), storedKey: junk.toString('base64'), serverKey: junk.toString('base64') };
}
