/**
 * The three services by name: how to build each app from a seed, and its descriptor.
 * One table so the CLI, the tests and the platform's scenario suites start them the same way.
 */
import type express from 'express';
import type { ServiceDescriptorInput } from '@safax/contracts';
import { validate, type TrustAppOptions } from './common/http-app';
import { createAlignmentApp, seedAlignmentStore } from './alignment/alignment-app';
import { alignmentDescriptor } from './alignment/alignment-descriptor';
import { AlignmentStore } from './alignment/alignment-store';
import { createCredentialApp, seedCredentialStore } from './credential/credential-app';
import { credentialDescriptor, type DescriptorIdentity } from './credential/credential-descriptor';
import { CredentialStore } from './credential/credential-store';
import { createReputationApp, reputationSeedSchema, seedReputationStore } from './reputation/reputation-app';
import { reputationDescriptor } from './reputation/reputation-descriptor';
import { ReputationStore } from './reputation/reputation-store';

export const SERVICE_NAMES = ['credential', 'reputation', 'alignment'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export type ServiceOptions = TrustAppOptions & DescriptorIdentity;

export interface TrustService {
  readonly name: ServiceName;
  readonly app: express.Express;
  descriptor(baseUrl: string): ServiceDescriptorInput;
}

/** Builds a service with an in-memory store, seeded from `seed` (the JSON of a seed file). */
export function createTrustService(name: ServiceName, seed: unknown = {}, options: ServiceOptions = {}): TrustService {
  switch (name) {
    case 'credential': {
      const store = new CredentialStore();
      seedCredentialStore(store, seed);
      return { name, app: createCredentialApp(store, options), descriptor: (base) => credentialDescriptor(base, options) };
    }
    case 'reputation': {
      const data = validate(reputationSeedSchema, seed);
      const store = new ReputationStore({ pretrusted: data.pretrusted });
      seedReputationStore(store, data);
      return { name, app: createReputationApp(store, options), descriptor: (base) => reputationDescriptor(base, options) };
    }
    case 'alignment': {
      const store = new AlignmentStore();
      seedAlignmentStore(store, seed);
      return { name, app: createAlignmentApp(store, options), descriptor: (base) => alignmentDescriptor(base, options) };
    }
  }
}
