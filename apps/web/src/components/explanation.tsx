/**
 * Why a decision came out as it did: the engine's evaluation trace when the log kept one (log
 * detail "full", test evaluations); otherwise, for older or summary entries, the policies that
 * applied and, read from their text, the rules whose effect is the decision (labelled derived).
 */
import { api } from '../api/endpoints';
import type { DecisionEntry, ExternalCall, TraceEntry } from '../api/types';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../lib/query-client';
import { rulesOf } from '../lib/xml-check';
import { DecisionBadge, ErrorBox, Loading } from './status';

function parseRef(ref: string): { id: string; version: string } {
  const m = /^(.*) v([^ ]+)$/.exec(ref);
  return m?.[1] !== undefined && m[2] !== undefined ? { id: m[1], version: m[2] } : { id: ref, version: 'latest' };
}

function TraceList({ trace }: { trace: readonly TraceEntry[] }) {
  const many = trace.some((t) => t.result !== undefined && t.result > 0);
  return (
    <ol className="trace" data-testid="trace">
      {trace.map((t, n) => (
        <li key={n} className={t.kind === 'rule' ? 'trace-rule' : 'trace-policy'}>
          {many && t.result !== undefined ? <span className="meta">decision {t.result + 1}: </span> : null}
          {t.kind === 'rule' ? (
            <>
              Rule <code>{t.id}</code> in <code>{t.policyId}</code> → <DecisionBadge decision={t.decision} />
            </>
          ) : t.id === '' ? (
            <>
              The PDP&apos;s root (its combining algorithm over the root policies) → <DecisionBadge decision={t.decision} />
            </>
          ) : (
            <>
              {t.kind === 'policy' ? 'Policy' : 'PolicySet'} <code>{t.id}</code> v{t.version} → <DecisionBadge decision={t.decision} />
            </>
          )}
        </li>
      ))}
    </ol>
  );
}

/** The rules that gave the decision inside the policies that gave it (the engine's own trace). */
export function decidingRules(trace: readonly TraceEntry[], decision: string): Extract<TraceEntry, { kind: 'rule' }>[] {
  const policies = new Set(trace.filter((t) => t.kind !== 'rule' && t.decision === decision).map((t) => t.id));
  return trace.filter((t): t is Extract<TraceEntry, { kind: 'rule' }> => t.kind === 'rule' && t.decision === decision && (policies.size === 0 || policies.has(t.policyId)));
}

function CallList({ calls }: { calls: readonly ExternalCall[] | undefined }) {
  if (calls === undefined) return null;
  return (
    <>
      <h4>Attribute lookups and trust-service calls</h4>
      {calls.length === 0 ? (
        <p className="meta">None: the request carried everything the policies asked for.</p>
      ) : (
        <ul data-testid="calls">
          {calls.map((c, n) => (
            <li key={n}>
              {c.kind === 'attribute' ? 'Looked up attribute' : 'Called'} <code>{c.target}</code>
              {c.error !== undefined ? <span className="issue"> — failed: {c.error}</span> : c.values !== undefined ? ` → ${c.values} value${c.values === 1 ? '' : 's'}` : ' — ok'}{' '}
              <span className="meta">({c.ms} ms)</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export type Explained = Pick<DecisionEntry, 'txId' | 'decision' | 'policies' | 'trace' | 'calls'>;

export function Explanation({ domainId, entry }: { domainId: string; entry: Explained }) {
  const refs = entry.policies.map(parseRef);
  const texts = useQuery({
    queryKey: [...keys.domainPolicies(domainId), 'texts-of', entry.txId],
    queryFn: () => Promise.all(refs.map((r) => api.policyVersion(domainId, r.id, r.version).then((v) => v.text, () => ''))),
    enabled: !entry.trace && refs.length > 0,
  });
  if (entry.trace) {
    const deciding = decidingRules(entry.trace, entry.decision);
    return (
      <div className="explanation">
        {deciding.length > 0 && (
          <p data-testid="deciding-rules">
            Decided by rule{deciding.length > 1 ? 's' : ''}{' '}
            {deciding.map((r) => (
              <code key={`${r.policyId}/${r.id}`}>
                {r.policyId} › {r.id}
              </code>
            ))}
          </p>
        )}
        {deciding.length === 0 && <p className="meta">No rule gave {entry.decision} on its own: it came from the combining algorithms or a missing attribute.</p>}
        <h4>Evaluation trace (recorded by the PDP)</h4>
        <TraceList trace={entry.trace} />
        <CallList calls={entry.calls} />
      </div>
    );
  }
  if (entry.policies.length === 0)
    return (
      <div className="explanation">
        <p className="empty">No policy applied to this request.</p>
        <CallList calls={entry.calls} />
      </div>
    );
  const derivedRules = (texts.data ?? []).flatMap((t) => rulesOf(t).flatMap((p) => p.rules.filter((r) => r.effect === entry.decision).map((r) => ({ policyId: p.policyId, id: r.id }))));
  return (
    <div className="explanation">
      <h4>Policies that applied</h4>
      <ul>
        {refs.map((r) => (
          <li key={`${r.id} ${r.version}`}>
            <code>{r.id}</code> v{r.version}
          </li>
        ))}
      </ul>
      {texts.isPending && <Loading what="the rules" />}
      {texts.isError && <ErrorBox error={texts.error} />}
      {texts.data && derivedRules.length > 0 && (
        <>
          <h4>
            Rules with effect <DecisionBadge decision={entry.decision} /> in those policies
          </h4>
          <ul data-testid="deciding-rules">
            {derivedRules.map((r) => (
              <li key={`${r.policyId}/${r.id}`}>
                <code>{r.policyId}</code> › rule <code>{r.id}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      {texts.data && derivedRules.length === 0 && <p className="meta">No rule in these policies has the effect {entry.decision}: it came from a policy&apos;s combining algorithm.</p>}
      <CallList calls={entry.calls} />
      <p className="meta" data-testid="derived-note">
        Derived from the policies that applied: this entry has no recorded trace (the PDP&apos;s log detail was not “full” when it was decided).
      </p>
    </div>
  );
}
