/**
 * Closing-note bench: the latency a UDF call adds to a decision, cached and uncached, against
 * a trust service on loopback (node http server in this process). Not a test; bounded runs.
 *   npm run bench -w @safax/udf-client
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serviceDescriptorSchema } from '@safax/contracts';
import { compilePdp, parseRequestXml, type Pdp } from '@safax/xacml';
import { createOutboundPolicy, createUdfRegistry } from '../src/index';

const NS = 'urn:oasis:names:tc:xacml:3.0:core:schema:wd-17';
const XS = 'http://www.w3.org/2001/XMLSchema#';
const SUBJECT = 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject';
const SUBJECT_ID = 'urn:oasis:names:tc:xacml:1.0:subject:subject-id';

const condition = (udf: boolean): string =>
  udf
    ? `<Apply FunctionId="urn:bench:udf"><Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:string-one-and-only"><AttributeDesignator Category="${SUBJECT}" AttributeId="${SUBJECT_ID}" DataType="${XS}string" MustBePresent="true"/></Apply></Apply>`
    : `<Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:string-equal"><Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:string-one-and-only"><AttributeDesignator Category="${SUBJECT}" AttributeId="${SUBJECT_ID}" DataType="${XS}string" MustBePresent="true"/></Apply><AttributeValue DataType="${XS}string">u1</AttributeValue></Apply>`;
const policy = (udf: boolean): string =>
  `<Policy xmlns="${NS}" PolicyId="p" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides"><Target/><Rule RuleId="r" Effect="Permit"><Condition>${condition(udf)}</Condition></Rule></Policy>`;
const request = (user: string) =>
  parseRequestXml(`<Request xmlns="${NS}" ReturnPolicyIdList="false" CombinedDecision="false"><Attributes Category="${SUBJECT}"><Attribute AttributeId="${SUBJECT_ID}" IncludeInResult="false"><AttributeValue DataType="${XS}string">${user}</AttributeValue></Attribute></Attributes></Request>`);

async function measure(label: string, pdp: Pdp, n: number, user: (i: number) => string): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const req = request(user(i));
    const t = process.hrtime.bigint();
    const { response } = await pdp.evaluate(req);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (response.results[0]?.decision === 'Indeterminate') throw new Error(`${label}: ${response.results[0].status.message}`);
  }
  times.sort((a, b) => a - b);
  const q = (p: number): string => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(3);
  process.stdout.write(`${label.padEnd(28)} n=${n}  p50=${q(0.5)} ms  p99=${q(0.99)} ms\n`);
}

async function main(): Promise<void> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"result":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const registry = createUdfRegistry({ policy: createOutboundPolicy({ allow: ['127.0.0.1'] }) });
  registry.register(
    serviceDescriptorSchema.parse({
      id: 'bench',
      provider: { id: 'bench' },
      endpoint: `http://127.0.0.1:${port}/`,
      method: 'GET',
      type: 'udf',
      functionUrn: 'urn:bench:udf',
      requestFormat: 'query',
      responseFormat: 'json',
      requestParameters: [{ name: 'user', datatype: `${XS}string` }],
      responseParameters: [{ name: 'result', datatype: `${XS}boolean`, location: { kind: 'json-pointer', pointer: '/result' } }],
      cacheTtlSeconds: 3600,
    }),
  );
  const plain = compilePdp([{ text: policy(false) }]);
  const withUdf = compilePdp([{ text: policy(true) }], { functionProvider: registry });
  await measure('warm-up', withUdf, 200, (i) => `w${i}`);
  await measure('no UDF', plain, 2000, () => 'u1');
  await measure('UDF, uncached (HTTP call)', withUdf, 2000, (i) => `user-${i}`);
  await measure('UDF, cached', withUdf, 2000, (i) => `user-${i % 10}`);
  registry.close();
  server.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
