/**
 * The decision log's hash chain (forward integrity, as the TClouds Log Service keeps it): each
 * entry's hash is sha256 over the previous entry's hash and the entry's canonical form, per
 * domain; the first entry chains from GENESIS. The canonical form is built from the stored
 * column texts, so verifying never depends on how JSON was re-serialised.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { LogSeal, StoredDecisionRow } from '../repositories/ports';

export const GENESIS = '0'.repeat(64);

type StoredEntry = StoredDecisionRow;

export function canonicalEntry(e: StoredEntry): string {
  return JSON.stringify([
    e.seq,
    e.txId,
    e.domainId,
    e.time.toISOString(),
    e.callerId,
    e.format,
    e.decision,
    e.statusCode,
    e.request,
    e.response,
    e.obligations,
    e.policies,
    e.calls,
    e.durationMs,
    e.trace,
    e.testedBy,
    e.subject,
    e.action,
    e.resource,
  ]);
}

export function chainHash(previous: string, e: StoredEntry): string {
  return createHash('sha256').update(previous).update('\n').update(canonicalEntry(e)).digest('hex');
}

/** HMAC-SHA256 under the log key. */
export function hmacSeal(key: Buffer, checkpointEvery: number): LogSeal {
  const sign = (message: string) => createHmac('sha256', key).update(message).digest('hex');
  return {
    sign,
    verify: (message, signature) => {
      const expected = Buffer.from(sign(message), 'hex');
      const given = Buffer.from(signature, 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
    checkpointEvery,
  };
}

/** What a chain head signs. */
export const headMessage = (domainId: string, seq: number, hash: string) => `safax-log-head|${domainId}|${seq}|${hash}`;
/** What a checkpoint signs. */
export const checkpointMessage = (domainId: string, seq: number, hash: string, kind: string, time: Date) => `safax-log-checkpoint|${domainId}|${seq}|${hash}|${kind}|${time.toISOString()}`;
