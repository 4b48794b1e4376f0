/**
 * The real platform (apps/api) on a fresh SQLite or PostgreSQL database, listening on an
 * ephemeral loopback port so the SDK speaks real HTTP to it. A domain owner with a domain and
 * the SDK test policy, and a domains controller authorised on it with its own API key.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DatabaseProvider } from '../../../../apps/api/src/db/database-url';
import { createUser, startTestPlatform } from '../../../../apps/api/test/support/test-platform';
import type { TestPlatform } from '../../../../apps/api/test/support/test-platform';
import { sdkTestPolicy } from './policies';

export interface LivePlatform {
  readonly t: TestPlatform;
  readonly baseUrl: string;
  readonly pdpUrl: string;
  readonly domainId: string;
  readonly ownerKey: string;
  readonly controllerKey: string;
  /** Uploads a policy version through the API (it becomes active). */
  deploy(xml: string): Promise<void>;
  close(): Promise<void>;
}

export async function startLivePlatform(provider: DatabaseProvider): Promise<LivePlatform> {
  const t = await startTestPlatform(provider);
  const server = http.createServer(t.platform.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const owner = await createUser(t, 'pep-owner', ['domain-owner']);
  const project = await t.as(owner.key).post('/api/v1/projects').send({ name: 'pep-project' }).expect(201);
  const domain = await t.as(owner.key).post(`/api/v1/projects/${project.body.id}/domains`).send({ name: 'pep-domain' }).expect(201);
  const controller = await createUser(t, 'pep-controller', ['domains-controller']);
  await t.as(owner.key).put(`/api/v1/domains/${domain.body.id}/controllers/pep-controller`).expect(200);
  const deploy = async (xml: string): Promise<void> => {
    await t.as(owner.key).post(`/api/v1/domains/${domain.body.id}/policies`).set('Content-Type', 'application/xml').send(xml).expect(201);
  };
  await deploy(sdkTestPolicy());
  return {
    t,
    baseUrl,
    pdpUrl: `${baseUrl}/pdp/${domain.body.pdpId as string}`,
    domainId: domain.body.id as string,
    ownerKey: owner.key,
    controllerKey: controller.key,
    deploy,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}
