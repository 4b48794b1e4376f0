/**
 * The audit trail's one entry point for routes: `audit(action, scope)` is a middleware placed
 * after the PEP guard of every route that changes something. Adopting it is one line:
 *
 *   r.post('/api/v1/…', guard('x:write', domain), audit('x.create', onDomain(deps)), handler)
 *
 * and, optionally, `noteAudit(res, { summary, details })` in the handler to say what changed.
 *
 * How it keeps its promises (decided here rather than inside each repository's transaction, so
 * that a new route needs no change to its storage code):
 * - Intent first: before the change is attempted, an entry is written with outcome `pending`
 *   (who, when, what, the transaction id). If that write fails, the change is not attempted and
 *   the caller gets 503: a change can never succeed without its entry.
 * - Outcome before answer: when the handler (or the error handler) sends the response, the
 *   entry is finished — `succeeded` for a 2xx/3xx, `failed` with the error code otherwise —
 *   and only then does the response leave, so whoever reads the trail next sees the outcome.
 *   A failed change therefore never shows as succeeded.
 * - If finishing fails (after retries), the entry stays `pending` — shown as such, never as
 *   succeeded — and the full entry is logged as an error: nothing is lost silently.
 * The transaction id is echoed in `X-Transaction-Id`.
 */
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { AppDeps } from '../app-deps';
import { actorOf } from '../auth/authenticate';
import { ApiError } from '../errors/api-error';
import type { AuditFinish } from '../repositories/ports';

/** What a change is about, known before it is attempted. */
export interface AuditTarget {
  readonly resourceType: string;
  readonly resourceId?: string | undefined;
  readonly projectId?: string | undefined;
  readonly domainId?: string | undefined;
  /** A default description (the handler may replace it with what actually changed). */
  readonly summary?: string;
}

export type AuditScope = (req: Request) => AuditTarget | Promise<AuditTarget>;

/** What the handler learnt about the change (new ids, versions, names). */
export interface AuditNote {
  readonly summary?: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly projectId?: string;
  readonly domainId?: string;
  readonly resourceId?: string;
}

export type Audit = (action: string, scope: AuditScope) => RequestHandler;

const NOTE = 'auditNote';
/** Attempts to write the outcome, with these pauses between them (ms). */
const FINISH_RETRY_MS = [0, 50, 250] as const;

/** Adds to what the audit entry of this request will say once the change succeeded. */
export function noteAudit(res: Response, note: AuditNote): void {
  res.locals[NOTE] = { ...((res.locals[NOTE] as AuditNote | undefined) ?? {}), ...note };
}

/** The error code and message of an error response body, if it is the API's error shape. */
function errorOf(chunk: unknown): { code: string | null; message: string | null } {
  const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    return { code: typeof body.error?.code === 'string' ? body.error.code : null, message: typeof body.error?.message === 'string' ? body.error.message : null };
  } catch {
    return { code: null, message: null };
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function auditTrail(deps: Pick<AppDeps, 'repos' | 'log'>): Audit {
  return (action, scope) => async (req, res, next) => {
    const target = await scope(req);
    const actor = actorOf(res.locals);
    const id = randomUUID();
    const txId = typeof res.locals.txId === 'string' ? res.locals.txId : id;
    const entry = {
      id,
      txId,
      time: new Date(),
      actorId: actor?.id ?? null,
      actorName: actor?.name ?? null,
      action,
      projectId: target.projectId ?? null,
      domainId: target.domainId ?? null,
      resourceType: target.resourceType,
      resourceId: target.resourceId ?? null,
      summary: target.summary ?? '',
      details: null,
    };
    try {
      await deps.repos.audit.begin(entry);
    } catch (err) {
      deps.log.error('audit entry not written: change refused', { action, txId, error: String(err) });
      throw new ApiError('unavailable', 'the audit trail cannot be written right now, so the change was not attempted: try again later');
    }
    res.locals.txId = txId;
    res.set('X-Transaction-Id', txId);

    const finish = async (chunk: unknown): Promise<void> => {
      const ok = res.statusCode < 400;
      const note = ok ? ((res.locals[NOTE] as AuditNote | undefined) ?? {}) : {};
      const error = ok ? { code: null, message: null } : errorOf(chunk);
      const outcome: AuditFinish = {
        outcome: ok ? 'succeeded' : 'failed',
        status: res.statusCode,
        errorCode: error.code ?? (ok ? null : `http-${res.statusCode}`),
        finishedAt: new Date(),
        ...note,
        ...(!ok && error.message !== null ? { details: { error: error.message } } : {}),
      };
      let last: unknown;
      for (const ms of FINISH_RETRY_MS) {
        if (ms > 0) await pause(ms);
        try {
          await deps.repos.audit.finish(id, outcome);
          return;
        } catch (err) {
          last = err;
        }
      }
      // The entry stays "pending": it never claims an outcome it could not record.
      deps.log.error('audit outcome not recorded: the entry stays pending', { entry: { ...entry, time: entry.time.toISOString() }, outcome: { ...outcome, finishedAt: outcome.finishedAt.toISOString() }, error: String(last) });
    };

    // The response leaves only once the outcome is recorded (read-your-writes for the trail).
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    let finished = false;
    res.end = ((...args: unknown[]) => {
      if (finished) return end(...args);
      finished = true;
      void finish(args[0]).finally(() => end(...args));
      return res;
    }) as Response['end'];
    next();
  };
}
