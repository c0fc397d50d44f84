import {
  CovenantError,
  type Interaction,
  type JsonValue,
  type Mismatch,
  type ProviderState,
} from '@covenant/core';
import { type VerifierErrorCode, verifierError } from '../errors.js';
import { verifyHttpInteraction } from '../http-interaction.js';
import { isMessageInteraction, verifyMessage } from '../messages.js';
import type { InteractionResult, PactResult } from '../result.js';
import type { PactToVerify } from '../sources.js';
import { StateChangeError } from '../states.js';
import type { VerificationContext } from './context.js';
import { isSelected } from './select.js';

/**
 * The running stage for one pact: verifies each selected interaction, reports as it goes, and
 * publishes the pact's result.
 */
export async function verifyPact(context: VerificationContext, source: PactToVerify): Promise<PactResult> {
  const result: PactResult = {
    consumer: source.pact.consumer.name,
    provider: source.pact.provider.name,
    source: source.source,
    pending: source.pending,
    wip: source.wip,
    notices: source.notices,
    interactions: [],
    success: true,
    published: false,
  };
  for (const reporter of context.reporters) reporter.pactStarted?.(result);
  context.log.log(
    'info',
    `pact ${result.consumer} → ${result.provider} from ${result.source}${result.pending ? ' (pending)' : ''}${result.wip ? ' (WIP)' : ''}`,
  );
  for (const interaction of source.pact.interactions) {
    if (!isSelected(interaction, context.config.filters)) continue;
    const outcome = await verifyInteraction(context, interaction, source.pending);
    result.interactions.push(outcome);
    context.log.log(
      outcome.status === 'failed' ? 'warn' : 'info',
      `${outcome.status} '${outcome.description}'${outcome.error ? `: ${outcome.error}` : outcome.mismatches.length ? `: ${outcome.mismatches.length} mismatches` : ''}`,
    );
    for (const reporter of context.reporters) reporter.interactionFinished?.(result, outcome);
  }
  result.success = result.interactions.every((i) => i.status !== 'failed');
  await context.publish(source, result);
  for (const reporter of context.reporters) reporter.pactFinished?.(result);
  return result;
}

/**
 * One interaction, HTTP or message alike: beforeEach, its provider states set up, the exchange
 * checked, the states torn down, afterEach; a failure is recorded in the result, never thrown.
 */
export async function verifyInteraction(
  context: VerificationContext,
  interaction: Interaction,
  pactPending: boolean,
): Promise<InteractionResult> {
  const started = performance.now();
  const result = emptyResult(interaction, pactPending);
  const fail = () => {
    result.status = result.pending ? 'pending-failed' : 'failed';
  };
  const hookFailed = (error: CovenantError) => {
    fail();
    context.log.log('warn', error.message);
    // the interaction's own failure comes first; a hook's is added to it
    result.error = result.error === undefined ? error.message : `${result.error}; ${error.message}`;
    result.errorCode ??= error.code as VerifierErrorCode;
  };
  const before = await runHook(context.hooks.beforeEach, 'beforeEach', interaction);
  if (before) hookFailed(before);
  else await exchangeWithStates(context, interaction, result, fail);
  // after a failed beforeEach too, so that each beforeEach has its afterEach (pact-js#1864)
  const after = await runHook(context.hooks.afterEach, 'afterEach', interaction);
  if (after) hookFailed(after);
  result.durationMs = performance.now() - started;
  return result;
}

/** Runs a hook; what it throws comes back as a coded error naming the hook and the interaction. */
async function runHook(
  hook: (() => unknown) | undefined,
  name: 'beforeEach' | 'afterEach',
  interaction: Interaction,
): Promise<CovenantError | undefined> {
  if (!hook) return undefined;
  try {
    await hook();
    return undefined;
  } catch (error) {
    return verifierError(
      'COV_VERIFIER_HOOK_FAILED',
      `${name} threw for '${interaction.description}': ${error instanceof Error ? error.message : String(error)}`,
      { hook: name, interaction: interaction.description },
      error,
    );
  }
}

async function exchangeWithStates(
  context: VerificationContext,
  interaction: Interaction,
  result: InteractionResult,
  fail: () => void,
): Promise<void> {
  const setUp: ProviderState[] = [];
  try {
    const outcome = await context.states.setup(interaction.providerStates, setUp);
    result.warnings.push(...outcome.warnings);
    result.mismatches = await exchange(context, interaction, outcome.values);
    if (result.mismatches.length > 0) fail();
  } catch (error) {
    fail();
    if (error instanceof StateChangeError) result.error = `State change request failed: ${error.message}`;
    else if (error instanceof CovenantError && error.code.startsWith('COV_VERIFIER_')) {
      result.error = error.message;
      result.errorCode = error.code as VerifierErrorCode;
    } else
      result.error = `Request to the provider failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    // Exactly the states that were set up are torn down, also when a later one failed; a state whose
    // setup failed is not (as the official verifiers do).
    if (setUp.length > 0) result.warnings.push(...(await context.states.teardown(setUp)));
  }
}

/** The one step that differs by protocol: a message is produced and matched, a request replayed. */
function exchange(
  context: VerificationContext,
  interaction: Interaction,
  stateValues: Record<string, JsonValue>,
): Promise<Mismatch[]> {
  if (isMessageInteraction(interaction)) return verifyMessage(interaction, stateValues, context.messages);
  return verifyHttpInteraction(interaction, stateValues, {
    // the selection stage refused HTTP interactions without a base URL
    baseUrl: context.config.providerBaseUrl!,
    transport: context.transport,
  });
}

function emptyResult(interaction: Interaction, pactPending: boolean): InteractionResult {
  const comments = interaction.comments;
  const id = interaction.extra?._id;
  return {
    description: interaction.description,
    providerStates: interaction.providerStates.map((s) => s.name),
    id: typeof id === 'string' ? id : interaction.key,
    status: 'passed',
    pending: pactPending || interaction.pending,
    mismatches: [],
    error: undefined,
    warnings: [],
    comments: Array.isArray(comments?.text) ? comments.text.map(String) : [],
    testName: typeof comments?.testname === 'string' ? comments.testname : undefined,
    durationMs: 0,
  };
}
