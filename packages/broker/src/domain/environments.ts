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

/** The writable fields of an environment, as validated from a POST or PUT body. */
export interface EnvironmentInput {
  name: string;
  displayName: string | null;
  production: boolean;
  contacts: Contact[] | null;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function validationError(errors: Record<string, string[]>): BrokerRequestError {
  return requestError('COV_BROKER_REQUEST_INVALID', Object.values(errors).flat().join('; '), { errors });
}

/**
 * Checks an environment body (`name` without spaces, `production` a boolean, optional
 * `displayName` and `contacts`), reporting every bad field at once.
 */
export function parseEnvironmentBody(body: unknown): EnvironmentInput {
  if (!isObject(body)) throw validationError({ body: ['the body must be a JSON object'] });
  const errors: Record<string, string[]> = {};
  const { name, displayName, production, contacts } = body;
  if (typeof name !== 'string' || name.trim() === '') errors.name = ['name is required'];
  else if (/\s/.test(name)) errors.name = ['name must not contain spaces'];
  if (displayName !== undefined && displayName !== null && typeof displayName !== 'string')
    errors.displayName = ['displayName must be a string'];
  if (typeof production !== 'boolean')
    errors.production = ['production is required and must be true or false'];
  if (contacts !== undefined && contacts !== null) {
    const valid =
      Array.isArray(contacts) &&
      contacts.every(
        (c) =>
          isObject(c) &&
          typeof c.name === 'string' &&
          c.name.trim() !== '' &&
          (c.details === undefined || isObject(c.details)),
      );
    if (!valid) errors.contacts = ['contacts must be a list of {name, details?} objects'];
  }
  if (Object.keys(errors).length > 0) throw validationError(errors);
  return {
    name: name as string,
    displayName: typeof displayName === 'string' ? displayName : null,
    production: production as boolean,
    contacts: (contacts as Contact[] | undefined) ?? null,
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
