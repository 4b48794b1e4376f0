/** Decisions over time (stacked bars per time bucket), drawn with chart.js; a table follows for screen readers. */
import { useEffect, useRef } from 'react';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import type { DecisionEntry } from '../api/types';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const SERIES: readonly { decision: string; color: string }[] = [
  { decision: 'Permit', color: '#2f855a' },
  { decision: 'Deny', color: '#c53030' },
  { decision: 'NotApplicable', color: '#718096' },
  { decision: 'Indeterminate', color: '#b7791f' },
];

/** Buckets entries by minute, hour or day depending on the span they cover. */
export function bucketise(items: readonly DecisionEntry[]): { labels: string[]; counts: Record<string, number[]> } {
  if (items.length === 0) return { labels: [], counts: {} };
  const times = items.map((i) => new Date(i.time).getTime());
  const span = Math.max(...times) - Math.min(...times);
  const size = span <= 2 * 3600_000 ? 60_000 : span <= 3 * 86_400_000 ? 3600_000 : 86_400_000;
  const keys = [...new Set(times.map((t) => Math.floor(t / size) * size))].sort((a, b) => a - b);
  const fmt = (t: number) => {
    const d = new Date(t);
    return size === 86_400_000 ? d.toLocaleDateString() : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  };
  const counts: Record<string, number[]> = {};
  for (const s of SERIES) counts[s.decision] = keys.map(() => 0);
  items.forEach((it, n) => {
    const k = keys.indexOf(Math.floor((times[n] ?? 0) / size) * size);
    const series = counts[it.decision] ?? counts.Indeterminate;
    if (series && k >= 0) series[k] = (series[k] ?? 0) + 1;
  });
  return { labels: keys.map(fmt), counts };
}

export function DecisionChart({ items }: { items: readonly DecisionEntry[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { labels, counts } = bucketise(items);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: { labels, datasets: SERIES.map((s) => ({ label: s.decision, data: counts[s.decision] ?? [], backgroundColor: s.color })) },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: 'bottom' } },
      },
    });
    return () => chart.destroy();
  }, [labels.join('|'), JSON.stringify(counts)]);
  const totals = SERIES.map((s) => ({ decision: s.decision, n: (counts[s.decision] ?? []).reduce((a, b) => a + b, 0) }));
  return (
    <figure className="chart">
      <div className="chart-box">
        <canvas ref={canvas} role="img" aria-label={`Decisions over time: ${totals.map((t) => `${t.n} ${t.decision}`).join(', ')}`} />
      </div>
      <figcaption>
        {totals.map((t) => (
          <span key={t.decision} className="total">
            {t.decision}: <strong>{t.n}</strong>
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
