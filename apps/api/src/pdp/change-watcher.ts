/**
 * Keeps a replica's PDP cache in step with every other replica: polls the change feed (works
 * on SQLite and PostgreSQL) and, on PostgreSQL, also LISTENs so a change arrives at once.
 */
import { Client } from 'pg';
import type { ChangeFeedRepository } from '../repositories/ports';
import { CHANGE_CHANNEL } from '../repositories/prisma/change-events';

export interface ChangeWatcherOptions {
  readonly feed: ChangeFeedRepository;
  readonly pollMs: number;
  readonly onChange: (domainId: string) => void;
  /** PostgreSQL connection string: LISTEN on it as well. */
  readonly postgresUrl?: string;
  readonly onError?: (err: unknown) => void;
}

export interface ChangeWatcher {
  stop(): Promise<void>;
}

const PRUNE_EVERY_MS = 60_000;
const KEEP_EVENTS_MS = 10 * 60_000;

export async function startChangeWatcher(opts: ChangeWatcherOptions): Promise<ChangeWatcher> {
  const onError = opts.onError ?? (() => undefined);
  let last = await opts.feed.latestSeq();
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let lastPrune = Date.now();

  const poll = async (): Promise<void> => {
    try {
      for (const e of await opts.feed.since(last)) {
        last = Math.max(last, e.seq);
        opts.onChange(e.domainId);
      }
      if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = Date.now();
        await opts.feed.prune(new Date(Date.now() - KEEP_EVENTS_MS));
      }
    } catch (err) {
      onError(err);
    }
  };
  const timer = setInterval(() => {
    if (!stopped) running = running.then(poll);
  }, opts.pollMs);
  timer.unref();

  let listener: Client | null = null;
  if (opts.postgresUrl) {
    const client = new Client({ connectionString: opts.postgresUrl });
    try {
      await client.connect();
      client.on('notification', (n) => {
        if (n.channel === CHANGE_CHANNEL && n.payload) opts.onChange(n.payload);
      });
      client.on('error', onError);
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
      listener = client;
    } catch (err) {
      // The poll still propagates changes; LISTEN only makes it immediate.
      onError(err);
      await client.end().catch(() => undefined);
    }
  }

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      if (listener) await listener.end().catch(() => undefined);
    },
  };
}
