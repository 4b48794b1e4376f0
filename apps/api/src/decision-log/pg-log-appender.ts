/**
 * The PostgreSQL decision log appender, on its own `pg` connection. The chain head of each
 * domain is kept in memory, so a batch is usually one statement (one round trip, its own
 * transaction): the heads move from the remembered position to the new one only where they
 * still are there, and only those domains' entries and checkpoints are inserted. A domain
 * whose head moved (another replica or cluster worker appended, or this process just started)
 * is appended again under its head's row lock, in a transaction that reads the head first.
 */
import { Pool } from 'pg';
import type { PoolClient } from 'pg';
import type { DecisionLogEntry } from '../repositories/ports';
import { GENESIS, canonicalOf, chainHashOf, checkpointMessage, headMessage, rowText, storedColumns } from './chain-hash';
import type { KeyedSeal } from './chain-hash';
import { byDomain } from './log-appender';
import type { LogAppender } from './log-appender';
import { withTransientRetry } from '../repositories/prisma/row-locks';

interface Head {
  readonly seq: number;
  readonly hash: string;
}

/** The statement's parameters, column by column (unnest turns them back into rows). */
interface Batch {
  heads: { domainId: string[]; oldSeq: number[]; oldHash: string[]; newSeq: number[]; newHash: string[]; signature: string[] };
  rows: unknown[][];
  checkpoints: { domainId: string[]; seq: number[]; hash: string[]; signature: string[] };
}

const ROW_TYPES = ['text', 'text', 'timestamp(3)', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'float8', 'text', 'text', 'text', 'text', 'text', 'int4', 'text'];
const ROW_COLUMNS = ['txId', 'domainId', 'time', 'callerId', 'format', 'decision', 'statusCode', 'request', 'response', 'obligations', 'policies', 'calls', 'durationMs', 'trace', 'testedBy', 'subject', 'action', 'resource', 'seq', 'hash'];
const quoted = ROW_COLUMNS.map((c) => `"${c}"`).join(', ');
const rowParams = ROW_TYPES.map((t, i) => `$${i + 8}::${t}[]`).join(', ');
const cp = 8 + ROW_TYPES.length;

/**
 * Heads move only from where this batch was hashed from (seq and hash): under READ COMMITTED
 * an UPDATE that waited for another writer re-checks its condition on the committed row.
 */
const APPEND = `WITH heads AS (
  UPDATE "DecisionLogChain" AS c SET "seq" = h.new_seq, "hash" = h.new_hash, "signature" = h.signature, "updatedAt" = $1::timestamp(3)
  FROM unnest($2::text[], $3::int4[], $4::text[], $5::int4[], $6::text[], $7::text[]) AS h(domain_id, old_seq, old_hash, new_seq, new_hash, signature)
  WHERE c."domainId" = h.domain_id AND c."seq" = h.old_seq AND c."hash" = h.old_hash
  RETURNING c."domainId"
), entries AS (
  INSERT INTO "DecisionLog" (${quoted})
  SELECT * FROM unnest(${rowParams}) AS r(${quoted}) WHERE r."domainId" IN (SELECT "domainId" FROM heads)
), checkpoints AS (
  INSERT INTO "DecisionLogCheckpoint" ("domainId", "seq", "hash", "time", "kind", "signature")
  SELECT k.domain_id, k.seq, k.hash, $1::timestamp(3), 'periodic', k.signature
  FROM unnest($${cp}::text[], $${cp + 1}::int4[], $${cp + 2}::text[], $${cp + 3}::text[]) AS k(domain_id, seq, hash, signature)
  WHERE k.domain_id IN (SELECT "domainId" FROM heads)
)
SELECT "domainId" FROM heads`;

/** Heads for domains that have none yet (only for domains that exist). */
const CREATE_HEADS = `INSERT INTO "DecisionLogChain" ("domainId", "seq", "hash", "signature", "updatedAt")
  SELECT d."id", 0, $2, '', $3::timestamp(3) FROM "Domain" AS d WHERE d."id" = ANY($1::text[])
  ON CONFLICT ("domainId") DO NOTHING`;
/** In a fixed order, so two writers locking several heads cannot deadlock each other. */
const LOCK_HEADS = `SELECT "domainId", "seq", "hash" FROM "DecisionLogChain" WHERE "domainId" = ANY($1::text[]) ORDER BY "domainId" FOR UPDATE`;

/** Heads remembered at most (one per active domain); past it the memory starts over. */
const MAX_HEADS = 10_000;

export class PgLogAppender implements LogAppender {
  private readonly pool: Pool;
  private readonly heads = new Map<string, Head>();

  constructor(
    url: string,
    private readonly seal: KeyedSeal,
  ) {
    this.pool = new Pool({ connectionString: url, max: 1 });
    // A dropped idle connection is replaced on the next batch; the error must not crash the process.
    this.pool.on('error', () => undefined);
  }

  async insertMany(entries: readonly DecisionLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const todo = byDomain(entries);
    const now = new Date();
    // A deadlock or serialization failure rolls back only the statement it hit: what committed
    // before it is not appended again.
    await withTransientRetry(async () => {
      const client = await this.pool.connect();
      try {
        const known = [...todo].filter(([domainId]) => this.heads.has(domainId));
        if (known.length > 0) {
          const moved = await this.run(client, this.build(known, (d) => this.heads.get(d) as Head, now), now);
          for (const [d] of known) if (!moved.has(d)) todo.delete(d);
        }
        if (todo.size > 0) await this.appendLocked(client, [...todo], now);
        todo.clear();
      } catch (err) {
        // Whatever this process remembers may be behind: read the heads again.
        this.heads.clear();
        throw err;
      } finally {
        client.release();
      }
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Appends under the heads' row locks (their positions read in the same transaction). */
  private async appendLocked(client: PoolClient, groups: [string, DecisionLogEntry[]][], now: Date): Promise<void> {
    const ids = groups.map(([d]) => d);
    await client.query('BEGIN');
    try {
      await client.query(CREATE_HEADS, [ids, GENESIS, now.toISOString()]);
      const locked = await client.query<{ domainId: string; seq: number; hash: string }>(LOCK_HEADS, [ids]);
      const found = new Map(locked.rows.map((r) => [r.domainId, { seq: r.seq, hash: r.hash }]));
      for (const d of ids) if (!found.has(d)) this.heads.delete(d);
      // Domains without a head are gone (their log went with them): their entries are skipped.
      const live = groups.filter(([d]) => found.has(d));
      if (live.length > 0) {
        const moved = await this.run(client, this.build(live, (d) => found.get(d) as Head, now), now);
        if (moved.size > 0) throw new Error(`decision log: chain heads moved under their lock (${[...moved].join(', ')})`);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /** Runs one APPEND; remembers the heads that moved, returns the domains whose head was elsewhere. */
  private async run(client: PoolClient, batch: Batch, now: Date): Promise<Set<string>> {
    const { heads, rows, checkpoints } = batch;
    const result = await client.query<{ domainId: string }>({
      name: 'safax-log-append',
      text: APPEND,
      values: [now.toISOString(), heads.domainId, heads.oldSeq, heads.oldHash, heads.newSeq, heads.newHash, heads.signature, ...rows, checkpoints.domainId, checkpoints.seq, checkpoints.hash, checkpoints.signature],
    });
    const moved = new Set(heads.domainId);
    if (this.heads.size > MAX_HEADS) this.heads.clear();
    for (const { domainId } of result.rows) {
      moved.delete(domainId);
      const i = heads.domainId.indexOf(domainId);
      this.heads.set(domainId, { seq: heads.newSeq[i] as number, hash: heads.newHash[i] as string });
    }
    for (const d of moved) this.heads.delete(d);
    return moved;
  }

  /** Positions and hashes of every entry from the given heads, as column arrays. */
  private build(groups: [string, DecisionLogEntry[]][], headOf: (domainId: string) => Head, now: Date): Batch {
    const batch: Batch = {
      heads: { domainId: [], oldSeq: [], oldHash: [], newSeq: [], newHash: [], signature: [] },
      rows: ROW_COLUMNS.map(() => []),
      checkpoints: { domainId: [], seq: [], hash: [], signature: [] },
    };
    const cols = batch.rows;
    const every = this.seal.checkpointEvery;
    for (const [domainId, list] of groups) {
      const head = headOf(domainId);
      let { seq, hash } = head;
      for (const e of list) {
        const stored = storedColumns(e);
        seq++;
        hash = chainHashOf(hash, canonicalOf(seq, rowText(stored)));
        const values = [stored.txId, stored.domainId, stored.time.toISOString(), stored.callerId, stored.format, stored.decision, stored.statusCode, stored.request, stored.response, stored.obligations, stored.policies, stored.calls, stored.durationMs, stored.trace, stored.testedBy, stored.subject, stored.action, stored.resource, seq, hash];
        for (let c = 0; c < values.length; c++) (cols[c] as unknown[]).push(values[c]);
        if (seq % every === 0) {
          batch.checkpoints.domainId.push(domainId);
          batch.checkpoints.seq.push(seq);
          batch.checkpoints.hash.push(hash);
          batch.checkpoints.signature.push(this.seal.sign(checkpointMessage(domainId, seq, hash, 'periodic', now)));
        }
      }
      batch.heads.domainId.push(domainId);
      batch.heads.oldSeq.push(head.seq);
      batch.heads.oldHash.push(head.hash);
      batch.heads.newSeq.push(seq);
      batch.heads.newHash.push(hash);
      batch.heads.signature.push(this.seal.sign(headMessage(domainId, seq, hash)));
    }
    return batch;
  }
}
