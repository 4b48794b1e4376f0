// The peer benchmark's HTTP load generator (autocannon) in its own process, so building
// requests and reading answers does not take the servers' CPU time in the bench process.
// Sends `count` POSTs over `connections` connections, bodies in turn; counts the answers
// that contain `permitMarker`.
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function drive({ url, headers, bodies, count, connections, permitMarker }) {
  let next = 0;
  let permits = 0;
  let failures = 0;
  let first = 0;
  let last = 0;
  const latencies = [];
  const options = {
    url,
    connections,
    amount: count,
    method: 'POST',
    headers,
    requests: [
      {
        setupRequest: (req) => {
          if (next === 0) first = performance.now();
          return { ...req, body: bodies[next++ % bodies.length] };
        },
        onResponse: (status, body) => {
          last = performance.now();
          if (status !== 200) failures++;
          else if (body.includes(permitMarker)) permits++;
        },
      },
    ],
  };
  const result = await new Promise((resolve, reject) => {
    const instance = autocannon(options, (err, r) => (err ? reject(err) : resolve(r)));
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  if (failures > 0 || result.errors > 0 || result.timeouts > 0) throw new Error(`${failures} non-200 answers, ${result.errors} errors, ${result.timeouts} timeouts`);
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / ((last - first) / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), permits };
}

process.once('message', (params) => {
  drive(params).then(
    (r) => process.send({ ok: true, ...r }, () => process.exit(0)),
    (err) => process.send({ ok: false, error: String(err?.stack ?? err) }, () => process.exit(0)),
  );
});
