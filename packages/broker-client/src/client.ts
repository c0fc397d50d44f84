import type { HalResource } from './hal.js';
import { type CanIDeployQuery, type CanIDeployResult, canIDeploy } from './matrix.js';
import type { RecordedDeployment } from './resources/deployments.js';
import * as deployments from './resources/deployments.js';
import type { Environment, EnvironmentInput } from './resources/environments.js';
import * as environments from './resources/environments.js';
import type { Pacticipant } from './resources/pacticipants.js';
import * as pacticipants from './resources/pacticipants.js';
import type { Publication, PublishResult, VerifiablePact } from './resources/pacts.js';
import * as pacts from './resources/pacts.js';
import type { PacticipantVersion } from './resources/versions.js';
import * as versions from './resources/versions.js';
import { BrokerTransport } from './transport.js';
import type { PactsForVerificationRequest, VerificationResultBody } from './wire.js';

export { type BrokerClientOptions, failureReason, MAX_TIMEOUT_MS } from './transport.js';

/**
 * A typed client for the Pact Broker's HAL API: it starts at the index and follows relations,
 * as the official clients do, so it works with any compatible broker. The HTTP side is
 * {@link BrokerTransport}; each method is one call into a resource module (`resources/`).
 *
 * @example
 * const broker = new BrokerClient({ baseUrl: 'http://localhost:9292' });
 * const pacts = await broker.pactsForVerification('UserService', { consumerVersionSelectors: [{ mainBranch: true }] });
 */
export class BrokerClient extends BrokerTransport {
  /** Asks the broker which pacts a provider should verify (`pb:provider-pacts-for-verification`). */
  pactsForVerification(
    provider: string,
    body: PactsForVerificationRequest,
  ): Promise<{ pacts: VerifiablePact[] }> {
    return pacts.pactsForVerification(this, provider, body);
  }

  /**
   * Publishes pacts for one consumer version (`pb:publish-contracts`), with branch, tags and build
   * URL; `merge` merges them into pacts already published for that version (for parallel test
   * runs). A pact is its JSON, or its file text (published byte for byte).
   * Returns the broker's notices and the pacts' URLs.
   *
   * @example await broker.publishPacts({ consumer: 'Web', version: '1.2.0', branch: 'main', pacts: [pactJson] })
   */
  publishPacts(input: Publication): Promise<PublishResult> {
    return pacts.publishPacts(this, input);
  }

  /**
   * Refuses (COV_BROKER_CLIENT_BODY_TOO_LARGE) a publication larger than the body limit the broker
   * advertises, without sending it; `publishPacts` checks this itself. For a caller with several
   * publications to check all before sending any.
   *
   * @example for (const p of publications) await broker.checkPublicationSize(p);
   */
  checkPublicationSize(input: Publication): Promise<void> {
    return pacts.checkPublicationSize(this, input);
  }

  /**
   * Asks the broker whether the selected versions can be deployed (`/matrix`, as the official
   * CLI does). While the answer is unknown (verifications missing), asks again up to
   * `retryWhileUnknown` times, `retryIntervalMs` apart.
   *
   * @example
   * const answer = await broker.canIDeploy({ selectors: [{ pacticipant: 'Web', version: sha }], toEnvironment: 'production' });
   * if (answer.deployable !== true) process.exitCode = 1;
   */
  canIDeploy(
    query: CanIDeployQuery,
    retry: { retryWhileUnknown?: number; retryIntervalMs?: number; onRetry?: (attempt: number) => void } = {},
  ): Promise<CanIDeployResult> {
    return canIDeploy(this, query, retry);
  }

  /**
   * Every environment the broker knows.
   *
   * @example (await broker.environments()).map((e) => e.name) // ['production', 'test']
   */
  environments(): Promise<Environment[]> {
    return environments.environments(this);
  }

  /** The environment of this name, or a NOT_FOUND error naming the ones that exist. */
  environment(name: string): Promise<Environment & { resource: HalResource }> {
    return environments.environment(this, name);
  }

  /**
   * Creates an environment.
   *
   * @example const { uuid } = await broker.createEnvironment({ name: 'uat', displayName: 'UAT', production: false });
   */
  createEnvironment(input: EnvironmentInput): Promise<Environment> {
    return environments.createEnvironment(this, input);
  }

  /**
   * Changes an environment, found by its uuid; fields not given keep their values.
   *
   * @example await broker.updateEnvironment(uuid, { displayName: 'Staging (EU)' });
   */
  updateEnvironment(uuid: string, changes: Partial<EnvironmentInput>): Promise<Environment> {
    return environments.updateEnvironment(this, uuid, changes);
  }

  /**
   * A pacticipant version with its branches, tags and environments; the latest (of a tag) when
   * `version` is `{ latest: true }`.
   *
   * @example const v = await broker.describeVersion('Web', { latest: true, tag: 'prod' });
   */
  describeVersion(
    pacticipant: string,
    version: string | { latest: true; tag?: string },
  ): Promise<PacticipantVersion> {
    return versions.describeVersion(this, pacticipant, version);
  }

  /**
   * The numbers of a pacticipant's versions with a tag, newest first (every page).
   *
   * @example await broker.versionsWithTag('Web', 'prod') // ['1.4.0', '1.3.2']
   */
  versionsWithTag(pacticipant: string, tag: string): Promise<string[]> {
    return versions.versionsWithTag(this, pacticipant, tag);
  }

  /**
   * The numbers of a pacticipant's versions ever deployed or released to an environment, newest first.
   *
   * @example await broker.versionsInEnvironment('Web', 'production') // ['1.4.0', '1.3.2']
   */
  versionsInEnvironment(pacticipant: string, environment: string): Promise<string[]> {
    return versions.versionsInEnvironment(this, pacticipant, environment);
  }

  /**
   * Records that a version was deployed to an environment (the previous deployment of the same
   * application instance there is marked undeployed by the broker).
   *
   * @example await broker.recordDeployment({ pacticipant: 'Web', version: sha, environment: 'production' })
   */
  recordDeployment(input: {
    pacticipant: string;
    version: string;
    environment: string;
    applicationInstance?: string | undefined;
  }): Promise<RecordedDeployment> {
    return deployments.record(this, 'pb:record-deployment', input);
  }

  /**
   * Records that a version was released to an environment (several releases can be supported at once).
   *
   * @example await broker.recordRelease({ pacticipant: 'Mobile', version: '2.3.0', environment: 'production' })
   */
  recordRelease(input: {
    pacticipant: string;
    version: string;
    environment: string;
  }): Promise<RecordedDeployment> {
    return deployments.record(this, 'pb:record-release', input);
  }

  /**
   * Records that a pacticipant is no longer deployed to an environment: the deployment of the given
   * application instance, or (none named) the deployment without an instance, as the official CLI
   * does; returns the deployments ended.
   *
   * @example await broker.recordUndeployment({ pacticipant: 'Web', environment: 'test' })
   */
  recordUndeployment(input: {
    pacticipant: string;
    environment: string;
    applicationInstance?: string | undefined;
  }): Promise<RecordedDeployment[]> {
    return deployments.recordUndeployment(this, input);
  }

  /**
   * Records that a released version is no longer supported in an environment.
   *
   * @example await broker.recordSupportEnded({ pacticipant: 'Mobile', version: '2.1.0', environment: 'production' })
   */
  recordSupportEnded(input: {
    pacticipant: string;
    version: string;
    environment: string;
  }): Promise<RecordedDeployment[]> {
    return deployments.recordSupportEnded(this, input);
  }

  /**
   * Tags a pacticipant version. Unless `autoCreateVersion`, the version must exist.
   *
   * @example await broker.createVersionTags({ pacticipant: 'Web', version: sha, tags: ['prod'] })
   */
  createVersionTags(input: {
    pacticipant: string;
    version: string;
    tags: string[];
    autoCreateVersion?: boolean;
  }): Promise<void> {
    return versions.createVersionTags(this, input);
  }

  /**
   * Creates a pacticipant, or updates the fields given of an existing one.
   *
   * @example await broker.createOrUpdatePacticipant({ name: 'Web', mainBranch: 'main' })
   */
  createOrUpdatePacticipant(input: {
    name: string;
    displayName?: string | undefined;
    mainBranch?: string | undefined;
    repositoryUrl?: string | undefined;
  }): Promise<{ created: boolean; pacticipant: Pacticipant }> {
    return pacticipants.createOrUpdatePacticipant(this, input);
  }

  /**
   * Publishes a verification result for a pact fetched from this broker: records the provider
   * version's branch and tags first (through the pact's `pb:provider` resource, as the official
   * verifiers do), then posts to the pact's `pb:publish-verification-results`.
   */
  publishVerificationResult(
    pact: HalResource,
    result: VerificationResultBody,
    provider: { branch?: string; tags?: string[] },
  ): Promise<HalResource> {
    return pacts.publishVerificationResult(this, pact, result, provider);
  }
}
