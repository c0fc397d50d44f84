import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import {
  cleanEnv,
  close,
  expectReadableFailures,
  listen,
  pactBrokerBin,
  pactJson,
  runCli,
  startTestBroker,
  tempDir,
} from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The deployment workflow end to end: environments, publishing, verifying (with results published),
 * can-i-deploy, and recording deployments and releases, each through the built binary.
 */
let broker: Awaited<ReturnType<typeof startTestBroker>>;
let provider: Server;
let providerUrl: string;
let providerBroken = false;
const dir = tempDir();
let env: Record<string, string>;

beforeAll(async () => {
  broker = await startTestBroker();
  env = cleanEnv({ PACT_BROKER_BASE_URL: broker.url });
  // a real provider: answers the pact's requests, or breaks them when told to
  provider = createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.statusCode = providerBroken ? 500 : 200;
    res.end(JSON.stringify({ path: req.url }));
  });
  providerUrl = await listen(provider);
  writeFileSync(
    join(dir.path, 'web-orders.json'),
    JSON.stringify(pactJson('Web', 'Orders', ['/orders/1', '/orders/2'])),
  );
}, 20_000);
afterAll(async () => {
  await close(provider);
  await broker.stop();
  dir.remove();
});

const cli = (...args: string[]) => runCli(args, { env, cwd: dir.path });
// the versions the tests name again and again, as the CLI's options name them
const web1 = ['-a', 'Web', '-e', '1.0.0'];
const orders5 = ['--pacticipant', 'Orders', '--version', '5.0.0'];
/** `verify` of Orders against the test's provider. */
const verifyOrders = (...args: string[]) =>
  cli('verify', '--provider', 'Orders', '--provider-base-url', providerUrl, ...args);

/** Writes a new pact of `consumer` with Orders into the test directory and publishes it with the CLI. */
async function publishNewPact(
  file: string,
  consumer: string,
  paths: string[],
  version: string,
  branch: string,
) {
  writeFileSync(join(dir.path, file), JSON.stringify(pactJson(consumer, 'Orders', paths)));
  expect((await cli('publish', file, '-a', version, '--branch', branch)).code).toBe(0);
}

describe('environments', () => {
  it('creates, lists and updates environments (text, json and id output)', async () => {
    const created = await cli(
      'create-environment',
      '--name',
      'production',
      '--production',
      '--display-name',
      'Production',
      '--contact-name',
      'Platform',
      '--contact-email-address',
      'platform@example.com',
    );
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(
      /Created production environment in the Pact Broker with UUID [0-9a-f-]{36}/,
    );
    const id = await cli('create-environment', '--name', 'test', '--output', 'id');
    const uuid = id.stdout.trim();
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    const updated = await cli(
      'update-environment',
      '--uuid',
      uuid,
      '--display-name',
      'Test (EU)',
      '-o',
      'json',
    );
    expect(JSON.parse(updated.stdout)).toMatchObject({
      uuid,
      name: 'test',
      displayName: 'Test (EU)',
      production: false,
    });
    const list = await cli('list-environments', '-o', 'json');
    expect(JSON.parse(list.stdout)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'production',
          production: true,
          contacts: [{ name: 'Platform', details: { emailAddress: 'platform@example.com' } }],
        }),
        expect.objectContaining({ name: 'test', displayName: 'Test (EU)' }),
      ]),
    );
    const table = await cli('list-environments');
    expect(table.stdout).toMatch(/^UUID +\| NAME +\| DISPLAY NAME +\| PRODUCTION/);
    expect(table.stdout).toContain('Test (EU)');
  }, 20_000);

  it('reports a duplicate environment and an unknown uuid with exit status 1', async () => {
    const duplicate = await cli('create-environment', '--name', 'production');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/COV_BROKER_CLIENT_REQUEST_FAILED: .*production/);
    const noSuchUuid = '00000000-0000-4000-8000-000000000000';
    const unknown = await cli('update-environment', '--uuid', noSuchUuid, '--display-name', 'x');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('COV_BROKER_CLIENT_NOT_FOUND');
  }, 20_000);
});

describe('can-i-deploy, verify and deployments', () => {
  it('says no while results are missing, yes once a verification passes, and no after one fails', async () => {
    expect((await cli('publish', 'web-orders.json', '-a', '1.0.0', '--branch', 'main')).code).toBe(0);
    expect(
      (await cli('record-deployment', '-a', 'Orders', '-e', '5.0.0', '--environment', 'production')).code,
    ).toBe(1); // no such version yet

    const unknown = await cli(
      'can-i-deploy',
      '--pacticipant',
      'Web',
      '--version',
      '1.0.0',
      '-a',
      'Orders',
      '--latest',
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain('Computer says no');
    expect(unknown.stdout).toMatch(/Web +\| 1\.0\.0 +\| Orders +\| \?\?\? +\| \?\?\?/);

    const verified = await runCli(
      [
        'verify',
        '--provider',
        'Orders',
        '--provider-base-url',
        providerUrl,
        '--consumer-version-selectors',
        '{"branch":"main"}',
        '--publish',
        '--provider-version',
        '5.0.0',
        '--provider-branch',
        'main',
      ],
      { env, cwd: dir.path },
    );
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('a request for /orders/1 ... OK');
    expect(verified.stdout).toMatch(/Verification passed: 2 interactions: 2 passed/);

    const yes = await cli('can-i-deploy', '-a', 'Web', '-e', '1.0.0', '-a', 'Orders', '--branch', 'main');
    expect(yes.code).toBe(0);
    expect(yes.stdout).toContain('Computer says yes \\o/');
    expect(yes.stdout).toMatch(/Web +\| 1\.0\.0 +\| Orders +\| 5\.0\.0 +\| true +\| 1/);
    expect(yes.stdout).toMatch(
      /1\. http:\/\/127\.0\.0\.1:\d+\/pacts\/provider\/Orders\/consumer\/Web\/pact-version\/\w+\/verification-results\/\d+ \(success\)/,
    );

    // Orders 5.0.0 goes to production; then Web 1.0.0 can follow it there
    const deployed = await cli('record-deployment', ...orders5, '--environment', 'production');
    expect(deployed.stdout).toContain(
      'Recorded deployment of Orders version 5.0.0 to production in the Pact Broker.',
    );
    const toProduction = await cli('can-i-deploy', ...web1, '--to-environment', 'production', '-o', 'json');
    expect(toProduction.code).toBe(0);
    const answer = JSON.parse(toProduction.stdout);
    expect(answer.summary).toMatchObject({ deployable: true, success: 1, failed: 0, unknown: 0 });
    expect(answer.matrix[0]).toMatchObject({
      consumer: { name: 'Web', version: { number: '1.0.0' } },
      provider: { name: 'Orders', version: { number: '5.0.0' } },
      verificationResult: { success: true },
    });
    // the broker's own body, every field kept (jq: .matrix[0].consumer.version.branch)
    expect(answer.matrix[0].consumer.version.branch).toBe('main');
    expect(answer.matrix[0].consumer.version.branchVersions).toEqual([
      expect.objectContaining({ name: 'main' }),
    ]);
    expect(answer.matrix[0].provider.version.environments).toEqual([
      expect.objectContaining({ name: 'production' }),
    ]);
    expect(answer.matrix[0].pact.createdAt).toEqual(expect.any(String));
    // ...but not to test, where Orders is not deployed
    const toTest = await cli('can-i-deploy', '-a', 'Web', '-e', '1.0.0', '--to-environment', 'test');
    expect(toTest.code).toBe(1);
    // unless Orders is ignored
    const ignoring = await cli('can-i-deploy', ...web1, '--to-environment', 'test', '--ignore', 'Orders');
    expect(ignoring.code).toBe(0);
    // and --dry-run always exits 0
    expect(
      (await cli('can-i-deploy', '-a', 'Web', '-e', '1.0.0', '--to-environment', 'test', '--dry-run')).code,
    ).toBe(0);
    // PACT_BROKER_CAN_I_DEPLOY_DRY_RUN turns it on only when true (or 1), as the official CLI
    const withDryRunVariable = (value: string) =>
      runCli(['can-i-deploy', '-a', 'Web', '-e', '1.0.0', '--to-environment', 'test'], {
        env: { ...env, PACT_BROKER_CAN_I_DEPLOY_DRY_RUN: value },
        cwd: dir.path,
      });
    expect((await withDryRunVariable('false')).code).toBe(1);
    expect((await withDryRunVariable('0')).code).toBe(1);
    expect((await withDryRunVariable('TRUE')).code).toBe(0);
    expect((await withDryRunVariable('1')).code).toBe(0);

    // a failing verification of a newer provider version: Orders 6.0.0 cannot go where Web 1.0.0 is
    providerBroken = true;
    const failed = await runCli(
      [
        'verify',
        'web-orders.json',
        '--provider-base-url',
        providerUrl,
        '-b',
        broker.url,
        '--consumer-version-selectors',
        '[{"branch":"main"}]',
        '--publish',
        '--provider-version',
        '6.0.0',
        '--reporter',
        `console,junit:${join(dir.path, 'junit.xml')}`,
      ],
      { env, cwd: dir.path },
    );
    providerBroken = false;
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('Expected status 200 but received 500');
    expect(readFileSync(join(dir.path, 'junit.xml'), 'utf8')).toContain('failures="2"');
    expect(
      (await cli('record-deployment', '-a', 'Web', '-e', '1.0.0', '--environment', 'production')).code,
    ).toBe(0);
    const no = await cli('can-i-deploy', '-a', 'Orders', '-e', '6.0.0', '--to-environment', 'production');
    expect(no.code).toBe(1);
    expect(no.stdout).toContain('Computer says no');
    expect(no.stdout).toMatch(/Web +\| 1\.0\.0 +\| Orders +\| 6\.0\.0 +\| false/);
  }, 60_000);

  it('can-i-merge: yes once the main branch verified the version, no for a version verified on a branch', async () => {
    writeFileSync(join(dir.path, 'cart-stock.json'), JSON.stringify(pactJson('Cart', 'Stock', ['/stock/1'])));
    expect((await cli('publish', 'cart-stock.json', '-a', 'c1', '--branch', 'feat')).code).toBe(0);
    expect((await cli('create-or-update-pacticipant', '--name', 'Stock', '--main-branch', 'main')).code).toBe(
      0,
    );
    const verifyStock = (version: string, branch: string) =>
      cli(
        'verify',
        '--provider',
        'Stock',
        '--provider-base-url',
        providerUrl,
        '--consumer-version-selectors',
        '{"branch":"feat"}',
        '--publish',
        '--provider-version',
        version,
        '--provider-branch',
        branch,
      );
    // verified by a Stock version that is not on Stock's main branch: the merge question is still open
    expect((await verifyStock('s-topic', 'topic')).code).toBe(0);
    const open = await cli('can-i-merge', '-a', 'Cart', '-e', 'c1');
    expect(open.code).toBe(1);
    expect(open.stdout).toContain('Computer says no');
    expect((await verifyStock('s-main', 'main')).code).toBe(0);
    const yes = await cli('can-i-merge', '--pacticipant', 'Cart', '--version', 'c1', '-o', 'json');
    expect(yes.code, yes.stderr).toBe(0);
    const answer = JSON.parse(yes.stdout);
    expect(answer.summary).toMatchObject({ deployable: true, success: 1 });
    expect(answer.matrix[0].provider).toMatchObject({ name: 'Stock', version: { number: 's-main' } });
    const mistakes = await cli('can-i-merge', '-a', 'Cart');
    expect(mistakes.stderr).toMatch(/^COV_CLI_OPTIONS_INVALID: which version of Cart\?/);
  }, 30_000);

  it('retries while the answer is unknown, as often as asked', async () => {
    // new content: no verification of it exists yet
    await publishNewPact('web-orders-2.json', 'Web', ['/orders/3'], '2.0.0', 'feat');
    const started = Date.now();
    const run = await cli(
      'can-i-deploy',
      '-a',
      'Web',
      '-e',
      '2.0.0',
      '--to-environment',
      'production',
      '--retry-while-unknown',
      '2',
      '--retry-interval',
      '0.2',
    );
    expect(run.code).toBe(1);
    expect(run.stderr.match(/Waiting for verification results/g)).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  }, 20_000);

  it('records releases, support ended and undeployments, and describes versions', async () => {
    const released = await cli('record-release', ...web1, '--environment', 'test', '-o', 'json');
    expect(JSON.parse(released.stdout)).toMatchObject({
      pacticipant: 'Web',
      version: '1.0.0',
      environment: 'test',
    });
    const described = await cli('describe-version', '-a', 'Web', '-e', '1.0.0', '-o', 'json');
    expect(JSON.parse(described.stdout)).toMatchObject({
      number: '1.0.0',
      branches: ['main'],
      deployedTo: ['production'],
      releasedTo: ['test'],
    });
    expect((await cli('describe-version', '-a', 'Web', '--latest', '-o', 'id')).stdout.trim()).toBe('2.0.0');

    const ended = await cli('record-support-ended', '-a', 'Web', '-e', '1.0.0', '--environment', 'test');
    expect(ended.stdout).toContain('Recorded support ended for Web version 1.0.0 in test');
    const undeployed = await cli('record-undeployment', '-a', 'Web', '--environment', 'production');
    expect(undeployed.stdout).toContain('Recorded undeployment of Web version 1.0.0 from production');
    const after = JSON.parse(
      (await cli('describe-version', '-a', 'Web', '-e', '1.0.0', '-o', 'json')).stdout,
    );
    expect(after).toMatchObject({ deployedTo: [], releasedTo: [] });
    // two instances in one environment: undeploying one leaves the other
    for (const instance of ['eu', 'us'])
      expect(
        (
          await cli(
            'record-deployment',
            '-a',
            'Web',
            '-e',
            '1.0.0',
            '--environment',
            'test',
            '--application-instance',
            instance,
          )
        ).code,
      ).toBe(0);
    const eu = await cli(
      'record-undeployment',
      '-a',
      'Web',
      '--environment',
      'test',
      '--application-instance',
      'eu',
      '-o',
      'json',
    );
    expect(JSON.parse(eu.stdout)).toEqual([
      expect.objectContaining({ version: '1.0.0', applicationInstance: 'eu' }),
    ]);
    expect(
      JSON.parse((await cli('describe-version', '-a', 'Web', '-e', '1.0.0', '-o', 'json')).stdout).deployedTo,
    ).toEqual(['test']);
    // no instance named: only a deployment without one is ended, as with the official CLI
    const unnamed = await cli('record-undeployment', '-a', 'Web', '--environment', 'test');
    expect(unnamed.code).toBe(1);
    expect(unnamed.stderr).toContain(
      'Web is not currently deployed to test without an application instance; nothing to undeploy; the application instances deployed there are: us',
    );
    expect((await cli('record-deployment', '-a', 'Web', '-e', '1.0.0', '--environment', 'test')).code).toBe(
      0,
    );
    const onlyUnnamed = await cli('record-undeployment', '-a', 'Web', '--environment', 'test', '-o', 'json');
    expect(JSON.parse(onlyUnnamed.stdout)).toEqual([
      expect.objectContaining({ version: '1.0.0', applicationInstance: null }),
    ]);
    expect(JSON.parse(onlyUnnamed.stdout)).toHaveLength(1);
    expect(
      (await cli('record-undeployment', '-a', 'Web', '--environment', 'test', '--application-instance', 'us'))
        .stdout,
    ).toContain('(application instance us)');
    const again = await cli('record-undeployment', '-a', 'Web', '--environment', 'production');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      'COV_BROKER_CLIENT_NOT_FOUND: Web is not currently deployed to production',
    );
  }, 30_000);

  it('tags versions and creates or updates pacticipants', async () => {
    expect(
      (await cli('create-version-tag', '-a', 'Web', '-e', '1.0.0', '-t', 'prod', '-t', 'golden')).stdout,
    ).toContain("Tagged Web version 1.0.0 with 'golden'");
    expect(
      JSON.parse((await cli('describe-version', '-a', 'Web', '--latest', 'golden', '-o', 'json')).stdout)
        .tags,
    ).toEqual(expect.arrayContaining(['prod', 'golden']));
    // the tag workflow: Web 1.0.0 may go where Orders' latest 'prod' version (5.0.0) is
    expect((await cli('create-version-tag', '-a', 'Orders', '-e', '5.0.0', '-t', 'prod')).code).toBe(0);
    const toTag = await cli('can-i-deploy', '-a', 'Web', '-e', '1.0.0', '--to', 'prod');
    expect(toTag.stdout).toMatch(/Web +\| 1\.0\.0 +\| Orders +\| 5\.0\.0 +\| true/);
    expect(toTag.code).toBe(0);
    // --tag after a --pacticipant: its versions with that tag (the official CLI's q[][tag] without latest)
    const tagged = await cli('can-i-deploy', '-a', 'Web', '--tag', 'golden', '-a', 'Orders', '--tag', 'prod');
    expect(tagged.stdout).toMatch(/Web +\| 1\.0\.0 +\| Orders +\| 5\.0\.0 +\| true/);
    expect(tagged.code).toBe(0);
    const missing = await cli('create-version-tag', '-a', 'Web', '-e', '7.7.7', '-t', 'x');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('COV_BROKER_CLIENT_NOT_FOUND: the broker has no version 7.7.7 of Web');
    expect(
      (await cli('create-version-tag', '-a', 'Web', '-e', '7.7.7', '-t', 'x', '--auto-create-version')).code,
    ).toBe(0);

    // Orders' main branch is where 5.0.0 (verified) is: Web 1.0.0 works with it
    expect(
      (await cli('create-or-update-pacticipant', '--name', 'Orders', '--main-branch', 'main')).code,
    ).toBe(0);
    const withMain = await cli('can-i-deploy', '-a', 'Web', '-e', '1.0.0', '-a', 'Orders', '--main-branch');
    expect(withMain.stdout).toMatch(/Web +\| 1\.0\.0 +\| Orders +\| 5\.0\.0 +\| true/);
    expect(withMain.code).toBe(0);

    const created = await cli('create-or-update-pacticipant', '--name', 'Billing', '--main-branch', 'main');
    expect(created.stdout).toContain('Pacticipant "Billing" created');
    const updated = await cli(
      'create-or-update-pacticipant',
      '--name',
      'Billing',
      '--display-name',
      'Billing Service',
      '-o',
      'json',
    );
    expect(JSON.parse(updated.stdout)).toMatchObject({
      name: 'Billing',
      displayName: 'Billing Service',
      mainBranch: 'main',
    });
  }, 30_000);

  it('with --enable-pending, a failing pact never verified before does not fail the run', async () => {
    await publishNewPact('newcomer-orders.json', 'Newcomer', ['/new'], '1', 'main');
    providerBroken = true;
    const selectors = ['--consumer-version-selectors', '[{"mainBranch":true},{"branch":"main"}]'];
    const pending = await verifyOrders(...selectors, '--filter-consumer', 'Newcomer', '--enable-pending');
    const strict = await verifyOrders(...selectors, '--filter-consumer', 'Newcomer');
    providerBroken = false;
    expect(pending.stdout).toContain('Verifying a pact between Newcomer and Orders [pending]');
    expect(pending.stdout).toContain('FAILED (pending)');
    // a green run says what it let pass (decision 0015)
    expect(pending.stdout).toMatch(
      /\n1 pending interaction failure did not fail the run \(pending pacts: Newcomer \(http/,
    );
    expect(strict.stdout).not.toContain('did not fail the run');
    expect(pending.code).toBe(0);
    expect(strict.code).toBe(1);
  }, 30_000);

  it('with --include-wip-pacts-since, verifies work-in-progress pacts the selectors leave out', async () => {
    await publishNewPact('wip-orders.json', 'Wip', ['/wip'], '1', 'feat-wip');
    const args = [
      '--consumer-version-selectors',
      '{"branch":"main"}',
      '--provider-branch',
      'main',
      '--filter-consumer',
      'Wip',
    ];
    const without = await verifyOrders(...args, '--no-fail-if-no-pacts-found');
    expect(without.stdout).not.toContain('between Wip and Orders');
    // the verifier tells the broker the provider branch (which WIP needs) only when publishing
    const withWip = await verifyOrders(
      ...args,
      '--enable-pending',
      '--include-wip-pacts-since',
      '2020-01-01',
      '--publish',
      '--provider-version',
      '7.0.0',
    );
    expect(withWip.stdout).toContain('Verifying a pact between Wip and Orders [pending] [WIP]');
    expect(withWip.code).toBe(0);
  }, 30_000);

  it('runs an official-CLI deployment script as `pact-broker`', async () => {
    const pactBroker = (...args: string[]) => runCli(args, { env, cwd: dir.path, binary: pactBrokerBin });
    expect((await pactBroker('create-environment', '--name', 'uat', '--display-name', 'UAT')).code).toBe(0);
    expect(
      (await pactBroker('publish', 'web-orders.json', '--consumer-app-version', '3.0.0', '--branch', 'main'))
        .code,
    ).toBe(0);
    expect(
      (
        await pactBroker(
          'can-i-deploy',
          ...orders5,
          '--to-environment',
          'uat',
          // the official CLI's HTTP options are accepted (and used) too
          '--retries',
          '2',
          '--custom-header',
          'X-Request-Source: ci',
        )
      ).code,
    ).toBe(0);
    expect((await pactBroker('record-deployment', ...orders5, '--environment', 'uat')).code).toBe(0);
    expect((await pactBroker('record-release', ...orders5, '--environment', 'uat')).code).toBe(0);
  }, 30_000);

  it('explains can-i-deploy mistakes', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['can-i-deploy', '--to-environment', 'production'], /needs --pacticipant NAME/],
      [['can-i-deploy', '-a', 'Web', '--to-environment', 'production'], /which version of Web\?/],
      [['can-i-deploy', '--version', '1', '-a', 'Web'], /--version must come after the --pacticipant/],
      // options read through events, not parsers: the message must still be printed, with its hint
      [
        ['can-i-deploy', '--latest', '-a', 'Web'],
        /COV_CLI_OPTIONS_INVALID: --latest must come after the --pacticipant it is about\n +→ Run the command with --help/,
      ],
      [
        ['can-i-deploy', '--main-branch', '-a', 'Web'],
        /COV_CLI_OPTIONS_INVALID: --main-branch must come after the --pacticipant/,
      ],
      [['can-i-deploy', '--tag', 'prod', '-a', 'Web'], /--tag must come after the --pacticipant/],
      [
        ['can-i-deploy', '-a', 'Web', '-e', '1.0.0', '--to-environment', 'nowhere'],
        /COV_CLI_ENVIRONMENT_NOT_FOUND: the broker has no environment 'nowhere'/,
      ],
      [['can-i-deploy', '-a', 'Web', '-e', '1.0.0', '--retry-while-unknown', 'many'], /give a whole number/],
      // a missing version: plain words, and a hint that fits any missing name or version
      [
        ['describe-version', '-a', 'Nope', '--latest'],
        /COV_BROKER_CLIENT_NOT_FOUND: the broker has no version of Nope; check the name and version, or publish it first\n +→ Check the names and versions/,
      ],
      [
        ['describe-version', '-a', 'Web', '--latest', 'nosuchtag'],
        /the broker has no version of Web tagged 'nosuchtag';/,
      ],
    ];
    await expectReadableFailures(cases, (args) => cli(...args));
  }, 30_000);
});
