/**
 * The decision log's signing key: SAFAX_LOG_SIGNING_KEY when configured (keep it outside the
 * database: whoever can rewrite the database cannot then re-sign the chain), otherwise a random
 * key generated once and kept in the database, shared by every replica.
 */
import { randomBytes } from 'node:crypto';
import type { DecisionChainRepository } from '../repositories/ports';
import { hmacSeal } from './chain-hash';
import type { KeyedSeal } from './chain-hash';

const SECRET_NAME = 'decision-log-hmac-key';

export async function loadLogSeal(config: { logSigningKey: string | undefined; logCheckpointEvery: number }, chain: Pick<DecisionChainRepository, 'secret'>): Promise<KeyedSeal> {
  const key = config.logSigningKey ?? (await chain.secret(SECRET_NAME, () => randomBytes(32).toString('base64')));
  return hmacSeal(Buffer.from(key, 'utf8'), config.logCheckpointEvery);
}
