/**
 * Checks a domain's decision log against its hash chain: every entry's hash recomputed from
 * its stored columns and the previous hash, positions contiguous from the chain's start (the
 * latest retention anchor, or the beginning), every checkpoint's signature and hash, and the
 * signed head (so a truncated log shows). Reports ok, or the first broken link.
 */
import type { AppDeps } from '../../app-deps';
import { GENESIS, chainHash, checkpointMessage, headMessage } from '../../decision-log/chain-hash';
import { notFound } from '../../errors/api-error';

const PAGE = 1000;

export interface BrokenLink {
  readonly seq: number;
  readonly txId?: string;
  readonly reason: string;
}

export async function verifyDecisionLog(deps: Pick<AppDeps, 'repos' | 'logSeal'>, domainId: string) {
  if (!(await deps.repos.domains.findById(domainId))) throw notFound('domain');
  const chain = deps.repos.decisionChain;
  const [head, checkpoints, unchained] = await Promise.all([chain.head(domainId), chain.checkpoints(domainId), chain.countUnchained(domainId)]);
  const seal = deps.logSeal;
  const report = (entries: number, broken?: BrokenLink) => ({
    ok: broken === undefined,
    entries,
    checkpoints: checkpoints.length,
    unchained,
    head: head ? { seq: head.seq, hash: head.hash } : null,
    ...(broken ? { firstBroken: broken } : {}),
  });

  for (const c of checkpoints) {
    if (!seal.verify(checkpointMessage(domainId, c.seq, c.hash, c.kind, c.time), c.signature)) return report(0, { seq: c.seq, reason: `checkpoint ${c.seq} (${c.kind}) does not carry a valid signature` });
  }
  const anchor = [...checkpoints].reverse().find((c) => c.kind === 'anchor');
  let seq = anchor?.seq ?? 0;
  let hash = anchor?.hash ?? GENESIS;
  const due = new Map(checkpoints.filter((c) => c.seq > seq).map((c) => [c.seq, c.hash]));
  let checked = 0;
  for (;;) {
    const page = await chain.entries(domainId, seq, PAGE);
    if (page.length === 0) break;
    for (const row of page) {
      if (row.seq !== seq + 1) return report(checked, { seq: seq + 1, reason: row.seq > seq + 1 ? `entry ${seq + 1} is missing (the next stored entry is ${row.seq})` : `entry ${row.seq} is out of place` });
      const expected = chainHash(hash, row);
      if (expected !== row.hash) return report(checked, { seq: row.seq, txId: row.txId, reason: `entry ${row.seq} does not match its hash: it was changed after it was written` });
      const cp = due.get(row.seq);
      if (cp !== undefined && cp !== row.hash) return report(checked, { seq: row.seq, txId: row.txId, reason: `entry ${row.seq} differs from the signed checkpoint at that position` });
      seq = row.seq;
      hash = row.hash;
      checked++;
    }
  }
  if (head) {
    if (!seal.verify(headMessage(domainId, head.seq, head.hash), head.signature)) return report(checked, { seq: head.seq, reason: 'the chain head does not carry a valid signature' });
    if (head.seq !== seq || head.hash !== hash) return report(checked, { seq: seq + 1, reason: `the log ends at entry ${seq} but the signed head is at entry ${head.seq}: entries were removed` });
  }
  return report(checked);
}
