// The official client's contracts with the reference broker: where they are, what they hold, and
// which part of our broker each interaction exercises (for the report).

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Next to the repository, not in it: `../shared/conformance/pact-broker-client`. */
export const CONTRACTS_DIR = resolve(REPO_ROOT, '../shared/conformance/pact-broker-client');

export const CONTRACT_FILES = [
  /** The Ruby client's contract: placeholder paths for the links it follows. */
  { file: 'pact-broker-client--pact-broker.json', interactions: 64 },
  /** The client's newer contract (written by the Rust core): real paths, fixed uuids. */
  { file: 'pact-broker-client-v2--pact-broker.json', interactions: 67 },
] as const;

export const contractPath = (file: string) => join(CONTRACTS_DIR, file);

export interface ContractInteraction {
  description: string;
  states: string[];
  method: string;
  path: string;
  /** The query string as the file writes it. */
  query: string | undefined;
}

export interface Contract {
  consumer: string;
  provider: string;
  interactions: ContractInteraction[];
}

interface RawInteraction {
  description: string;
  providerState?: string;
  providerStates?: { name: string }[];
  request: { method: string; path: string; query?: string | Record<string, string[]> };
}

/** Reads a contract for naming its tests; the verifier reads the file itself to verify it. */
export function readContract(path: string): Contract {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as {
    consumer: { name: string };
    provider: { name: string };
    interactions: RawInteraction[];
  };
  return {
    consumer: raw.consumer.name,
    provider: raw.provider.name,
    interactions: raw.interactions.map((i) => ({
      description: i.description,
      states: i.providerStates?.map((s) => s.name) ?? (i.providerState ? [i.providerState] : []),
      method: i.request.method.toUpperCase(),
      path: i.request.path,
      query: typeof i.request.query === 'string' ? i.request.query : undefined,
    })),
  };
}

/** The test's name: the description and the states, as the verifier reports them. */
export function testName(interaction: ContractInteraction): string {
  const given = interaction.states.length > 0 ? ` given ${interaction.states.join(' and ')}` : '';
  return `${interaction.description}${given}`;
}

export type Area = 'core/pacts' | 'environments/deployments' | 'matrix' | 'webhooks' | 'labels' | 'other';
export const AREAS: Area[] = [
  'core/pacts',
  'environments/deployments',
  'matrix',
  'webhooks',
  'labels',
  'other',
];

/** The part of the broker (and so the owner) an interaction exercises. */
export function areaOf(interaction: ContractInteraction): Area {
  const { path, states } = interaction;
  if (path === '/') return 'core/pacts';
  if (path.startsWith('/matrix')) return 'matrix';
  if (/webhook/i.test(path)) return 'webhooks';
  if (/label/i.test(path)) return 'labels';
  if (/environment|deploy|release/i.test(path) || states.some((s) => /environment/i.test(s)))
    return 'environments/deployments';
  if (/pacticipant|pacts|contracts|version|branch/i.test(path)) return 'core/pacts';
  return 'other';
}
