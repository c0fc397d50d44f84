// Provider states for the official client's contracts: each creates the data its name describes,
// through the broker's HTTP API only, in a broker that is fresh for every interaction (so states
// like "'Condor' does not exist" need nothing).

import type { StateHandler } from '@covenant/verifier';
import { type BrokerHttp, dig } from './broker-http.js';

/** The uuids the contracts name for records the states create. */
export const CONTRACT_UUIDS = {
  /** The 'test' environment the deployment and release interactions record against. */
  testEnvironmentForDeployment: 'cb632df3-0a0d-4227-aac3-60114dd36479',
  /** The 'test' environment the environment and currently-deployed interactions read. */
  testEnvironment: '16926ef3-590f-4e3f-838e-719717aa88c9',
  deployedVersion: 'ff3adecf-cfc5-4653-a4e3-f1861092f8e0',
  webhook: '696c5f93-1b7f-44bc-8d03-59440fcaa9a0',
} as const;

const PRICING_SERVICE_REPOSITORY = 'git@git.realestate.com.au:business-systems/pricing-service';
const FOO_VERSION = '5556b8149bf8bac76bc30f50a8a2dd4c22c85f30';

export interface AliasedRecord {
  /** The uuid our broker gave the record. */
  uuid: string;
  /** The record's own link, as our broker wrote it. */
  href: string;
}

/**
 * The contracts' fixed uuids and the records our broker created for them. The HTTP API lets a
 * client choose a webhook's uuid (`PUT /webhooks/{uuid}`) but not an environment's or a
 * deployment's (`POST /environments` and `POST …/deployed-versions/environment/{uuid}` make their
 * own), so the request filter rewrites these uuids to ours.
 */
export class UuidAliases {
  private readonly records = new Map<string, AliasedRecord>();

  set(contractUuid: string, record: AliasedRecord): void {
    this.records.set(contractUuid, record);
  }

  get(contractUuid: string): AliasedRecord | undefined {
    return this.records.get(contractUuid);
  }

  /** Replaces every contract uuid in a path by ours. */
  rewrite(path: string): string {
    let out = path;
    for (const [contractUuid, record] of this.records) out = out.split(contractUuid).join(record.uuid);
    return out;
  }
}

const enc = encodeURIComponent;

/** A pact's content: Condor's pacts have no interactions (the contracts expect `[]`). */
function pactContent(consumer: string, provider: string, marker?: string) {
  return {
    consumer: { name: consumer },
    provider: { name: provider },
    // a marker interaction makes each consumer version's pact distinct content, so a verification
    // belongs to that version's pact alone
    interactions: marker
      ? [{ description: marker, request: { method: 'GET', path: '/' }, response: { status: 200 } }]
      : [],
    metadata: { pactSpecification: { version: '2.0.0' } },
  };
}

/** Creates broker data through the HTTP API, remembering what the request filter needs. */
export class BrokerData {
  readonly aliases = new UuidAliases();
  private readonly environments = new Map<string, string>();

  constructor(readonly http: BrokerHttp) {}

  async pacticipant(name: string, fields: { repositoryUrl?: string } = {}): Promise<void> {
    await this.http.call('PATCH', `/pacticipants/${enc(name)}`, fields);
  }

  async version(pacticipant: string, number: string): Promise<void> {
    await this.http.call('PUT', `/pacticipants/${enc(pacticipant)}/versions/${enc(number)}`, {});
  }

  async tag(pacticipant: string, version: string, tag: string): Promise<void> {
    await this.http.call(
      'PUT',
      `/pacticipants/${enc(pacticipant)}/versions/${enc(version)}/tags/${enc(tag)}`,
      {},
    );
  }

  async branch(pacticipant: string, branch: string, version: string): Promise<void> {
    await this.http.call(
      'PUT',
      `/pacticipants/${enc(pacticipant)}/branches/${enc(branch)}/versions/${enc(version)}`,
      {},
    );
  }

  /** Publishes a pact and returns its resource (for its verification link). */
  async pact(consumer: string, version: string, provider: string, marker?: string): Promise<unknown> {
    return this.http.call(
      'PUT',
      `/pacts/provider/${enc(provider)}/consumer/${enc(consumer)}/version/${enc(version)}`,
      pactContent(consumer, provider, marker),
    );
  }

  /** Publishes a verification result through the pact's `pb:publish-verification-results` link. */
  async verify(pact: unknown, providerVersion: string, success: boolean): Promise<void> {
    const href = dig(pact, '_links', 'pb:publish-verification-results', 'href');
    if (typeof href !== 'string') throw new Error('the pact has no pb:publish-verification-results link');
    await this.http.call('POST', href, { success, providerApplicationVersion: providerVersion });
  }

  async environment(
    name: string,
    options: { displayName?: string; production?: boolean; contacts?: unknown[]; contractUuid?: string } = {},
  ): Promise<void> {
    const created = await this.http.call('POST', '/environments', {
      name,
      displayName: options.displayName ?? name[0]!.toUpperCase() + name.slice(1),
      production: options.production ?? false,
      ...(options.contacts ? { contacts: options.contacts } : {}),
    });
    const uuid = dig(created, 'uuid');
    const href = dig(created, '_links', 'self', 'href');
    if (typeof uuid !== 'string' || typeof href !== 'string')
      throw new Error(`POST /environments gave no uuid and self link: ${JSON.stringify(created)}`);
    this.environments.set(name, uuid);
    if (options.contractUuid) this.aliases.set(options.contractUuid, { uuid, href });
  }

  /** Records a deployment of a version to an environment created earlier. */
  async deploy(
    pacticipant: string,
    version: string,
    environment: string,
    options: { applicationInstance?: string; contractUuid?: string } = {},
  ): Promise<void> {
    const environmentUuid = this.environments.get(environment);
    if (!environmentUuid) throw new Error(`create the environment '${environment}' first`);
    const deployed = await this.http.call(
      'POST',
      `/pacticipants/${enc(pacticipant)}/versions/${enc(version)}/deployed-versions/environment/${environmentUuid}`,
      options.applicationInstance ? { applicationInstance: options.applicationInstance } : {},
    );
    const uuid = dig(deployed, 'uuid');
    const href = dig(deployed, '_links', 'self', 'href');
    if (typeof uuid !== 'string' || typeof href !== 'string')
      throw new Error(`recording the deployment gave no uuid and self link: ${JSON.stringify(deployed)}`);
    if (options.contractUuid) this.aliases.set(options.contractUuid, { uuid, href });
  }

  async webhook(uuid: string, body: unknown): Promise<void> {
    await this.http.call('PUT', `/webhooks/${enc(uuid)}`, body);
  }
}

type Setup = (data: BrokerData) => Promise<void>;

/** Nothing to do: a fresh broker has the index relations and none of the named data. */
const nothing: Setup = async () => {};

interface PactSpec {
  consumerVersion: string;
  consumerTags?: string[];
  verifiedBy?: { version: string; success?: boolean; tags?: string[] }[];
}

/** Publishes a pact per consumer version (distinct content), each verified as listed. */
const verifiedPacts =
  (consumer: string, provider: string, specs: PactSpec[]): Setup =>
  async (data) => {
    for (const spec of specs) {
      for (const tag of spec.consumerTags ?? []) await data.tag(consumer, spec.consumerVersion, tag);
      const pact = await data.pact(
        consumer,
        spec.consumerVersion,
        provider,
        `${consumer} ${spec.consumerVersion} to ${provider}`,
      );
      for (const verification of spec.verifiedBy ?? []) {
        await data.verify(pact, verification.version, verification.success ?? true);
        for (const tag of verification.tags ?? []) await data.tag(provider, verification.version, tag);
      }
    }
  };

/** Condor 1.3.0's pact with the Pricing Service (no interactions), Condor's version tagged first. */
const condorPact =
  (tags: string[] = []): Setup =>
  async (data) => {
    for (const tag of tags) await data.tag('Condor', '1.3.0', tag);
    await data.pact('Condor', '1.3.0', 'Pricing Service');
  };

const fooVersionWithEnvironments =
  (environments: { name: string; production?: boolean; contractUuid?: string }[]): Setup =>
  async (data) => {
    await data.version('Foo', FOO_VERSION);
    for (const { name, ...options } of environments) await data.environment(name, options);
  };

const webhookBody = {
  description: 'a webhook',
  events: [{ name: 'contract_content_changed' }],
  request: { method: 'POST', url: 'https://webhook', headers: { Foo: 'bar' }, body: { some: 'body' } },
  consumer: { name: 'Condor' },
  provider: { name: 'Pricing Service' },
};

/** Every provider state the two contracts name, and the data it creates. */
export const STATES: Record<string, Setup> = {
  // --- the index: its relations are always there
  'the pb:pacticipant-branch relation exists in the index resource': nothing,
  'the pb:latest-version relation exists in the index resource': nothing,
  'the pb:latest-tagged-version relation exists in the index resource': nothing,
  'the pacticipant relations are present': nothing,
  'the pb:publish-contracts relations exists in the index resource': nothing,
  'the pb:pacticipant-version and pb:environments relations exist in the index resource': nothing,
  'the pb:environments relation exists in the index resource': nothing,

  // --- pacticipants, versions, tags, branches
  "the 'Pricing Service' does not exist in the pact-broker": nothing,
  "'Condor' does not exist in the pact-broker": nothing,
  "the 'Pricing Service' already exists in the pact-broker": async (data) => {
    await data.pacticipant('Pricing Service', { repositoryUrl: PRICING_SERVICE_REPOSITORY });
    await data.version('Pricing Service', '1.3.0');
  },
  "the 'Pricing Service' and 'Condor' already exist in the pact-broker": async (data) => {
    await data.pacticipant('Condor');
    await data.pacticipant('Pricing Service');
  },
  "'Condor' exists in the pact-broker": (data) => data.version('Condor', '1.3.0'),
  "'Condor' exists in the pact-broker with version 1.3.0, tagged with 'prod'": (data) =>
    data.tag('Condor', '1.3.0', 'prod'),
  "'Condor' exists in the pact-broker with the latest version 1.2.3": async (data) => {
    await data.version('Condor', '1.0.0');
    await data.version('Condor', '1.2.3');
  },
  "'Condor' exists in the pact-broker with the latest tagged 'production' version 1.2.3": async (data) => {
    await data.tag('Condor', '1.2.3', 'production');
    await data.version('Condor', '2.0.0');
  },
  'a pacticipant with name Foo exists': (data) => data.pacticipant('Foo'),
  'a branch named main exists for pacticipant Foo': (data) => data.branch('Foo', 'main', '1'),

  // --- pacts
  'no pact between Condor and the Pricing Service exists': nothing,
  'a pact between Condor and the Pricing Service exists': condorPact(),
  'a latest pact between Condor and the Pricing Service exists': condorPact(),
  "the 'Pricing Service' and 'Condor' already exist in the pact-broker, and Condor already has a pact published for version 1.3.0":
    condorPact(),
  'tagged as prod pact between Condor and the Pricing Service exists': condorPact(['prod']),
  'a pact between Condor and the Pricing Service exists for the production version of Condor': condorPact([
    'prod',
  ]),

  // --- verifications, for the matrix
  'the pact for Foo version 1.2.3 has been verified by Bar version 4.5.6': verifiedPacts('Foo', 'Bar', [
    { consumerVersion: '1.2.3', verifiedBy: [{ version: '4.5.6' }] },
  ]),
  'the pact for Foo Thing version 1.2.3 has been verified by Bar version 4.5.6': verifiedPacts(
    'Foo Thing',
    'Bar',
    [{ consumerVersion: '1.2.3', verifiedBy: [{ version: '4.5.6' }] }],
  ),
  'the pact for Foo version 1.2.3 has been verified by Bar version 4.5.6 and version 5.6.7': verifiedPacts(
    'Foo',
    'Bar',
    [{ consumerVersion: '1.2.3', verifiedBy: [{ version: '4.5.6' }, { version: '5.6.7' }] }],
  ),
  'the pact for Foo version 1.2.3 and 1.2.4 has been verified by Bar version 4.5.6': verifiedPacts(
    'Foo',
    'Bar',
    [
      { consumerVersion: '1.2.3', verifiedBy: [{ version: '4.5.6' }] },
      { consumerVersion: '1.2.4', verifiedBy: [{ version: '4.5.6' }] },
    ],
  ),
  'the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6, and 1.2.4 unsuccessfully by 9.9.9':
    verifiedPacts('Foo', 'Bar', [
      { consumerVersion: '1.2.3', verifiedBy: [{ version: '4.5.6' }] },
      { consumerVersion: '1.2.4', verifiedBy: [{ version: '9.9.9', success: false }] },
    ]),
  'the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6 with tag prod, and 1.2.4 unsuccessfully by 9.9.9':
    verifiedPacts('Foo', 'Bar', [
      { consumerVersion: '1.2.3', verifiedBy: [{ version: '4.5.6', tags: ['prod'] }] },
      { consumerVersion: '1.2.4', verifiedBy: [{ version: '9.9.9', success: false }] },
    ]),
  'the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6 (tagged prod) and version 5.6.7':
    verifiedPacts('Foo', 'Bar', [
      { consumerVersion: '1.2.3', verifiedBy: [{ version: '4.5.6', tags: ['prod'] }, { version: '5.6.7' }] },
    ]),
  'provider Bar version 4.5.6 has a successful verification for Foo version 1.2.3 tagged prod and a failed verification for version 3.4.5 tagged prod':
    verifiedPacts('Foo', 'Bar', [
      { consumerVersion: '1.2.3', consumerTags: ['prod'], verifiedBy: [{ version: '4.5.6' }] },
      {
        consumerVersion: '3.4.5',
        consumerTags: ['prod'],
        verifiedBy: [{ version: '4.5.6', success: false }],
      },
    ]),

  // --- environments and deployments
  'an environment exists': (data) =>
    data.environment('test', {
      displayName: 'Test',
      contacts: [{ name: 'Foo team', details: { emailAddress: 'foo@bar.com' } }],
    }),
  'an environment with name test exists': (data) => data.environment('test'),
  'an environment with name test and UUID 16926ef3-590f-4e3f-838e-719717aa88c9 exists': (data) =>
    data.environment('test', { contractUuid: CONTRACT_UUIDS.testEnvironment }),
  'version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo exists with a test environment available for deployment':
    fooVersionWithEnvironments([{ name: 'test', contractUuid: CONTRACT_UUIDS.testEnvironmentForDeployment }]),
  'version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo exists with a test environment available for release':
    fooVersionWithEnvironments([{ name: 'test', contractUuid: CONTRACT_UUIDS.testEnvironment }]),
  "version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo exists with 2 environments that aren't test available for deployment":
    fooVersionWithEnvironments([{ name: 'prod', production: true }, { name: 'dev' }]),
  'an version is deployed to environment with UUID 16926ef3-590f-4e3f-838e-719717aa88c9 with target customer-1':
    async (data) => {
      await fooVersionWithEnvironments([{ name: 'test', contractUuid: CONTRACT_UUIDS.testEnvironment }])(
        data,
      );
      await data.deploy('Foo', FOO_VERSION, 'test', {
        applicationInstance: 'customer-1',
        contractUuid: CONTRACT_UUIDS.deployedVersion,
      });
    },
  'a currently deployed version exists': async (data) => {
    await fooVersionWithEnvironments([
      { name: 'test', contractUuid: CONTRACT_UUIDS.testEnvironmentForDeployment },
    ])(data);
    await data.deploy('Foo', FOO_VERSION, 'test', { contractUuid: CONTRACT_UUIDS.deployedVersion });
  },

  // --- webhooks
  'a webhook with the uuid 696c5f93-1b7f-44bc-8d03-59440fcaa9a0 exists': async (data) => {
    await data.pacticipant('Condor');
    await data.pacticipant('Pricing Service');
    await data.webhook(CONTRACT_UUIDS.webhook, webhookBody);
  },
};

/** The verifier's state handlers, creating their data in this broker. */
export function stateHandlers(data: BrokerData): Record<string, StateHandler> {
  return Object.fromEntries(
    Object.entries(STATES).map(([name, setup]) => [name, (): Promise<void> => setup(data)]),
  );
}
