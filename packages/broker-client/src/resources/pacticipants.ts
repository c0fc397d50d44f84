/** Pacticipants: creating them and changing their details. */
import { type HalResource, textOf } from '../hal.js';
import type { BrokerTransport } from '../transport.js';

export interface Pacticipant {
  name: string;
  displayName: string | undefined;
  mainBranch: string | undefined;
  repositoryUrl: string | undefined;
}

function readPacticipant(resource: HalResource): Pacticipant {
  return {
    name: textOf(resource.name) ?? '',
    displayName: textOf(resource.displayName),
    mainBranch: textOf(resource.mainBranch),
    repositoryUrl: textOf(resource.repositoryUrl),
  };
}

/**
 * Creates a pacticipant, or updates the fields given of an existing one.
 */
export async function createOrUpdatePacticipant(
  broker: BrokerTransport,
  input: {
    name: string;
    displayName?: string | undefined;
    mainBranch?: string | undefined;
    repositoryUrl?: string | undefined;
  },
): Promise<{ created: boolean; pacticipant: Pacticipant }> {
  const index = await broker.index();
  const href = broker.relation(index, 'pb:pacticipant', { pacticipant: input.name });
  const fields = {
    ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
    ...(input.mainBranch !== undefined ? { mainBranch: input.mainBranch } : {}),
    ...(input.repositoryUrl !== undefined ? { repositoryUrl: input.repositoryUrl } : {}),
  };
  const existing = await broker.find(href);
  const saved = existing
    ? await broker.request('PATCH', href, fields)
    : await broker.request('POST', broker.relation(index, 'pb:pacticipants'), {
        name: input.name,
        ...fields,
      });
  return { created: !existing, pacticipant: readPacticipant(saved ?? { name: input.name }) };
}
