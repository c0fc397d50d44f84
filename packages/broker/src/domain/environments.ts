import { randomUUID } from 'node:crypto';
import {
  type Environment,
  type EnvironmentColumns,
  environmentByName,
  environmentByUuid,
  insertEnvironment,
  updateEnvironment,
} from '../db/environments-repo.js';
import type { Db } from '../db/pacticipants-repo.js';
import { type BrokerRequestError, requestError } from '../errors.js';

export type { Environment } from '../db/environments-repo.js';

export interface Contact {
  name: string;
  details?: Record<string, unknown>;
}

/** The writable fields of an environment. */
export interface EnvironmentInput {
  name: string;
  displayName: string | null;
  production: boolean;
  contacts: Contact[] | null;
}

function validationError(errors: Record<string, string[]>): BrokerRequestError {
  return requestError('COV_BROKER_REQUEST_INVALID', Object.values(errors).flat().join('; '), { errors });
}

/**
 * An environment body as Fastify validated it against the EnvironmentInput schema (routes/schemas:
 * `name` without spaces, `production` true or false, optional `displayName` and `contacts`).
 */
export interface EnvironmentBody {
  name: string;
  production: boolean;
  displayName?: string | null;
  contacts?: Contact[] | null;
}

/**
 * The writable fields of a validated environment body: an optional field left out is `null`.
 *
 * @example environmentInput({ name: 'test', production: false }) // { name: 'test', displayName: null, production: false, contacts: null }
 */
export function environmentInput(body: EnvironmentBody): EnvironmentInput {
  return {
    name: body.name,
    displayName: body.displayName ?? null,
    production: body.production,
    contacts: body.contacts ?? null,
  };
}

/** The environment with the uuid, or a 404. */
export async function requireEnvironment(db: Db, uuid: string): Promise<Environment> {
  const found = await environmentByUuid(db, uuid);
  if (!found) throw requestError('COV_BROKER_NOT_FOUND', `no environment with uuid '${uuid}'`);
  return found;
}

async function checkNameFree(db: Db, name: string, exceptUuid?: string): Promise<void> {
  const other = await environmentByName(db, name);
  if (other && other.uuid !== exceptUuid)
    throw validationError({
      name: [`Another environment with name '${name}' already exists (${other.uuid})`],
    });
}

const columns = (input: EnvironmentInput): EnvironmentColumns => ({
  name: input.name,
  display_name: input.displayName,
  production: input.production ? 1 : 0,
  contacts: input.contacts === null ? null : JSON.stringify(input.contacts),
});

/** Creates an environment with a new uuid; a name already in use is a 400. */
export async function createEnvironment(db: Db, input: EnvironmentInput): Promise<Environment> {
  await checkNameFree(db, input.name);
  const uuid = randomUUID();
  if (!(await insertEnvironment(db, uuid, columns(input)))) await checkNameFree(db, input.name);
  return (await environmentByUuid(db, uuid))!;
}

/** Replaces an environment's fields (PUT semantics: absent optional fields are cleared). */
export async function replaceEnvironment(
  db: Db,
  environment: Environment,
  input: EnvironmentInput,
): Promise<Environment> {
  await checkNameFree(db, input.name, environment.uuid);
  await updateEnvironment(db, environment.id, columns(input));
  return (await environmentByUuid(db, environment.uuid))!;
}
