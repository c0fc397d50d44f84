/** Environments (`pb:environments`): listing, finding, creating and changing them. */
import { brokerClientError } from '../errors.js';
import { embeddedOf, type HalResource, textOf } from '../hal.js';
import type { BrokerTransport } from '../transport.js';

/** An environment (`pb:environments`). */
export interface Environment {
  uuid: string;
  name: string;
  displayName: string | undefined;
  production: boolean;
  contacts: Array<{ name: string; details?: Record<string, unknown> }>;
  createdAt: string | undefined;
}

export interface EnvironmentInput {
  name: string;
  displayName?: string;
  production?: boolean;
  contacts?: Array<{ name: string; details?: Record<string, unknown> }>;
}

export function readEnvironment(resource: HalResource): Environment {
  return {
    uuid: textOf(resource.uuid) ?? '',
    name: textOf(resource.name) ?? '',
    displayName: textOf(resource.displayName),
    production: resource.production === true,
    contacts: Array.isArray(resource.contacts) ? (resource.contacts as Environment['contacts']) : [],
    createdAt: textOf(resource.createdAt),
  };
}

/**
 * Every environment the broker knows.
 */
export async function environments(broker: BrokerTransport): Promise<Environment[]> {
  const list = await broker.request('GET', broker.relation(await broker.index(), 'pb:environments'));
  return embeddedOf(list, 'environments').map(readEnvironment);
}

/** The environment of this name, or a NOT_FOUND error naming the ones that exist. */
export async function environment(
  broker: BrokerTransport,
  name: string,
): Promise<Environment & { resource: HalResource }> {
  const list = await broker.request('GET', broker.relation(await broker.index(), 'pb:environments'));
  const found = embeddedOf(list, 'environments').find((e) => e.name === name);
  if (!found) {
    const names = embeddedOf(list, 'environments').map((e) => textOf(e.name));
    throw brokerClientError(
      'COV_BROKER_CLIENT_NOT_FOUND',
      `the broker has no environment '${name}' (it has: ${names.join(', ') || 'none'}); create it with create-environment`,
      { environment: name },
    );
  }
  return { ...readEnvironment(found), resource: found };
}

/**
 * Creates an environment.
 */
export async function createEnvironment(
  broker: BrokerTransport,
  input: EnvironmentInput,
): Promise<Environment> {
  const created = await broker.request('POST', broker.relation(await broker.index(), 'pb:environments'), {
    name: input.name,
    ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
    production: input.production ?? false,
    ...(input.contacts?.length ? { contacts: input.contacts } : {}),
  });
  return readEnvironment(created ?? {});
}

/**
 * Changes an environment, found by its uuid; fields not given keep their values.
 */
export async function updateEnvironment(
  broker: BrokerTransport,
  uuid: string,
  changes: Partial<EnvironmentInput>,
): Promise<Environment> {
  const list = await broker.request('GET', broker.relation(await broker.index(), 'pb:environments'));
  const current = embeddedOf(list, 'environments').find((e) => e.uuid === uuid);
  if (!current) {
    throw brokerClientError(
      'COV_BROKER_CLIENT_NOT_FOUND',
      `the broker has no environment with uuid ${uuid}; list-environments shows them`,
      { uuid },
    );
  }
  const was = readEnvironment(current);
  const updated = await broker.request('PUT', broker.relation(current, 'self'), {
    name: changes.name ?? was.name,
    ...((changes.displayName ?? was.displayName) !== undefined
      ? { displayName: changes.displayName ?? was.displayName }
      : {}),
    production: changes.production ?? was.production,
    contacts: changes.contacts ?? was.contacts,
  });
  return readEnvironment(updated ?? {});
}
