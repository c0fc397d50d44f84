// Verifies Covenant's broker against the official Pact Broker client's own contracts with the
// reference broker (`../shared/conformance/pact-broker-client`), using Covenant's verifier on the
// pact files. Every interaction runs against a fresh broker (its own SQLite file), so each starts
// from nothing and its provider states create exactly the data they name, through the HTTP API.
// One test per interaction: the report shows which pass, and each failure lists its mismatches.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker } from '@covenant/broker';
import { type InteractionResult, verifyProvider } from '@covenant/verifier';
import { afterAll, describe, expect, it } from 'vitest';
import { BrokerHttp } from './broker-http.js';
import {
  AREAS,
  type Area,
  areaOf,
  CONTRACT_FILES,
  CONTRACTS_DIR,
  type ContractInteraction,
  contractPath,
  readContract,
  testName,
} from './contracts.js';
import { clientQueryOrder, contractRequestFilter, placeholderFor, type Rewrite } from './placeholders.js';
import { BrokerData, STATES, stateHandlers } from './states.js';

/** The base URL the reference broker's own verification uses: the contracts' literal hrefs name it. */
const BASE_URL = 'http://example.org';

const available = existsSync(CONTRACTS_DIR);
const onCi = process.env.CI === 'true';
if (!available && !onCi) {
  console.warn(
    `Skipping the broker contract tests: the official client's contracts are not at ${CONTRACTS_DIR}.`,
  );
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exactly = (text: string) => new RegExp(`^${escapeRegex(text)}$`);

interface Outcome {
  interaction: ContractInteraction;
  result: InteractionResult | undefined;
  rewrites: Rewrite[];
  /** The harness itself failed (the broker did not start, the filter picked the wrong interactions…). */
  thrown?: string;
}

/** Starts a fresh broker, verifies the one interaction against it, and stops it. */
async function verifyInteraction(
  file: string,
  interaction: ContractInteraction,
  matrixQueries: Map<string, string>,
): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'covenant-broker-contracts-'));
  const broker = await startBroker({ port: 0, database: join(dir, 'broker.sqlite'), baseUrl: BASE_URL });
  const rewrites: Rewrite[] = [];
  try {
    const http = new BrokerHttp(broker.url);
    const data = new BrokerData(http);
    const [state] = interaction.states;
    const result = await verifyProvider({
      provider: 'Pact Broker',
      providerBaseUrl: broker.url,
      pactUrls: [contractPath(file)],
      stateHandlers: stateHandlers(data),
      requestFilter: contractRequestFilter({
        http,
        aliases: data.aliases,
        matrixQueries,
        rewritten: (rewrite) => rewrites.push(rewrite),
      }),
      filter: {
        description: exactly(interaction.description),
        ...(state === undefined ? { noState: true } : { state: exactly(state) }),
      },
      reporters: [],
      env: {},
      timeoutMs: 10_000,
    });
    const results = result.pacts.flatMap((p) => p.interactions);
    if (results.length !== 1)
      throw new Error(`the filter picked ${results.length} interactions instead of this one`);
    return { interaction, result: results[0], rewrites };
  } finally {
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What went wrong, for the failure message and the summary. */
function describeFailure({ interaction, result, rewrites, thrown }: Outcome): string {
  const lines = [
    `${interaction.method} ${interaction.path}${interaction.query ? `?${interaction.query}` : ''}`,
  ];
  for (const { from, to } of rewrites) lines.push(`  sent as ${to} (mapped from ${from})`);
  if (thrown) lines.push(`  harness error: ${thrown}`);
  if (result?.error) lines.push(`  error: ${result.error}`);
  for (const m of result?.mismatches ?? []) lines.push(`  [${m.category}] ${m.path}: ${m.message}`);
  for (const warning of result?.warnings ?? []) lines.push(`  warning: ${warning}`);
  return lines.join('\n');
}

/** Pass/fail counts and the failures grouped by broker area, printed after each file. */
function summary(file: string, outcomes: Outcome[]): string {
  const failed = outcomes.filter((o) => o.result?.status !== 'passed');
  const lines = [`${file}: ${outcomes.length - failed.length} passed, ${failed.length} failed`];
  const byArea = new Map<Area, Outcome[]>(AREAS.map((area) => [area, []]));
  for (const outcome of failed) byArea.get(areaOf(outcome.interaction))!.push(outcome);
  for (const [area, list] of byArea) {
    if (list.length === 0) continue;
    lines.push(`  ${area}: ${list.length} failing`);
    for (const outcome of list) {
      const mismatch = outcome.result?.mismatches[0];
      const first =
        outcome.thrown ??
        outcome.result?.error ??
        (mismatch ? `${mismatch.path || mismatch.category}: ${mismatch.message}` : 'no result');
      lines.push(`    - ${testName(outcome.interaction)}: ${first.split('\n')[0]}`);
    }
  }
  return lines.join('\n');
}

describe("the official Pact Broker client's contracts", () => {
  if (!available) {
    // visible in the report as skipped; on CI the contracts must be there, so it fails instead
    it.skipIf(!onCi)(`needs the contracts in ${CONTRACTS_DIR}`, () => {
      throw new Error(`the official client's contracts are not at ${CONTRACTS_DIR}`);
    });
    return;
  }

  // the older contract holds the client's matrix queries as it wrote them, in its parameter order
  const clientContract = readContract(contractPath(CONTRACT_FILES[0].file));
  const matrixQueries = clientQueryOrder(
    clientContract.interactions.filter((i) => i.path === '/matrix' && i.query).map((i) => i.query!),
  );

  for (const { file, interactions: expectedCount } of CONTRACT_FILES) {
    describe(file, () => {
      const contract = readContract(contractPath(file));
      const outcomes: Outcome[] = [];
      afterAll(() => {
        if (outcomes.length > 0) console.log(summary(file, outcomes));
      });

      it(`holds ${expectedCount} interactions, each state has a handler and each placeholder a mapping`, () => {
        expect(contract.provider).toBe('Pact Broker');
        expect(contract.interactions).toHaveLength(expectedCount);
        const states = new Set(contract.interactions.flatMap((i) => i.states));
        expect([...states].filter((s) => !(s in STATES))).toEqual([]);
        const placeholders = contract.interactions
          .map((i) => i.path)
          .filter((path) => path.includes('PLACEHOLDER'));
        expect(placeholders.filter((path) => !placeholderFor(path))).toEqual([]);
      });

      for (const interaction of contract.interactions) {
        it(testName(interaction), { timeout: 30_000 }, async () => {
          let outcome: Outcome;
          try {
            outcome = await verifyInteraction(file, interaction, matrixQueries);
          } catch (error) {
            outcome = { interaction, result: undefined, rewrites: [], thrown: String(error) };
          }
          outcomes.push(outcome);
          expect(outcome.result?.status, describeFailure(outcome)).toBe('passed');
        });
      }
    });
  }
});
