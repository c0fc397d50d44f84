import { join } from 'node:path';
import { openDatabase } from '@covenant/broker';
import { caller, cleanEnv, pactFixture, runCli, startCli, tempDir } from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// `covenant broker clean` against a SQLite file a running `covenant broker` serves: the dry run
// lists and deletes nothing; the clean deletes what no selector keeps, never a deployed version.

// each test runs the CLI once or twice, a few seconds each on a loaded machine
describe('covenant broker clean', { timeout: 40_000 }, () => {
  const dir = tempDir('covenant-cli-clean-');
  const file = join(dir.path, 'broker.sqlite');
  let broker: Awaited<ReturnType<typeof startCli>>;
  let call: ReturnType<typeof caller>;
  const versions = async () =>
    (await call('GET', '/pacticipants/Web/versions')).json._embedded.versions
      .map((v: { number: string }) => v.number)
      .sort();

  beforeAll(async () => {
    broker = await startCli(['broker', '--port', '0', '--database', file, '--no-seed'], { cwd: dir.path });
    call = caller(broker.url);
    for (const version of ['v1', 'v2', 'v3', 'v4', 'v5'])
      expect(
        (
          await call(
            'PUT',
            `/pacts/provider/Orders/consumer/Web/version/${version}`,
            pactFixture({ consumer: 'Web', provider: 'Orders', interactions: [`request ${version}`] }),
          )
        ).status,
      ).toBe(201);
    const environment = await call('POST', '/environments', { name: 'production', production: true });
    expect(environment.status).toBe(201);
    expect(
      (
        await call(
          'POST',
          `/pacticipants/Web/versions/v2/deployed-versions/environment/${environment.json.uuid}`,
          {},
        )
      ).status,
    ).toBe(201);
    // the versions were published 200 days ago
    const database = await openDatabase(file);
    await database.db.updateTable('versions').set({ created_at: '2026-01-01T00:00:00.000Z' }).execute();
    await database.close();
  }, 30_000);

  afterAll(async () => {
    await broker?.stop();
    dir.remove();
  });

  const clean = (...args: string[]) =>
    runCli(['broker', '--database', file, 'clean', ...args], { cwd: dir.path });

  it('--dry-run reports the versions it would delete, oldest first, and deletes nothing', async () => {
    const run = await clean('--dry-run');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Dry run: nothing was deleted.');
    expect(run.stdout).toContain('Versions: 5 in all, 2 kept, 3 not kept; 3 would be deleted');
    expect(run.stdout).toMatch(/\{"deployed":true\} \(always kept\) +\| 1/);
    const listed = run.stdout.slice(run.stdout.indexOf('Versions would be deleted:'));
    expect([...listed.matchAll(/^Web +\| (v\d)/gm)].map((m) => m[1])).toEqual(['v1', 'v3', 'v4']);

    const json = await clean('--dry-run', '-o', 'json');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.dryRun).toBe(true);
    expect(report.versions).toMatchObject({ total: 5, kept: 2, notKept: 3, deleted: 3 });
    expect(report.deletedVersions.map((v: { number: string }) => v.number)).toEqual(['v1', 'v3', 'v4']);
    expect(await versions()).toEqual(['v1', 'v2', 'v3', 'v4', 'v5']);
  });

  it('the variables set it up, and a flag overrides its variable', async () => {
    const env = cleanEnv({
      PACT_BROKER_DATABASE_CLEAN_DRY_RUN: 'true',
      PACT_BROKER_DATABASE_CLEAN_DELETION_LIMIT: '1',
    });
    const run = await runCli(['broker', '--database', file, 'clean', '-o', 'json'], { env, cwd: dir.path });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).deletedVersions.map((v: { number: string }) => v.number)).toEqual(['v1']);
    const flagged = await runCli(
      ['broker', '--database', file, 'clean', '-o', 'json', '--deletion-limit', '2'],
      {
        env,
        cwd: dir.path,
      },
    );
    expect(JSON.parse(flagged.stdout).deletedVersions.map((v: { number: string }) => v.number)).toEqual([
      'v1',
      'v3',
    ]);
    expect(await versions()).toEqual(['v1', 'v2', 'v3', 'v4', 'v5']);
  });

  it('refuses selectors that are not valid, naming the flag, with COV_BROKER_CLEAN_CONFIG_INVALID', async () => {
    const run = await clean('--keep-version-selectors', '[{"latest": true}, {"max_age": "90"}]');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `COV_BROKER_CLEAN_CONFIG_INVALID: --keep-version-selectors '[{"latest": true}, {"max_age": "90"}]' has max_age "90" in selector 2: give a whole number of days`,
    );
    expect(await versions()).toEqual(['v1', 'v2', 'v3', 'v4', 'v5']);
  });

  it('deletes what the selectors do not keep while the broker serves, but never a deployed version', async () => {
    const run = await clean('--keep-version-selectors', '[{"latest": true}]');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Versions: 5 in all, 2 kept, 3 not kept; 3 deleted');
    // v2 stays, deployed, though the only selector keeps the latest version
    expect(await versions()).toEqual(['v2', 'v5']);
    expect((await call('GET', '/pacts/provider/Orders/consumer/Web/version/v1')).status).toBe(404);
    expect((await call('GET', '/pacts/provider/Orders/consumer/Web/version/v2')).status).toBe(200);
    expect(
      (await call('GET', '/pacts/provider/Orders/consumer/Web/latest')).json.interactions[0].description,
    ).toBe('request v5');
    // the pacts only the deleted versions had went too
    expect(run.stdout).toContain('Pact contents no longer referenced, deleted: 3.');
    const again = await clean('--keep-version-selectors', '[{"latest": true}]');
    expect(again.stdout).toContain('Versions: 2 in all, 2 kept, 0 not kept; 0 deleted');
  });
});

describe('covenant broker with the clean scheduled', () => {
  it('says when the clean runs next, and refuses a schedule that is not cron at start', async () => {
    const dir = tempDir('covenant-cli-clean-schedule-');
    try {
      const env = cleanEnv({
        PACT_BROKER_DATABASE_CLEAN_ENABLED: 'true',
        PACT_BROKER_DATABASE_CLEAN_CRON_SCHEDULE: '30 4 * * mon',
      });
      const args = ['broker', '--port', '0', '--database', join(dir.path, 'b.sqlite'), '--no-seed'];
      const broker = await startCli(args, { env, cwd: dir.path });
      // the line comes right after the 'listening on' one, maybe in a later chunk
      await vi.waitFor(() =>
        expect(broker.output()).toMatch(
          /Database clean scheduled at '30 4 \* \* mon' \(UTC\), next at \d{4}-\d\d-\d\dT04:30:00\.000Z/,
        ),
      );
      await broker.stop();
      const refused = await runCli(args, {
        env: { ...env, PACT_BROKER_DATABASE_CLEAN_CRON_SCHEDULE: '30 4 * *' },
        cwd: dir.path,
      });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        "COV_BROKER_CLEAN_CONFIG_INVALID: PACT_BROKER_DATABASE_CLEAN_CRON_SCHEDULE '30 4 * *' is not a cron schedule: it has 4 fields; give five",
      );
      expect(refused.stdout).not.toContain('listening on');
    } finally {
      dir.remove();
    }
  }, 30_000);
});
