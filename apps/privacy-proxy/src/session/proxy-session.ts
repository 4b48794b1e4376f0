/**
 * One client session: the client's messages are decided and forwarded to the session's own
 * upstream connection; the upstream's answers are relayed back in order, with result rows
 * protected as the decisions require.
 *
 * Every forwarded message leaves an expectation of the answers it will produce, so each
 * RowDescription/DataRow is matched with the statement (simple protocol) or portal (extended
 * protocol) it belongs to, and after an error the expectations PostgreSQL will skip until Sync
 * are dropped. A denied statement is never forwarded: in its place the proxy sends a
 * statement that fails, and replaces that failure with its own error. PostgreSQL's own
 * transaction rules then apply exactly (a transaction block fails, an implicit transaction of a
 * pipelined batch rolls back, messages up to Sync are skipped) without the proxy imitating them.
 */
import { serialize } from 'pg-protocol';
import type { Catalog } from '../catalog/catalog';
import type { DecisionPort, Principal } from '../policy/decision-port';
import { decideStatements, SQLSTATE } from '../policy/decide-statements';
import type { DecisionAudit, PolicySettings, StatementRun, Verdict } from '../policy/decide-statements';
import { fieldActions, rowProtector } from '../protect/row-protector';
import type { FieldDescription, RowProtector } from '../protect/row-protector';
import type { TransformContext } from '../protect/value-transforms';
import { BACKEND, decodeError, decodeRowDescription, errorResponse, readyStatus } from '../protocol/backend-messages';
import type { ErrorFields, Frame } from '../protocol/backend-messages';
import { decodeClientMessage, FRONTEND, resultFormat } from '../protocol/client-messages';
import type { ClientMessage } from '../protocol/client-messages';
import type { StatementFacts } from '../sql/analyze-statement';
import type { StatementAnalyzer } from '../sql/statement-analyzer';
import type { UpstreamSession } from '../upstream/upstream-connection';

/** Fails during parse analysis on any server (a constant that is not an integer); harmless to a relaying proxy's owner. */
const SLOW = Symbol('slow');

/** Upstream messages already received are relayed to the client in writes of up to this size. */
const WRITE_BATCH_BYTES = 65_536;

export const POISON_SQL = "SELECT CAST('safax privacy proxy: statement denied' AS pg_catalog.int4)";

export interface SessionLogger {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
}

export interface SessionDeps {
  readonly statements: StatementAnalyzer;
  readonly settings: PolicySettings;
  readonly catalog: Catalog;
  readonly port: DecisionPort;
  readonly transform: TransformContext;
  readonly log: SessionLogger;
  /** Prepared statements older than this are decided again at Bind (a revocation reaches them). */
  readonly preparedDecisionTtlMs: number;
}

export interface ClientChannel {
  write(bytes: Buffer): Promise<void>;
  close(): void;
}

export interface SessionIdentityInput {
  readonly user: Principal;
  readonly onBehalfOf?: string;
  readonly purpose?: string;
  readonly sessionId: string;
}

interface PreparedState {
  readonly name: string;
  readonly sql: string;
  run: StatementRun | undefined;
  decidedAt: number;
  rowDesc?: FieldDescription[];
}

interface PortalState {
  readonly name: string;
  readonly statement: PreparedState | undefined;
  readonly resultFormats: readonly number[];
  protector?: RowProtector;
}

type Expectation =
  | { kind: 'query'; runs: readonly StatementRun[]; index: number; protector?: RowProtector; replaceError?: ErrorFields; changesCatalog: boolean }
  | { kind: 'parse'; swallow: boolean; replaceError?: ErrorFields }
  | { kind: 'bind'; swallow: boolean; replaceError?: ErrorFields }
  | { kind: 'describe-statement'; statement: PreparedState | undefined; swallow: boolean }
  | { kind: 'describe-portal'; portal: PortalState | undefined }
  | { kind: 'execute'; portal: PortalState | undefined; replaceError?: ErrorFields }
  | { kind: 'close' }
  | { kind: 'sync' };

function isSyncPoint(e: Expectation): boolean {
  return e.kind === 'sync' || e.kind === 'query';
}

export class ProxySession {
  private readonly expectations: Expectation[] = [];
  private readonly statements = new Map<string, PreparedState>();
  private readonly portals = new Map<string, PortalState>();
  private readonly sqlPrepared = new Map<string, StatementFacts>();
  private readonly tempTables = new Set<string>();
  private purpose: string | undefined;
  private status: 'I' | 'T' | 'E' = 'I';
  private closed = false;
  private readonly pumping: Promise<void>;
  private outgoing: Buffer[] = [];
  private outgoingBytes = 0;
  private flushTimer: NodeJS.Immediate | undefined;

  constructor(
    private readonly client: ClientChannel,
    private readonly upstream: UpstreamSession,
    private readonly identity: SessionIdentityInput,
    private readonly deps: SessionDeps,
  ) {
    this.purpose = identity.purpose;
    this.pumping = this.pump();
  }

  /** Resolves when the session has ended (either side). */
  get done(): Promise<void> {
    return this.pumping;
  }

  get transactionStatus(): 'I' | 'T' | 'E' {
    return this.status;
  }

  /** No statement running and no transaction open: the session can end without losing work. */
  get idle(): boolean {
    return this.status === 'I' && this.expectations.length === 0;
  }

  /** Handles one client message; called in order, one at a time. */
  async handle(raw: Buffer): Promise<void> {
    if (this.closed) return;
    let msg: ClientMessage;
    try {
      msg = decodeClientMessage(raw);
    } catch (err) {
      await this.fatal(SQLSTATE.protocolViolation, `invalid message: ${(err as Error).message}`);
      return;
    }
    try {
      await this.dispatch(msg, raw);
    } catch (err) {
      this.deps.log.warn({ session: this.identity.sessionId, error: (err as Error).message }, 'session failed');
      await this.fatal('08006', 'the privacy proxy lost its connection to the database');
    }
  }

  private async dispatch(msg: ClientMessage, raw: Buffer): Promise<void> {
    switch (msg.kind) {
      case 'query':
        return this.onQuery(msg.sql, raw);
      case 'parse':
        return this.onParse(msg.name, msg.sql, raw);
      case 'bind':
        return this.onBind(msg.portal, msg.statement, msg.resultFormats, raw);
      case 'describe':
        if (msg.target === 'S') this.expect({ kind: 'describe-statement', statement: this.statements.get(msg.name), swallow: false });
        else this.expect({ kind: 'describe-portal', portal: this.portals.get(msg.name) });
        return this.send(raw, false);
      case 'execute':
        this.expect({ kind: 'execute', portal: this.portals.get(msg.portal) });
        return this.send(raw, false);
      case 'close':
        if (msg.target === 'S') this.statements.delete(msg.name);
        else this.portals.delete(msg.name);
        this.expect({ kind: 'close' });
        return this.send(raw, false);
      case 'sync':
        this.expect({ kind: 'sync' });
        return this.send(raw, true);
      case 'flush':
        return this.send(raw, true);
      case 'copy':
        return this.send(raw, msg.type !== FRONTEND.copyData);
      case 'terminate':
        await this.end();
        return;
      case 'function-call':
        return this.denySimple({ severity: 'ERROR', code: SQLSTATE.insufficientPrivilege, message: 'fast-path function calls are not allowed through the privacy proxy' });
      case 'unknown':
        return this.fatal(SQLSTATE.protocolViolation, `unexpected message type ${String.fromCharCode(msg.type)}`);
    }
  }

  private expect(e: Expectation): void {
    this.expectations.push(e);
  }

  /**
   * Queues bytes for the upstream and writes them at Sync, Flush, a simple Query, the end of
   * COPY, or when 64 KiB are pending: a pipelined Parse/Bind/Describe/Execute/Sync then costs
   * one write, not five (PostgreSQL answers nothing before Sync or Flush anyway). A timer
   * flushes whatever a client left without a Sync.
   */
  private async send(bytes: Buffer, flush: boolean): Promise<void> {
    this.outgoing.push(bytes);
    this.outgoingBytes += bytes.length;
    if (flush || this.outgoingBytes >= WRITE_BATCH_BYTES) return this.flushUpstream();
    if (this.flushTimer === undefined) {
      this.flushTimer = setImmediate(() => {
        this.flushTimer = undefined;
        this.flushUpstream().catch(() => undefined);
      });
    }
  }

  private async flushUpstream(): Promise<void> {
    if (this.flushTimer !== undefined) {
      clearImmediate(this.flushTimer);
      this.flushTimer = undefined;
    }
    if (this.outgoing.length === 0) return;
    const out = this.outgoing.length === 1 ? (this.outgoing[0] as Buffer) : Buffer.concat(this.outgoing, this.outgoingBytes);
    this.outgoing = [];
    this.outgoingBytes = 0;
    await this.upstream.write(out);
  }

  // -- decisions ------------------------------------------------------------------------------

  private async decide(sql: string): Promise<Verdict> {
    const parsed = this.deps.statements.analyze(sql);
    if (!parsed.ok) {
      const audit: DecisionAudit = { statementClass: 'unknown', datasets: [], transactionIds: [], outcome: 'refused', reason: `unparsable (${parsed.reason})` };
      return { allowed: false, error: { severity: 'ERROR', code: parsed.reason === 'syntax' ? SQLSTATE.syntaxError : SQLSTATE.insufficientPrivilege, message: `statement denied by the privacy proxy: it could not be parsed (${parsed.message})` }, audit: [audit] };
    }
    const facts: StatementFacts[] = [];
    for (const f of parsed.statements) {
      if (f.sqlExecute !== undefined) {
        const inner = this.sqlPrepared.get(f.sqlExecute);
        if (inner === undefined) return { allowed: false, error: { severity: 'ERROR', code: '26000', message: `prepared statement "${f.sqlExecute}" does not exist (or was not prepared through the privacy proxy)` }, audit: [] };
        facts.push(inner);
      } else facts.push(f);
    }
    return decideStatements(facts, { subject: this.identity.user, ...(this.identity.onBehalfOf !== undefined ? { onBehalfOf: this.identity.onBehalfOf } : {}), ...(this.purpose !== undefined ? { purpose: this.purpose } : {}) }, this.deps.settings, { tempTables: this.tempTables }, this.deps.catalog, this.deps.port);
  }

  private audit(verdict: Verdict, protocol: 'simple' | 'extended'): void {
    for (const a of verdict.audit) {
      this.deps.log.info(
        {
          session: this.identity.sessionId,
          user: this.identity.user.id,
          ...(this.identity.onBehalfOf !== undefined ? { onBehalfOf: this.identity.onBehalfOf } : {}),
          protocol,
          class: a.statementClass,
          datasets: a.datasets,
          safaxTransactionIds: a.transactionIds,
          outcome: a.outcome,
          ...(a.reason !== undefined ? { reason: a.reason } : {}),
          ...(a.protections !== undefined ? { protections: a.protections } : {}),
        },
        'statement',
      );
    }
  }

  private applySideEffects(runs: readonly StatementRun[]): void {
    for (const { facts } of runs) {
      if (facts.discardsTemp) this.tempTables.clear();
      for (const t of facts.tempCreated) this.tempTables.add(t);
      for (const t of facts.tempDropped) this.tempTables.delete(t);
      if (facts.changesCatalog) this.deps.catalog.invalidate();
      if (facts.sqlPrepare !== undefined) this.sqlPrepared.set(facts.sqlPrepare.name, facts.sqlPrepare.inner);
      if (facts.sqlDeallocate === 'all') this.sqlPrepared.clear();
      else if (facts.sqlDeallocate !== undefined) this.sqlPrepared.delete(facts.sqlDeallocate);
      if (facts.setting !== undefined) {
        if (facts.setting.name === 'safax.purpose') this.purpose = facts.setting.value;
        else if (facts.setting.name === '*') this.purpose = this.identity.purpose;
      }
    }
  }

  // -- simple protocol ------------------------------------------------------------------------

  private async onQuery(sql: string, raw: Buffer): Promise<void> {
    const verdict = await this.decide(sql);
    this.audit(verdict, 'simple');
    if (!verdict.allowed) return this.denySimple(verdict.error);
    this.expect({ kind: 'query', runs: verdict.runs, index: 0, changesCatalog: verdict.runs.some((r) => r.facts.changesCatalog) });
    await this.send(raw, true);
    this.applySideEffects(verdict.runs);
  }

  private async denySimple(error: ErrorFields): Promise<void> {
    this.expect({ kind: 'query', runs: [], index: 0, replaceError: error, changesCatalog: false });
    await this.send(serialize.query(POISON_SQL), true);
  }

  // -- extended protocol ----------------------------------------------------------------------

  private async denyExtended(error: ErrorFields): Promise<void> {
    this.expect({ kind: 'parse', swallow: true, replaceError: error });
    this.expect({ kind: 'bind', swallow: true, replaceError: error });
    this.expect({ kind: 'execute', portal: undefined, replaceError: error });
    await this.send(Buffer.concat([serialize.parse({ name: '', text: POISON_SQL }), serialize.bind({}), serialize.execute({})]), false);
  }

  private async onParse(name: string, sql: string, raw: Buffer): Promise<void> {
    const verdict = await this.decide(sql);
    this.audit(verdict, 'extended');
    if (!verdict.allowed) {
      if (name === '') this.statements.delete('');
      return this.denyExtended(verdict.error);
    }
    const run = verdict.runs[0];
    const state: PreparedState = { name, sql, run, decidedAt: Date.now() };
    this.statements.set(name, state);
    this.expect({ kind: 'parse', swallow: false });
    const out = [raw];
    if (run?.protection !== undefined) {
      // The proxy needs the statement's columns (table OID, attnum) before its first row.
      this.expect({ kind: 'describe-statement', statement: state, swallow: true });
      out.push(serialize.describe({ type: 'S', name }));
    }
    await this.send(out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out), false);
    this.applySideEffects(verdict.runs);
  }

  private async onBind(portalName: string, statementName: string, resultFormats: readonly number[], raw: Buffer): Promise<void> {
    let st = this.statements.get(statementName);
    if (st === undefined) {
      const prepared = this.sqlPrepared.get(statementName);
      if (prepared === undefined) return this.denyExtended({ severity: 'ERROR', code: '26000', message: `prepared statement "${statementName}" does not exist` });
      st = { name: statementName, sql: '', run: undefined, decidedAt: 0 };
      this.statements.set(statementName, st);
    }
    const out: Buffer[] = [];
    if (Date.now() - st.decidedAt > this.deps.preparedDecisionTtlMs) {
      const facts = st.sql !== '' ? undefined : this.sqlPrepared.get(statementName);
      const verdict = facts !== undefined ? await decideStatements([facts], this.identityNow(), this.deps.settings, { tempTables: this.tempTables }, this.deps.catalog, this.deps.port) : await this.decide(st.sql);
      this.audit(verdict, 'extended');
      if (!verdict.allowed) return this.denyExtended(verdict.error);
      st.run = verdict.runs[0];
      st.decidedAt = Date.now();
      if (st.run?.protection !== undefined && st.rowDesc === undefined) {
        this.expect({ kind: 'describe-statement', statement: st, swallow: true });
        out.push(serialize.describe({ type: 'S', name: statementName }));
      }
    }
    const portal: PortalState = { name: portalName, statement: st, resultFormats };
    this.portals.set(portalName, portal);
    this.expect({ kind: 'bind', swallow: false });
    out.push(raw);
    await this.send(out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out), false);
  }

  private identityNow() {
    return { subject: this.identity.user, ...(this.identity.onBehalfOf !== undefined ? { onBehalfOf: this.identity.onBehalfOf } : {}), ...(this.purpose !== undefined ? { purpose: this.purpose } : {}) };
  }

  // -- upstream → client ----------------------------------------------------------------------

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const frame = await this.upstream.next();
        if (frame === undefined) break;
        // Everything already received goes out in one write (rows arrive many to a packet).
        const batch: Buffer[] = [];
        let size = 0;
        let next: Frame | undefined = frame;
        while (next !== undefined) {
          // Rows take the synchronous path; only descriptions and first rows may wait for the catalog.
          const quick = next.type === BACKEND.dataRow ? this.dataRow(next) : SLOW;
          const out = quick === SLOW ? await this.onUpstream(next) : quick;
          if (out !== undefined) {
            batch.push(out);
            size += out.length;
          }
          if (size >= WRITE_BATCH_BYTES) break;
          next = this.upstream.poll();
        }
        if (batch.length > 0) await this.client.write(batch.length === 1 ? (batch[0] as Buffer) : Buffer.concat(batch, size));
      }
      if (!this.closed) await this.fatal('08006', 'the database closed the connection');
    } catch (err) {
      this.deps.log.warn({ session: this.identity.sessionId, error: (err as Error).message }, 'relay failed');
      this.closed = true;
      this.client.close();
      await this.upstream.close();
    }
  }

  private head(): Expectation | undefined {
    return this.expectations[0];
  }

  /** Returns what to send to the client for one upstream message (undefined: nothing). */
  private async onUpstream(frame: Frame): Promise<Buffer | undefined> {
    const head = this.head();
    switch (frame.type) {
      case BACKEND.errorResponse: {
        if (head === undefined) return frame.bytes;
        const replace = 'replaceError' in head ? head.replaceError : undefined;
        if (head.kind !== 'query') {
          // PostgreSQL skips everything up to Sync after an error.
          this.expectations.shift();
          while (this.expectations.length > 0 && !isSyncPoint(this.expectations[0] as Expectation)) this.expectations.shift();
        }
        if (replace !== undefined) return errorResponse(replace);
        if (decodeError(frame).severity === 'FATAL') this.closed = true;
        return frame.bytes;
      }
      case BACKEND.readyForQuery: {
        this.status = readyStatus(frame);
        while (this.expectations.length > 0) {
          const e = this.expectations.shift() as Expectation;
          if (e.kind === 'query' && e.changesCatalog) this.deps.catalog.invalidate();
          if (isSyncPoint(e)) break;
        }
        return frame.bytes;
      }
      case BACKEND.parseComplete:
      case BACKEND.bindComplete:
      case BACKEND.closeComplete: {
        if (head !== undefined && head.kind !== 'query') this.expectations.shift();
        return head !== undefined && (head.kind === 'parse' || head.kind === 'bind') && head.swallow ? undefined : frame.bytes;
      }
      case BACKEND.parameterDescription:
        return head?.kind === 'describe-statement' && head.swallow ? undefined : frame.bytes;
      case BACKEND.noData:
        if (head?.kind === 'describe-statement' || head?.kind === 'describe-portal') {
          this.expectations.shift();
          if (head.kind === 'describe-statement' && head.statement !== undefined) head.statement.rowDesc = [];
          if (head.kind === 'describe-statement' && head.swallow) return undefined;
        }
        return frame.bytes;
      case BACKEND.rowDescription: {
        if (head?.kind === 'query') {
          const run = head.runs[head.index];
          head.protector = run?.protection !== undefined ? rowProtector(await fieldActions(describe(frame), run.protection.plan, run.protection.check, this.deps.catalog), this.deps.transform) : undefined;
          return frame.bytes;
        }
        if (head?.kind === 'describe-statement') {
          this.expectations.shift();
          if (head.statement !== undefined) head.statement.rowDesc = describe(frame);
          return head.swallow ? undefined : frame.bytes;
        }
        if (head?.kind === 'describe-portal') this.expectations.shift();
        return frame.bytes;
      }
      case BACKEND.dataRow: {
        if (head?.kind === 'query') return head.protector !== undefined ? head.protector.apply(frame) : frame.bytes;
        if (head?.kind === 'execute') {
          const protector = await this.portalProtector(head.portal);
          return protector !== undefined ? protector.apply(frame) : frame.bytes;
        }
        // Rows nobody asked for: withheld.
        return undefined;
      }
      case BACKEND.commandComplete:
      case BACKEND.emptyQuery:
      case BACKEND.portalSuspended: {
        if (head?.kind === 'query') {
          head.index += 1;
          head.protector = undefined;
        } else if (head?.kind === 'execute') this.expectations.shift();
        return frame.bytes;
      }
      default:
        return frame.bytes;
    }
  }

  /** A DataRow without waiting, or SLOW when its portal's protector is still to be built. */
  private dataRow(frame: Frame): Buffer | undefined | typeof SLOW {
    const head = this.head();
    if (head?.kind === 'query') return head.protector !== undefined ? head.protector.apply(frame) : frame.bytes;
    if (head?.kind === 'execute') {
      const portal = head.portal;
      if (portal === undefined || portal.statement?.run?.protection === undefined) return frame.bytes;
      return portal.protector !== undefined ? portal.protector.apply(frame) : SLOW;
    }
    return undefined;
  }

  private async portalProtector(portal: PortalState | undefined): Promise<RowProtector | undefined> {
    if (portal === undefined) return undefined;
    if (portal.protector !== undefined) return portal.protector;
    const st = portal.statement;
    const protection = st?.run?.protection;
    if (st === undefined || protection === undefined) return undefined;
    const fields = (st.rowDesc ?? []).map((f, i) => ({ ...f, format: resultFormat(portal.resultFormats, i) }));
    if (st.rowDesc === undefined) {
      // No description was obtained: nothing of the row can be mapped, so all of it is withheld.
      portal.protector = { actions: [], apply: (f) => withheld(f) };
      return portal.protector;
    }
    portal.protector = rowProtector(await fieldActions(fields, protection.plan, protection.check, this.deps.catalog), this.deps.transform);
    return portal.protector;
  }

  // -- ending ---------------------------------------------------------------------------------

  private async fatal(code: string, message: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.flushTimer !== undefined) clearImmediate(this.flushTimer);
    await this.client.write(errorResponse({ severity: 'FATAL', code, message })).catch(() => undefined);
    this.client.close();
    await this.upstream.close();
  }

  /** Ends the session: the client has terminated or gone; the upstream connection is closed. */
  async end(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.flushTimer !== undefined) clearImmediate(this.flushTimer);
    await this.upstream.close();
  }

  /** Graceful shutdown: tell the client, then close. */
  async shutdown(): Promise<void> {
    await this.fatal('57P01', 'terminating connection: the privacy proxy is shutting down');
  }
}

function describe(frame: Frame): FieldDescription[] {
  return decodeRowDescription(frame).fields.map((f) => ({ name: f.name, tableOid: f.tableID, attnum: f.columnID, typeOid: f.dataTypeID, format: f.format === 'binary' ? 1 : 0 }));
}

function withheld(frame: Frame): Buffer {
  const count = frame.bytes.readInt16BE(5);
  const b = Buffer.alloc(7 + 4 * count);
  b[0] = BACKEND.dataRow;
  b.writeInt32BE(6 + 4 * count, 1);
  b.writeInt16BE(count, 5);
  for (let i = 0; i < count; i++) b.writeInt32BE(-1, 7 + 4 * i);
  return b;
}
