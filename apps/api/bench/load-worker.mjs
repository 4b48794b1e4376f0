// The benchmark's load generator, in its own thread (its own event loop and core) so that
// building requests and reading answers does not eat the server's CPU time.
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

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
  const latencies = [];
  let next = 0;
  let permits = 0;
  const start = performance.now();
  const one = async () => {
    while (next < count) {
      const i = next++ % rules;
      const t0 = performance.now();
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/xacml+json', authorization: `Bearer ${key}` }, body: request(i) });
      const text = await res.text();
      latencies.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text}`);
      if (text.includes('"Permit"')) permits++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, one));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: count / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), permits };
}

drive(workerData).then(
  (r) => parentPort.postMessage({ ok: true, ...r }),
  (err) => parentPort.postMessage({ ok: false, error: String(err?.stack ?? err) }),
);
