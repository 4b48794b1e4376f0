/**
 * Each service, running on loopback, called by the udf-client configured ONLY from the
 * service's own descriptor (validated by the Service Repository schema): the typed answer
 * comes back. Seeds are the shipped data/*.seed.json files.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { serviceDescriptorSchema } from '@safax/contracts';
import { createOutboundPolicy, createUdfClient, type UdfClient } from '@safax/udf-client';
import { parseValue, type AttributeValue, type Bag } from '@safax/xacml';
import { startTrustService, type RunningService } from '../src/start';
import type { ServiceName } from '../src/services';

const XS = 'http://www.w3.org/2001/XMLSchema#';
const str = (s: string): AttributeValue => parseValue(`${XS}string`, s);
const seed = (name: string): unknown => JSON.parse(readFileSync(path.join(__dirname, '..', 'data', `${name}.seed.json`), 'utf8'));
const policy = createOutboundPolicy({ allow: ['127.0.0.1'] });

const running: RunningService[] = [];
const clients: UdfClient[] = [];
async function clientFor(name: ServiceName): Promise<{ service: RunningService; client: UdfClient }> {
  const service = await startTrustService(name, { seed: seed(name) });
  running.push(service);
  const descriptor = serviceDescriptorSchema.parse(service.descriptor);
  const client = createUdfClient(descriptor, { policy });
  clients.push(client);
  return { service, client };
}
afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all(running.map((s) => s.close()));
});

describe('udf-client ⇄ trust services, configured from their descriptors', () => {
  it('credential: has:credential → boolean, through delegation', async () => {
    const { client } = await clientFor('credential');
    const yes = (await client.call([str('charlie'), str('neurologist'), str('mayo-clinic')])) as AttributeValue;
    expect(yes.datatype.id).toBe(`${XS}boolean`);
    expect(yes.value).toBe(true);
    expect(((await client.call([str('dana'), str('neurologist'), str('mayo-clinic')])) as AttributeValue).value).toBe(true);
    expect(((await client.call([str('dana'), str('neurologist'), str('safax-health-network')])) as AttributeValue).value).toBe(true);
    expect(((await client.call([str('bob'), str('neurologist'), str('mayo-clinic')])) as AttributeValue).value).toBe(false);
  });

  it('reputation: reputation(user) → double in [0,1]', async () => {
    const { client } = await clientFor('reputation');
    const bob = (await client.call([str('bob')])) as AttributeValue;
    expect(bob.datatype.id).toBe(`${XS}double`);
    expect(bob.value as number).toBeGreaterThan(0.7);
    expect(bob.value as number).toBeLessThanOrEqual(1);
    const mallory = (await client.call([str('mallory')])) as AttributeValue;
    // The sybils' perfect scores carry no weight: only bob's 0.1 counts.
    expect(mallory.value as number).toBeCloseTo(0.1, 6);
    expect(((await client.call([str('nobody')])) as AttributeValue).value).toBe(0);
  });

  it('alignment: aligned(term, vocabulary) → bag of string, over XML', async () => {
    const { client } = await clientFor('alignment');
    const bag = (await client.call([str('neurologist'), str('DCI')])) as Bag;
    expect(bag.kind).toBe('bag');
    expect(bag.datatype).toBe(`${XS}string`);
    expect(bag.values.map((v) => v.value)).toEqual(['medical-staff', 'neurologist', 'physician']);
    expect(((await client.call([str('extension'), str('DCI')])) as Bag).values.map((v) => v.value)).toEqual(['file-ext']);
    expect(((await client.call([str('unknown'), str('DCI')])) as Bag).values).toEqual([]);
  });

  it('a stopped service gives a typed failure naming it', async () => {
    const { service, client } = await clientFor('credential');
    await service.close();
    await expect(client.call([str('charlie'), str('neurologist'), str('mayo-clinic')])).rejects.toMatchObject({
      reason: 'network',
      message: expect.stringMatching(/^trust service credential-service: network: /),
    });
  });
});
