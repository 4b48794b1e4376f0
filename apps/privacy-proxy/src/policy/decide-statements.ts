/**
 * The PEP's verdict on the statements of one client message: refuse what the proxy will not
 * relay, let configured harmless statements through, ask the PDP about every dataset (and
 * user-defined function) of every statement in ONE round trip, and turn the decisions into
 * either a denial (SQLSTATE 42501, or 58000 when no decision could be had) or per-statement
 * protection plans. Fail closed throughout: anything not understood denies.
 */
import type { Catalog } from '../catalog/catalog';
import { readObligation, ProtectionPlan } from '../protect/obligations';
import { analyzeProtection } from '../protect/statement-protection';
import type { StatementProtection } from '../protect/statement-protection';
import type { ErrorFields } from '../protocol/backend-messages';
import type { HarmlessKind, StatementFacts } from '../sql/analyze-statement';
import type { DatasetRequest, DecisionPort, PortDecision, Principal } from './decision-port';
import { resolveStatement } from './resolve-uses';
import type { ResolvedUse } from './resolve-uses';
import { RESOURCE_TYPE } from './vocabulary';

export interface PolicySettings {
  readonly harmless: ReadonlySet<HarmlessKind>;
  readonly publicRelations: ReadonlySet<string>;
  readonly allowProtectedPredicates: boolean;
  readonly defaultSchema: string;
}

export interface SessionIdentity {
  /** Access subject of every request. */
  readonly subject: Principal;
  readonly onBehalfOf?: string;
  readonly purpose?: string;
}

export interface StatementRun {
  readonly facts: StatementFacts;
  /** Present when results must be protected. */
  readonly protection?: { readonly plan: ProtectionPlan; readonly check: StatementProtection };
}

export interface DecisionAudit {
  readonly statementClass: string;
  readonly datasets: readonly string[];
  readonly transactionIds: readonly string[];
  readonly outcome: 'permit' | 'deny' | 'unavailable' | 'refused' | 'harmless';
  readonly reason?: string;
  readonly protections?: string;
}

export type Verdict =
  | { readonly allowed: true; readonly runs: readonly StatementRun[]; readonly audit: readonly DecisionAudit[] }
  | { readonly allowed: false; readonly error: ErrorFields; readonly audit: readonly DecisionAudit[] };

export const SQLSTATE = {
  insufficientPrivilege: '42501',
  syntaxError: '42601',
  decisionUnavailable: '58000',
  protocolViolation: '08P01',
  featureNotSupported: '0A000',
} as const;

const HINT_TX = 'The data owner can look the decision up in the SAFAX-TS decision log under the transaction id.';

function denied(message: string, detail: string | undefined, code: string = SQLSTATE.insufficientPrivilege, hint?: string): ErrorFields {
  return { severity: 'ERROR', code, message, ...(detail !== undefined ? { detail } : {}), ...(hint !== undefined ? { hint } : {}) };
}

function what(u: ResolvedUse): string {
  const kind = u.kind === 'relation' ? 'dataset' : u.kind;
  return `${kind} ${u.id} (${u.action})`;
}

export async function decideStatements(statements: readonly StatementFacts[], identity: SessionIdentity, settings: PolicySettings, session: { tempTables: ReadonlySet<string> }, catalog: Catalog, port: DecisionPort): Promise<Verdict> {
  const audit: DecisionAudit[] = [];
  const pending: { facts: StatementFacts; uses: readonly ResolvedUse[]; names: Awaited<ReturnType<typeof resolveStatement>>['names']; harmless?: true }[] = [];
  for (const facts of statements) {
    if (facts.refusal !== undefined) {
      audit.push({ statementClass: facts.statementClass, datasets: [], transactionIds: [], outcome: 'refused', reason: facts.refusal });
      return { allowed: false, error: denied(`statement denied by the privacy proxy: ${facts.refusal}`, undefined), audit };
    }
    if (facts.harmless !== undefined && facts.uses.length === 0) {
      if (!settings.harmless.has(facts.harmless)) {
        audit.push({ statementClass: facts.statementClass, datasets: [], transactionIds: [], outcome: 'refused', reason: `${facts.harmless} not configured harmless` });
        return { allowed: false, error: denied(`statement denied by the privacy proxy: statements of kind "${facts.harmless}" are not allowed`, 'Only the kinds listed in the proxy configuration (policy.harmless) pass without a decision.'), audit };
      }
      if (facts.harmless !== 'select-constants') {
        pending.push({ facts, uses: [], names: { datasets: [], datasetsOf: () => [] }, harmless: true });
        continue;
      }
    }
    if (facts.harmless === 'lock' && settings.harmless.has('lock')) {
      pending.push({ facts, uses: [], names: { datasets: [], datasetsOf: () => [] }, harmless: true });
      continue;
    }
    const resolved = await resolveStatement(facts, { defaultSchema: settings.defaultSchema, tempTables: session.tempTables, catalog, publicRelations: settings.publicRelations });
    if (resolved.needsNoDecision && facts.statementClass !== 'select') {
      audit.push({ statementClass: facts.statementClass, datasets: [], transactionIds: [], outcome: 'refused', reason: 'unclassifiable' });
      return { allowed: false, error: denied('statement denied by the privacy proxy: it names no dataset the proxy can decide on', `statement ${facts.nodeType}`), audit };
    }
    pending.push({ facts, uses: resolved.uses, names: resolved.names });
  }

  const requests: DatasetRequest[] = [];
  for (const p of pending)
    for (const u of p.uses)
      requests.push({
        subject: identity.subject,
        ...(identity.onBehalfOf !== undefined ? { onBehalfOf: identity.onBehalfOf } : {}),
        action: u.action,
        resource: { id: u.id, type: RESOURCE_TYPE[u.kind], columns: u.kind === 'relation' ? u.columns : [] },
        ...(identity.purpose !== undefined ? { purpose: identity.purpose } : {}),
      });
  const decisions: PortDecision[] = requests.length === 0 ? [] : await port.decideMany(requests);
  if (decisions.length !== requests.length) {
    return { allowed: false, error: denied('access decision unavailable: the PDP answered the wrong number of decisions', undefined, SQLSTATE.decisionUnavailable), audit };
  }

  const runs: StatementRun[] = [];
  let i = 0;
  for (const p of pending) {
    const mine = decisions.slice(i, i + p.uses.length);
    i += p.uses.length;
    const txIds = [...new Set(mine.map((d) => d.transactionId).filter((t): t is string => t !== undefined))];
    const entry = { statementClass: p.facts.statementClass, datasets: p.uses.map((u) => `${u.id}:${u.action}`), transactionIds: txIds };
    const unavailable = mine.findIndex((d) => d.outcome === 'unavailable');
    if (unavailable >= 0) {
      const d = mine[unavailable] as PortDecision & { outcome: 'unavailable' };
      audit.push({ ...entry, outcome: 'unavailable', reason: d.message });
      return {
        allowed: false,
        error: denied(`access decision unavailable: SAFAX-TS could not be reached for ${what(p.uses[unavailable] as ResolvedUse)}; the statement was not executed`, `cause: ${d.message}${d.transactionId !== undefined ? `; SAFAX transaction ${d.transactionId}` : ''}`, SQLSTATE.decisionUnavailable, 'Retry when the decision service is back; nothing was forwarded to the database.'),
        audit,
      };
    }
    const deny = mine.findIndex((d) => d.outcome === 'deny');
    if (deny >= 0) {
      const d = mine[deny] as PortDecision & { outcome: 'deny' };
      const use = p.uses[deny] as ResolvedUse;
      audit.push({ ...entry, outcome: 'deny', reason: `${use.id}: ${d.reason}` });
      const tx = d.transactionId ?? 'none';
      const reason = d.reason === 'unknown-obligation' ? `the decision carries an obligation the proxy does not know (${d.message})` : d.reason === 'not-applicable' ? 'no policy permits it' : d.reason === 'indeterminate' ? 'the policy could not be evaluated' : d.reason === 'invalid-request' ? d.message : 'the policy denies it';
      return { allowed: false, error: denied(`permission denied for ${what(use)} (SAFAX transaction ${tx})`, reason, SQLSTATE.insufficientPrivilege, HINT_TX), audit };
    }
    // All permitted: protection obligations → the statement's plan.
    const plan = new ProtectionPlan();
    for (let k = 0; k < p.uses.length; k++) {
      const d = mine[k] as PortDecision & { outcome: 'permit' };
      const use = p.uses[k] as ResolvedUse;
      for (const o of d.obligations) {
        const read = readObligation(use.id, o);
        const tx = d.transactionId ?? 'none';
        if (!read.ok) {
          audit.push({ ...entry, outcome: 'deny', reason: read.message });
          return { allowed: false, error: denied(`permission denied for ${what(use)} (SAFAX transaction ${tx})`, `the decision's obligation cannot be honoured: ${read.message}`, SQLSTATE.insufficientPrivilege, HINT_TX), audit };
        }
        // PREPARE returns no rows: its EXECUTE is decided again and protected then.
        if (p.facts.sqlPrepare !== undefined) continue;
        if (use.action !== 'read' || !use.releasedToClient || !p.facts.returnsRows) {
          audit.push({ ...entry, outcome: 'deny', reason: 'protection obligation on data that does not flow to the client' });
          return {
            allowed: false,
            error: denied(`permission denied for ${what(use)} (SAFAX transaction ${tx})`, 'the decision requires protecting columns of this dataset, which the proxy can only do on rows it returns to the client; this statement uses the data on the server (a copy, a view, a subquery of a write, COPY, a cursor or EXPLAIN)', SQLSTATE.insufficientPrivilege, HINT_TX),
            audit,
          };
        }
        for (const c of read.columns) plan.add(c);
      }
    }
    if (plan.empty) {
      audit.push({ ...entry, outcome: p.harmless === true ? 'harmless' : 'permit' });
      runs.push({ facts: p.facts });
      continue;
    }
    if (!catalog.available) {
      audit.push({ ...entry, outcome: 'deny', reason: 'protection without catalog (relay mode)' });
      return { allowed: false, error: denied(`permission denied for ${p.uses.map((u) => u.id).join(', ')} (SAFAX transaction ${txIds.join(', ')})`, 'the decision requires protecting columns, which a relaying proxy cannot do; the data-owning proxy protects them', SQLSTATE.insufficientPrivilege, HINT_TX), audit };
    }
    const check = analyzeProtection(p.facts, plan, p.names, settings.allowProtectedPredicates);
    if (check.violation !== undefined) {
      audit.push({ ...entry, outcome: 'deny', reason: check.violation, protections: plan.describe() });
      return { allowed: false, error: denied(`permission denied: ${check.violation} (SAFAX transaction ${txIds.join(', ')})`, 'Filtering or sorting on a protected column would reveal its values.', SQLSTATE.insufficientPrivilege, HINT_TX), audit };
    }
    audit.push({ ...entry, outcome: 'permit', protections: plan.describe() });
    runs.push({ facts: p.facts, protection: { plan, check } });
  }
  return { allowed: true, runs, audit };
}
