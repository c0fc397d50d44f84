import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { requestError } from '../errors.js';
import { type Db, holdRow, locksRows, now, type Version } from './pacticipants-repo.js';
import type { Database } from './schema.js';

// Environments, deployments and releases: every query on those tables.

export type Environment = Selectable<Database['environments']>;

/** An environment's stored fields. */
export interface EnvironmentColumns {
  name: string;
  display_name: string | null;
  production: number;
  contacts: string | null;
}

export async function environmentByUuid(db: Db, uuid: string): Promise<Environment | undefined> {
  return db.selectFrom('environments').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

export async function environmentByName(db: Db, name: string): Promise<Environment | undefined> {
  return db.selectFrom('environments').selectAll().where('name', '=', name).executeTakeFirst();
}

/** All environments (or the one with the name), ordered by name. */
export async function listEnvironments(db: Db, name?: string): Promise<Environment[]> {
  let q = db.selectFrom('environments').selectAll().orderBy('name');
  if (name !== undefined) q = q.where('name', '=', name);
  return q.execute();
}

/** Inserts an environment; false when its name was taken meanwhile (a concurrent create). */
export async function insertEnvironment(db: Db, uuid: string, columns: EnvironmentColumns): Promise<boolean> {
  const at = now();
  const inserted = await db
    .insertInto('environments')
    .values({ uuid, ...columns, created_at: at, updated_at: at })
    // a concurrent create of the same name loses here rather than with a 500
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function updateEnvironment(db: Db, id: number, columns: EnvironmentColumns): Promise<void> {
  await db
    .updateTable('environments')
    .set({ ...columns, updated_at: now() })
    .where('id', '=', id)
    .execute();
}

/** Deletes an environment; its deployment and release records go with it (cascade). */
export async function deleteEnvironment(db: Db, environment: Environment): Promise<void> {
  await db.deleteFrom('environments').where('id', '=', environment.id).execute();
}

/** A deployed version with what its representation embeds. */
export interface DeployedVersionView {
  id: number;
  uuid: string;
  application_instance: string | null;
  undeployed_at: string | null;
  created_at: string;
  version_number: string;
  pacticipant_name: string;
  environment_uuid: string;
}

/** A released version with what its representation embeds. */
export interface ReleasedVersionView {
  id: number;
  uuid: string;
  support_ended_at: string | null;
  created_at: string;
  version_number: string;
  pacticipant_name: string;
  environment_uuid: string;
}

function deployedVersions(db: Db) {
  return db
    .selectFrom('deployed_versions as d')
    .innerJoin('versions as v', 'v.id', 'd.version_id')
    .innerJoin('pacticipants as p', 'p.id', 'd.pacticipant_id')
    .innerJoin('environments as e', 'e.id', 'd.environment_id')
    .select([
      'd.id',
      'd.uuid',
      'd.application_instance',
      'd.undeployed_at',
      'd.created_at',
      'v.number as version_number',
      'p.name as pacticipant_name',
      'e.uuid as environment_uuid',
    ]);
}

function releasedVersions(db: Db) {
  return db
    .selectFrom('released_versions as r')
    .innerJoin('versions as v', 'v.id', 'r.version_id')
    .innerJoin('pacticipants as p', 'p.id', 'r.pacticipant_id')
    .innerJoin('environments as e', 'e.id', 'r.environment_id')
    .select([
      'r.id',
      'r.uuid',
      'r.support_ended_at',
      'r.created_at',
      'v.number as version_number',
      'p.name as pacticipant_name',
      'e.uuid as environment_uuid',
    ]);
}

export async function deployedVersionByUuid(db: Db, uuid: string): Promise<DeployedVersionView | undefined> {
  return deployedVersions(db).where('d.uuid', '=', uuid).executeTakeFirst();
}

export async function releasedVersionByUuid(db: Db, uuid: string): Promise<ReleasedVersionView | undefined> {
  return releasedVersions(db).where('r.uuid', '=', uuid).executeTakeFirst();
}

/**
 * Versions currently deployed to an environment, optionally of one pacticipant and application
 * instance (`null` matches deployments recorded without one).
 */
export async function currentlyDeployed(
  db: Db,
  environment: Environment,
  filter: { pacticipant?: string; applicationInstance?: string | null; versionId?: number } = {},
): Promise<DeployedVersionView[]> {
  let q = deployedVersions(db)
    .where('d.environment_id', '=', environment.id)
    .where('d.undeployed_at', 'is', null);
  if (filter.pacticipant !== undefined) q = q.where('p.name', '=', filter.pacticipant);
  if (filter.versionId !== undefined) q = q.where('d.version_id', '=', filter.versionId);
  if (filter.applicationInstance !== undefined)
    q =
      filter.applicationInstance === null
        ? q.where('d.application_instance', 'is', null)
        : q.where('d.application_instance', '=', filter.applicationInstance);
  return q.orderBy('p.name').orderBy('d.id').execute();
}

/** Versions currently released (and still supported) in an environment. */
export async function currentlySupported(
  db: Db,
  environment: Environment,
  filter: { pacticipant?: string; versionId?: number } = {},
): Promise<ReleasedVersionView[]> {
  let q = releasedVersions(db)
    .where('r.environment_id', '=', environment.id)
    .where('r.support_ended_at', 'is', null);
  if (filter.pacticipant !== undefined) q = q.where('p.name', '=', filter.pacticipant);
  if (filter.versionId !== undefined) q = q.where('r.version_id', '=', filter.versionId);
  return q.orderBy('p.name').orderBy('r.id').execute();
}

/** Locks the version a deployment or release refers to (read before the write's transaction), or a 404 if it is gone. */
async function holdVersion(db: Db, version: Version): Promise<void> {
  if (!(await holdRow(db, 'versions', version.id)))
    throw requestError('COV_BROKER_NOT_FOUND', `version ${version.number} was deleted meanwhile`);
}

/**
 * Locks the environment a deployment or release refers to (read before the write's transaction) as
 * {@link holdRow} locks a version, so that a DELETE of it waits for the write; or a 404 if it is gone.
 */
async function holdEnvironment(db: Db, environment: Environment): Promise<void> {
  const row = await db
    .selectFrom('environments')
    .select('id')
    .where('id', '=', environment.id)
    .$if(locksRows(db), (q) => q.forKeyShare())
    .executeTakeFirst();
  if (!row)
    throw requestError('COV_BROKER_NOT_FOUND', `environment ${environment.uuid} was deleted meanwhile`);
}

/**
 * Records that a version is deployed to an environment (per application instance). The version
 * previously deployed there is marked undeployed, since one instance runs one version at a time;
 * recording the version that is already deployed changes nothing.
 */
export async function recordDeployment(
  db: Db,
  version: Version,
  environment: Environment,
  applicationInstance: string | null,
): Promise<DeployedVersionView> {
  await holdVersion(db, version);
  await holdEnvironment(db, environment);
  const [current] = await currentlyDeployed(db, environment, {
    applicationInstance,
    versionId: version.id,
  });
  if (current) return current;
  let undeploy = db
    .updateTable('deployed_versions')
    .set({ undeployed_at: now() })
    .where('pacticipant_id', '=', version.pacticipant_id)
    .where('environment_id', '=', environment.id)
    .where('undeployed_at', 'is', null);
  undeploy =
    applicationInstance === null
      ? undeploy.where('application_instance', 'is', null)
      : undeploy.where('application_instance', '=', applicationInstance);
  await undeploy.execute();
  const uuid = randomUUID();
  await db
    .insertInto('deployed_versions')
    .values({
      uuid,
      version_id: version.id,
      pacticipant_id: version.pacticipant_id,
      environment_id: environment.id,
      application_instance: applicationInstance,
      undeployed_at: null,
      created_at: now(),
    })
    .execute();
  return (await deployedVersionByUuid(db, uuid))!;
}

/** Marks a deployment as ended (idempotent). */
export async function recordUndeployment(
  db: Db,
  deployed: DeployedVersionView,
): Promise<DeployedVersionView> {
  await db
    .updateTable('deployed_versions')
    .set({ undeployed_at: now() })
    .where('id', '=', deployed.id)
    .where('undeployed_at', 'is', null)
    .execute();
  return (await deployedVersionByUuid(db, deployed.uuid))!;
}

/**
 * Records that a version is released to an environment. Releases of other versions stay supported
 * (several mobile app versions live at once); releasing the same version again is a no-op, or
 * restores support if it had ended.
 */
export async function recordRelease(
  db: Db,
  version: Version,
  environment: Environment,
): Promise<ReleasedVersionView> {
  await holdVersion(db, version);
  await holdEnvironment(db, environment);
  await db
    .insertInto('released_versions')
    .values({
      uuid: randomUUID(),
      version_id: version.id,
      pacticipant_id: version.pacticipant_id,
      environment_id: environment.id,
      support_ended_at: null,
      created_at: now(),
    })
    .onConflict((oc) => oc.columns(['version_id', 'environment_id']).doNothing())
    .execute();
  await db
    .updateTable('released_versions')
    .set({ support_ended_at: null })
    .where('version_id', '=', version.id)
    .where('environment_id', '=', environment.id)
    .where('support_ended_at', 'is not', null)
    .execute();
  return (await releasedVersions(db)
    .where('r.version_id', '=', version.id)
    .where('r.environment_id', '=', environment.id)
    .executeTakeFirst())!;
}

/** Marks a release as no longer supported (idempotent). */
export async function recordSupportEnded(
  db: Db,
  released: ReleasedVersionView,
): Promise<ReleasedVersionView> {
  await db
    .updateTable('released_versions')
    .set({ support_ended_at: now() })
    .where('id', '=', released.id)
    .where('support_ended_at', 'is', null)
    .execute();
  return (await releasedVersionByUuid(db, released.uuid))!;
}
