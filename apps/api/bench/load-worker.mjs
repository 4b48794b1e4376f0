// The benchmark's load generator (autocannon), in its own process (its own core) so that
// building requests and reading answers does not eat the server's CPU time. A child process
// rather than a worker thread: autocannon takes any non-main thread for one of its own workers.
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

const SUB = 'urn:oasis:names:tc:xacml:1.0:subject:subject-id';
const ACT = 'urn:oasis:names:tc:xacml:1.0:action:action-id';
const RES = 'urn:oasis:names:tc:xacml:1.0:resource:resource-id';

const request = (i) =>
  JSON.stringify({
    Request: {
      AccessSubject: { Attribute: [{ AttributeId: SUB, Value: `user-${i}` }] },
      Action: { Attribute: [{ AttributeId: ACT, Value: 'read' }] },
      Resource: { Attribute: [{ AttributeId: RES, Value: `res-${i}` }] },
    },
  });

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function drive({ url, key, rules, count, concurrency }) {
  let next = 0;
  let permits = 0;
  let failures = 0;
  let first = 0;
  let last = 0;
  const latencies = [];
  const options = {
    url,
    connections: concurrency,
    amount: count,
    method: 'POST',
    headers: { 'content-type': 'application/xacml+json', authorization: `Bearer ${key}` },
    requests: [
      {
        setupRequest: (req) => {
          if (next === 0) first = performance.now();
          return { ...req, body: request(next++ % rules) };
        },
        onResponse: (status, body) => {
          last = performance.now();
          if (status !== 200) failures++;
          else if (body.includes('"Permit"')) permits++;
        },
      },
    ],
  };
  // autocannon's own summary has whole-millisecond latencies and ends on its 1 s ticks: time
  // the run from the first request to the last answer, and keep each response time.
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
