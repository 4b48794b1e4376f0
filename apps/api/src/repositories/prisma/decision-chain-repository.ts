/** The decision log's hash chain in Prisma: heads, checkpoints, chained rows, retention pruning. */
import type { Db } from '../../db/open-database';
import type { DatabaseProvider } from '../../db/database-url';
import { checkpointMessage } from '../../decision-log/chain-hash';
import type { DecisionChainRepository } from '../ports';
import { LOCKING_TX, withTransientRetry } from './row-locks';

const chainedSelect = {
  txId: true,
  domainId: true,
  time: true,
  callerId: true,
  format: true,
  decision: true,
  statusCode: true,
  request: true,
  response: true,
  obligations: true,
  policies: true,
  calls: true,
  durationMs: true,
  trace: true,
  testedBy: true,
  subject: true,
  action: true,
  resource: true,
  seq: true,
  hash: true,
} as const;

export function prismaDecisionChainRepository(db: Db, provider: DatabaseProvider): DecisionChainRepository {
  return {
    head: (domainId) => db.decisionLogChain.findUnique({ where: { domainId }, select: { seq: true, hash: true, signature: true } }),
    checkpoints: (domainId) => db.decisionLogCheckpoint.findMany({ where: { domainId }, orderBy: { seq: 'asc' }, select: { seq: true, hash: true, time: true, kind: true, signature: true } }),
    entries: async (domainId, afterSeq, limit) => {
      const rows = await db.decisionLog.findMany({ where: { domainId, seq: { gt: afterSeq } }, orderBy: { seq: 'asc' }, take: limit, select: chainedSelect });
      return rows.map((r) => ({ ...r, seq: r.seq ?? 0, hash: r.hash ?? '' }));
    },
    countUnchained: (domainId) => db.decisionLog.count({ where: { domainId, seq: null } }),
    retention: async () =>
      (await db.pdpConfig.findMany({ where: { logRetentionDays: { not: null } }, select: { domainId: true, logRetentionDays: true } })).map((c) => ({ domainId: c.domainId, days: c.logRetentionDays ?? 0 })),
    prune: (domainId, cutoff, seal) =>
      withTransientRetry(() =>
        db.$transaction(async (tx) => {
          // The writer appends under this lock too: nothing joins the chain while it is cut.
          if (provider === 'postgresql') await tx.$queryRaw`SELECT "domainId" FROM "DecisionLogChain" WHERE "domainId" = ${domainId} FOR UPDATE`;
          const head = await tx.decisionLogChain.findUnique({ where: { domainId } });
          const legacy = await tx.decisionLog.deleteMany({ where: { domainId, seq: null, time: { lt: cutoff } } });
          if (!head || head.seq === 0) return { pruned: legacy.count, anchorSeq: null };
          const firstKept = await tx.decisionLog.findFirst({ where: { domainId, seq: { not: null }, time: { gte: cutoff } }, orderBy: { seq: 'asc' }, select: { seq: true } });
          const anchorSeq = firstKept?.seq != null ? firstKept.seq - 1 : head.seq;
          const anchor = await tx.decisionLogCheckpoint.findFirst({ where: { domainId, kind: 'anchor' }, orderBy: { seq: 'desc' }, select: { seq: true } });
          if (anchorSeq <= (anchor?.seq ?? 0)) return { pruned: legacy.count, anchorSeq: anchor?.seq ?? null };
          const at = anchorSeq === head.seq ? head : await tx.decisionLog.findFirst({ where: { domainId, seq: anchorSeq }, select: { hash: true } });
          if (!at?.hash) throw new Error(`decision log of ${domainId}: no entry ${anchorSeq} to anchor the pruned chain on`);
          const time = new Date();
          const signature = seal.sign(checkpointMessage(domainId, anchorSeq, at.hash, 'anchor', time));
          await tx.decisionLogCheckpoint.upsert({
            where: { domainId_seq: { domainId, seq: anchorSeq } },
            create: { domainId, seq: anchorSeq, hash: at.hash, time, kind: 'anchor', signature },
            update: { hash: at.hash, time, kind: 'anchor', signature },
          });
          const gone = await tx.decisionLog.deleteMany({ where: { domainId, seq: { lte: anchorSeq } } });
          await tx.decisionLogCheckpoint.deleteMany({ where: { domainId, seq: { lt: anchorSeq } } });
          return { pruned: gone.count + legacy.count, anchorSeq };
        }, LOCKING_TX),
      ),
    secret: async (name, generate) => {
      const found = await db.serverSecret.findUnique({ where: { name } });
      if (found) return found.value;
      // Replicas starting together: the first insert wins, everyone reads that one.
      await db.$transaction((tx) => tx.$executeRaw`INSERT INTO "ServerSecret" ("name", "value", "createdAt") VALUES (${name}, ${generate()}, ${new Date()}) ON CONFLICT ("name") DO NOTHING`);
      return (await db.serverSecret.findUniqueOrThrow({ where: { name } })).value;
    },
  };
}
