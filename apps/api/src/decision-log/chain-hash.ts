/**
 * The decision log's hash chain (forward integrity, as the TClouds Log Service keeps it): each
 * entry's hash is sha256 over the previous entry's hash and the entry's canonical form, per
 * domain; the first entry chains from GENESIS. The canonical form is built from the stored
 * column texts, so verifying never depends on how JSON was re-serialised.
 */
import * as crypto from 'node:crypto';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { DecisionLogEntry, LogSeal, StoredDecisionRow } from '../repositories/ports';

export const GENESIS = '0'.repeat(64);

type StoredEntry = StoredDecisionRow;

/**
 * An entry's stored columns except its position, as one JSON array text (the "row text"):
 * built once per entry, it is both what the log writers bind (JSON columns already as text)
 * and, with the position put in front, the canonical form the chain hashes.
 */
export function rowText(e: Omit<StoredEntry, 'seq'>): string {
  return JSON.stringify([
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

/** An entry's columns as stored (JSON columns serialised here, once), but for its position. */
export function storedColumns(e: DecisionLogEntry): Omit<StoredEntry, 'seq'> {
  return {
    txId: e.txId,
    domainId: e.domainId,
    time: e.time,
    callerId: e.callerId,
    format: e.format,
    decision: e.decision,
    statusCode: e.statusCode,
    request: e.request,
    response: e.response,
    obligations: JSON.stringify(e.obligations),
    policies: JSON.stringify(e.policies),
    calls: JSON.stringify(e.calls),
    durationMs: e.durationMs,
    trace: e.trace ? JSON.stringify(e.trace) : null,
    testedBy: e.testedBy ?? null,
    subject: e.subject ?? null,
    action: e.action ?? null,
    resource: e.resource ?? null,
  };
}

/** The row text of an entry as the decision path gives it. */
export const entryRowText = (e: DecisionLogEntry): string => rowText(storedColumns(e));

/** JSON.stringify([seq, ...row]) without re-serialising the row: the canonical form. */
export function canonicalOf(seq: number, row: string): string {
  return `[${seq},${row.slice(1)}`;
}

export function canonicalEntry(e: StoredEntry): string {
  return canonicalOf(e.seq, rowText(e));
}

// One-shot hashing (node ≥ 20.12) skips the Hash object; same digest as update() in parts.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/** sha256(previous ‖ "\n" ‖ canonical), hex. */
export function chainHashOf(previous: string, canonical: string): string {
  const data = `${previous}\n${canonical}`;
  return oneShot ? oneShot('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}

export function chainHash(previous: string, e: StoredEntry): string {
  return chainHashOf(previous, canonicalEntry(e));
}

/** A seal whose key can be handed to the log's writer thread (an HMAC key, not a function). */
export interface KeyedSeal extends LogSeal {
  readonly key: Buffer;
}

/** HMAC-SHA256 under the log key. */
export function hmacSeal(key: Buffer, checkpointEvery: number): KeyedSeal {
  const sign = (message: string) => createHmac('sha256', key).update(message).digest('hex');
  return {
    key,
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
