/**
 * API keys: 32 random bytes, shown to their holder once; only a SHA-256 hash is stored (the key
 * has full entropy, so a slow password hash would add nothing but latency).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { NewApiKey } from '../repositories/ports';

const PREFIX = 'sfx_';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new key and what is stored of it. `given` installs a chosen key (admin bootstrap). */
export function newApiKey(label: string, given?: string): { key: string; stored: NewApiKey } {
  const key = given ?? `${PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, stored: { id: randomUUID(), prefix: key.slice(0, 12), hash: hashApiKey(key), label } };
}
