/**
 * Prometheus metrics (prom-client), one registry per platform (tests start several). Counters
 * and histograms are fed where things happen (decisions, UDF calls); gauges of the decision
 * log and the PDP cache are read when scraped.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { UdfCallEvent } from '@safax/udf-client';

export interface MetricSources {
  readonly log: { readonly pending: number; readonly written: number; readonly dropped: number; readonly commits: number; readonly mode: string };
  readonly pdps: { readonly compileCount: number; readonly stats: { readonly entries: number; readonly bytes: number; readonly evictions: number; readonly hits: number; readonly misses: number } };
  /** The UDF clients' circuit breakers (absent: a registry that has none). */
  readonly udf?: { breakerStates?(): readonly { readonly serviceId: string; readonly functionUrn: string; readonly state: string }[] };
}

/** Breaker states as gauge values: alert on > 0, page on 2. */
export const BREAKER_STATE_VALUE: Readonly<Record<string, number>> = { closed: 0, 'half-open': 1, open: 2 };

export interface Metrics {
  readonly registry: Registry;
  /** One evaluation answered (also test evaluations), with its evaluation time. */
  decision(domainId: string, decision: string, format: string, seconds: number): void;
  udfCall(event: UdfCallEvent): void;
  /** Where the scrape-time gauges read from (set once the components exist). */
  observe(sources: MetricSources): void;
}

/** The `domain` label of decisions past the per-domain series limit. */
const OTHER_DOMAINS = '_other';

/**
 * Label values for at most `limit` domains, the first ones seen; the rest share OTHER_DOMAINS.
 * Every domain's own series costs memory in each process and in the scraper, so without a
 * bound one tenant creating domains would grow both without end.
 */
function boundedLabel(limit: number): (value: string) => string {
  const known = new Set<string>();
  return (value) => {
    if (known.has(value)) return value;
    if (known.size >= limit) return OTHER_DOMAINS;
    known.add(value);
    return value;
  };
}

export interface MetricsOptions {
  readonly defaultMetrics?: boolean;
  /** Domains with a `safax_decisions_total` series of their own; later ones count under OTHER_DOMAINS. */
  readonly domainSeries?: number;
}

export const DEFAULT_DOMAIN_SERIES = 1000;

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'safax_' });
  let sources: MetricSources | undefined;
  const domainLabel = boundedLabel(options.domainSeries ?? DEFAULT_DOMAIN_SERIES);
  const decisions = new Counter({
    name: 'safax_decisions_total',
    help: `Decisions answered, by domain and decision (domains past the series limit count as domain="${OTHER_DOMAINS}")`,
    labelNames: ['domain', 'decision'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'safax_decision_evaluation_seconds',
    help: 'Evaluation time of a decision (policy evaluation with attribute and UDF calls), by wire format',
    labelNames: ['format'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const udfCalls = new Counter({ name: 'safax_udf_calls_total', help: 'Trust-service (UDF) calls, by function and outcome (ok, cached, or the error reason)', labelNames: ['function', 'outcome'] as const, registers: [registry] });
  const udfLatency = new Histogram({ name: 'safax_udf_call_seconds', help: 'Trust-service (UDF) call time', labelNames: ['function'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] });
  const gauge = (name: string, help: string, read: (s: MetricSources) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        if (sources) this.set(read(sources));
      },
    });
  gauge('safax_decision_log_queue_depth', 'Decision-log entries waiting to be written', (s) => s.log.pending);
  gauge('safax_decision_log_written', 'Decision-log entries written since start', (s) => s.log.written);
  gauge('safax_decision_log_dropped', 'Decision-log entries not written since start (write-behind overflow, write failures, durable refusals)', (s) => s.log.dropped);
  gauge('safax_decision_log_commits', 'Decision-log transactions since start (group commits in durable mode)', (s) => s.log.commits);
  new Gauge({
    name: 'safax_decision_log_durable',
    help: '1 when decisions are answered only once logged (durable mode), 0 for write-behind',
    registers: [registry],
    collect() {
      if (sources) this.set(sources.log.mode === 'durable' ? 1 : 0);
    },
  });
  gauge('safax_pdp_cache_compilations', 'PDP compilations since start (cache misses and re-initialisations)', (s) => s.pdps.compileCount);
  gauge('safax_pdp_cache_entries', 'Domains with a compiled PDP in the cache', (s) => s.pdps.stats.entries);
  gauge('safax_pdp_cache_bytes', 'Estimated memory of the compiled PDPs in the cache', (s) => s.pdps.stats.bytes);
  gauge('safax_pdp_cache_evictions', 'PDPs evicted from the cache for its memory budget since start', (s) => s.pdps.stats.evictions);
  new Counter({
    name: 'safax_pdp_cache_lookups_total',
    help: 'PDP cache lookups (a PDP-URL decision looks up twice: self-protection and evaluation): hit = served by a cached or compiling entry, miss = started a load and compilation',
    labelNames: ['result'] as const,
    registers: [registry],
    collect() {
      if (!sources) return;
      // Absolute values read from the cache (monotonic): set, not added.
      this.reset();
      this.inc({ result: 'hit' }, sources.pdps.stats.hits);
      this.inc({ result: 'miss' }, sources.pdps.stats.misses);
    },
  });
  new Gauge({
    name: 'safax_udf_breaker_state',
    help: 'Circuit breaker of each registered trust service (UDF): 0 closed, 1 half-open (a trial call may go), 2 open (calls refused)',
    labelNames: ['service', 'function'] as const,
    registers: [registry],
    collect() {
      // Services come and go: only the registered ones are reported.
      this.reset();
      for (const b of sources?.udf?.breakerStates?.() ?? []) {
        const value = BREAKER_STATE_VALUE[b.state];
        if (value !== undefined) this.set({ service: b.serviceId, function: b.functionUrn }, value);
      }
    },
  });
  return {
    registry,
    decision: (domainId, decision, format, seconds) => {
      decisions.inc({ domain: domainLabel(domainId), decision });
      latency.observe({ format }, seconds);
    },
    udfCall: (e) => {
      const fn = e.functionUrn ?? e.serviceId;
      udfCalls.inc({ function: fn, outcome: e.error ? e.error.reason : e.cached ? 'cached' : 'ok' });
      if (!e.cached) udfLatency.observe({ function: fn }, e.durationMs / 1000);
    },
    observe: (s) => {
      sources = s;
    },
  };
}
