import { BrokerClient, linkOf, type VerificationResultBody } from '@covenant/broker-client';
import { CovenantError } from '@covenant/core';
import { verifierError } from '../errors.js';
import type { PublishOptions } from '../options.js';
import type { PactResult } from '../result.js';
import type { PactToVerify } from '../sources.js';
import type { VerifierConfig } from './config.js';
import type { LoadedSources } from './load.js';

/**
 * Publishes (or explains why it does not publish) the result of one pact; it sets
 * `result.published` and adds a warning for a result it keeps back.
 */
export type ResultPublisher = (source: PactToVerify, result: PactResult) => Promise<void>;

/**
 * The publishing stage, for a run: results go to the broker the pacts came from. A pact fetched by
 * URL from a broker carries its own publish link, so with no broker configured its results go back
 * there, with the credentials the pact was fetched with.
 */
export function resultPublisher(config: VerifierConfig, loaded: LoadedSources): ResultPublisher {
  const settings = config.publish;
  if (!settings) return async () => {};
  const broker = loaded.broker ?? brokerOfPactUrls(config, loaded.pacts);
  const { given } = config.filters;
  return async (source, result) => {
    if (source.hal && given.length > 0) {
      // as the Pact reference verifier does: a partial run must not record a result for the whole pact
      result.interactions[0]?.warnings.push(
        `results for ${source.source} were not published: the filters (${given.join(', ')}) verified only part of the pact`,
      );
    } else if (source.hal && broker) {
      await publish(broker, source, result, settings);
      result.published = true;
    } else if (!source.hal) {
      result.interactions[0]?.warnings.push(
        `results for ${source.source} were not published: only pacts fetched from a broker can be`,
      );
    }
  };
}

function brokerOfPactUrls(config: VerifierConfig, pacts: readonly PactToVerify[]): BrokerClient | undefined {
  const byUrl = pacts.find((source) => source.hal && linkOf(source.hal, 'pb:publish-verification-results'));
  const link = byUrl?.hal && linkOf(byUrl.hal, 'pb:publish-verification-results');
  if (!byUrl || !link) return undefined;
  return new BrokerClient({
    baseUrl: new URL(link.href).origin,
    timeoutMs: config.timeoutMs,
    ...(byUrl.auth ?? config.sources.envAuth),
    // the results go where the pact came from, with the certificate it was fetched with
    ...(Object.keys(config.sources.pactUrlTls).length > 0 ? { tls: config.sources.pactUrlTls } : {}),
    env: {},
  });
}

/** A pact's result in the body the broker takes. */
export function verificationResultBody(result: PactResult, settings: PublishOptions): VerificationResultBody {
  return {
    // the real outcome: a pending pact's failure doesn't fail the build, but the broker must know it failed
    success: result.interactions.every((i) => i.status === 'passed' || i.status === 'skipped'),
    providerApplicationVersion: settings.providerVersion,
    ...(settings.buildUrl ? { buildUrl: settings.buildUrl } : {}),
    testResults: result.interactions.map((i) => ({
      ...(i.id ? { interactionId: i.id } : {}),
      interactionDescription: i.description,
      success: i.status === 'passed',
      ...(i.mismatches.length > 0
        ? {
            mismatches: i.mismatches.map((m) => ({
              attribute: m.category,
              identifier: m.path,
              description: m.message,
            })),
          }
        : {}),
    })),
    verifiedBy: { implementation: 'Covenant', version: '0.1.0' },
  };
}

async function publish(
  broker: BrokerClient,
  source: PactToVerify,
  result: PactResult,
  settings: PublishOptions,
): Promise<void> {
  try {
    await broker.publishVerificationResult(source.hal!, verificationResultBody(result, settings), {
      ...(settings.providerBranch ? { branch: settings.providerBranch } : {}),
      ...(settings.providerTags ? { tags: settings.providerTags } : {}),
    });
  } catch (error) {
    if (error instanceof CovenantError && error.code.startsWith('COV_BROKER_CLIENT_')) {
      throw verifierError(
        'COV_VERIFIER_PUBLISH_FAILED',
        `publishing the result for ${source.source} failed: ${error.message}`,
        {},
        error,
      );
    }
    throw error;
  }
}
