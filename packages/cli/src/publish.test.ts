import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import {
  cleanEnv,
  expectReadableFailures,
  hasScript,
  pactBrokerBin,
  pactJson,
  runCli,
  runOnTty,
  startTestBroker,
  tempDir,
} from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
const dir = tempDir();

beforeAll(async () => {
  broker = await startTestBroker();
}, 20_000);
afterAll(async () => {
  await broker.stop();
  dir.remove();
});

/** A broker resource, loosely typed: the tests read a few fields from it. */
interface Resource {
  buildUrl?: string;
  interactions: Array<{ description: string; response: { status: number } }>;
  _embedded: { tags: Array<{ name: string }>; branchVersions: Array<{ name: string }> };
}

async function hal(path: string) {
  const response = await fetch(`${broker.url}${path}`, { headers: { Accept: 'application/hal+json' } });
  return { status: response.status, body: (await response.json()) as Resource };
}

function writePact(name: string, pact: object): string {
  const file = join(dir.path, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify(pact, null, 2));
  return file;
}

describe('covenant publish', () => {
  it('publishes files and directories under a version with branch, tags and build URL, printing the notices', async () => {
    writePact('pacts/web-orders.json', pactJson('Web', 'Orders'));
    writePact('pacts/web-users.json', pactJson('Web', 'Users'));
    const run = await runCli(
      [
        'publish',
        join(dir.path, 'pacts'),
        '--consumer-app-version',
        '1.0.0',
        '--branch',
        'main',
        '-t',
        'dev',
        '--tag',
        'rc,beta',
        '--build-url',
        'https://ci.example.com/1',
        '-b',
        broker.url,
      ],
      { cwd: dir.path },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Created Web version 1.0.0 with branch main');
    expect(run.stdout).toContain('/pacts/provider/Orders/consumer/Web/version/1.0.0');
    const version = await hal('/pacticipants/Web/versions/1.0.0');
    expect(version.body.buildUrl).toBe('https://ci.example.com/1');
    expect(version.body._embedded.tags.map((t: { name: string }) => t.name).sort()).toEqual([
      'beta',
      'dev',
      'rc',
    ]);
    expect((await hal('/pacts/provider/Users/consumer/Web/version/1.0.0')).status).toBe(200);
  }, 20_000);

  it('with -r, detects the version, branch and build URL from GitHub Actions variables; without, does not', async () => {
    const file = writePact('gh/mobile-orders.json', pactJson('Mobile', 'Orders'));
    const github = cleanEnv({
      PACT_BROKER_BASE_URL: broker.url,
      GITHUB_ACTIONS: 'true',
      GITHUB_SHA: 'a1b2c3d',
      GITHUB_REF: 'refs/heads/feat/x',
      GITHUB_REF_NAME: 'feat/x',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/mobile',
      GITHUB_RUN_ID: '77',
    });
    // as the official CLI: no detection unless asked for
    const undetected = await runCli(['publish', file, '--output', 'json'], { cwd: dir.path, env: github });
    expect(undetected.code).toBe(1);
    expect(undetected.stderr).toMatch(/COV_CLI_VERSION_UNKNOWN: .*-r \(--auto-detect-version-properties\)/);
    const given = await runCli(['publish', file, '-a', '0.0.1', '--output', 'json'], {
      cwd: dir.path,
      env: github,
    });
    expect(given.code).toBe(0);
    expect(JSON.parse(given.stdout).branch).toBeUndefined();
    const run = await runCli(['publish', file, '-r', '--output', 'json'], { cwd: dir.path, env: github });
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({
      version: 'a1b2c3d',
      branch: 'feat/x',
      buildUrl: 'https://github.com/acme/mobile/actions/runs/77',
    });
    expect(out.publications[0].consumer).toBe('Mobile');
    expect(out.publications[0].notices.length).toBeGreaterThan(0);
    const version = await hal('/pacticipants/Mobile/versions/a1b2c3d');
    expect(version.body._embedded.branchVersions.map((b: { name: string }) => b.name)).toEqual(['feat/x']);
  }, 20_000);

  it('detects the version and branch from git, and Jenkins GIT_BRANCH wins over git for the branch', async () => {
    const repo = join(dir.path, 'repo');
    mkdirSync(repo);
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: repo, env: cleanEnv({ HOME: dir.path }), encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'trunk');
    writePact('repo/pacts/cli-orders.json', pactJson('Cli', 'Orders'));
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'pacts');
    const sha = git('rev-parse', 'HEAD');
    const fromGit = await runCli(['publish', 'pacts', '-r', '-b', broker.url, '-o', 'json'], { cwd: repo });
    expect(fromGit.code).toBe(0);
    expect(JSON.parse(fromGit.stdout)).toMatchObject({ version: sha, branch: 'trunk' });
    const jenkins = await runCli(
      ['publish', 'pacts', '--auto-detect-version-properties', '-b', broker.url, '-o', 'json'],
      {
        cwd: repo,
        env: cleanEnv({ GIT_BRANCH: 'origin/release-2', BUILD_URL: 'https://jenkins.example.com/job/9/' }),
      },
    );
    expect(JSON.parse(jenkins.stdout)).toMatchObject({
      version: sha,
      branch: 'release-2',
      buildUrl: 'https://jenkins.example.com/job/9/',
    });
  }, 20_000);

  it('runs git once, and only for what is not given', async () => {
    // a git that logs its calls and names a commit and a branch
    const fake = join(dir.path, 'fake-git');
    mkdirSync(fake, { recursive: true });
    const log = join(fake, 'calls.log');
    writeFileSync(
      join(fake, 'git'),
      `#!/bin/sh\necho "$*" >> '${log}'\ncase "$*" in *abbrev-ref*) echo fake-branch ;; *) echo fakesha ;; esac\n`,
    );
    chmodSync(join(fake, 'git'), 0o755);
    const file = writePact('fake-git/faker-orders.json', pactJson('Faker', 'Orders'));
    const env = cleanEnv({ PATH: `${fake}${delimiter}${process.env.PATH ?? ''}` });
    const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
    const all = ['-a', '1', '--branch', 'b', '--build-url', 'https://ci.example.com/2'];
    const given = await runCli(['publish', file, '-r', '--tag-with-git-branch', ...all, '-b', broker.url], {
      env,
    });
    expect(given.code).toBe(0);
    expect(calls()).toEqual([]);
    const missing = await runCli(
      ['publish', file, '-r', '--tag-with-git-branch', '-o', 'json', '-b', broker.url],
      { env },
    );
    expect(missing.code).toBe(0);
    expect(JSON.parse(missing.stdout)).toMatchObject({
      version: 'fakesha',
      branch: 'fake-branch',
      tags: ['fake-branch'],
    });
    expect(calls()).toEqual(['rev-parse HEAD', 'rev-parse --abbrev-ref HEAD']);
  }, 20_000);

  it('expands quoted patterns in the paths', async () => {
    writePact('globbed/web-orders.json', pactJson('Globbed', 'Orders'));
    writePact('globbed/web-users.json', pactJson('Globbed', 'Users'));
    writePact('globbed/mob-users.json', pactJson('GlobbedMobile', 'Users'));
    writeFileSync(join(dir.path, 'globbed', 'notes.txt'), 'not a pact');
    const run = await runCli(['publish', 'globbed/web-*.json', '-a', '1', '-b', broker.url, '-o', 'json'], {
      cwd: dir.path,
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).publications[0].files).toEqual([
      join('globbed', 'web-orders.json'),
      join('globbed', 'web-users.json'),
    ]);
    const single = await runCli(['publish', 'globbed/m?b-*', '-a', '1', '-b', broker.url, '-o', 'json'], {
      cwd: dir.path,
    });
    expect(JSON.parse(single.stdout).publications[0].consumer).toBe('GlobbedMobile');
    const none = await runCli(['publish', 'globbed/*.pact', '-a', '1', '-b', broker.url], { cwd: dir.path });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('COV_CLI_PACT_FILES_NOT_FOUND: no files match globbed/*.pact');
    const inDirectory = await runCli(['publish', 'glob*/web-orders.json', '-a', '1', '-b', broker.url], {
      cwd: dir.path,
    });
    expect(inDirectory.stderr).toMatch(/COV_CLI_PACT_FILES_NOT_FOUND: .*file name only/);
  }, 20_000);

  it('merges interactions into a pact already published for the version with --merge', async () => {
    const first = writePact('merge/a.json', pactJson('Merger', 'Orders', ['/a', '/b']));
    const changed = pactJson('Merger', 'Orders', ['/b', '/c']);
    changed.interactions[0]!.response.status = 202;
    const second = writePact('merge/b.json', changed);
    expect((await runCli(['publish', first, '-a', '3', '-b', broker.url])).code).toBe(0);
    const conflict = await runCli(['publish', second, '-a', '3', '-b', broker.url]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/COV_BROKER_CLIENT_REQUEST_FAILED: .*409.*Cannot change the content/);
    expect((await runCli(['publish', second, '-a', '3', '--merge', '-b', broker.url])).code).toBe(0);
    const pact = await hal('/pacts/provider/Orders/consumer/Merger/version/3');
    expect(pact.body.interactions.map((i) => [i.description, i.response.status])).toEqual([
      ['a request for /a', 200],
      ['a request for /b', 202],
      ['a request for /c', 200],
    ]);
  }, 20_000);

  it('publishes two files of the same consumer and provider as one pact', async () => {
    writePact('split/part1.json', pactJson('Split', 'Orders', ['/one']));
    writePact('split/part2.json', pactJson('Split', 'Orders', ['/two']));
    const run = await runCli(['publish', 'split', '-a', '1', '-b', broker.url], { cwd: dir.path });
    expect(run.code).toBe(0);
    const pact = await hal('/pacts/provider/Orders/consumer/Split/version/1');
    expect(pact.body.interactions.map((i) => i.description).sort()).toEqual([
      'a request for /one',
      'a request for /two',
    ]);
  }, 20_000);

  it('works as `pact-broker publish` with the official flags and variables', async () => {
    const file = writePact('alias/ci-orders.json', pactJson('Ci', 'Orders'));
    const run = await runCli(
      ['publish', file, '--consumer-app-version', '9.9.9', '--branch', 'main', '--tag-with-git-branch'],
      { binary: pactBrokerBin, env: cleanEnv({ PACT_BROKER_BASE_URL: broker.url }) },
    );
    expect(run.code).toBe(0);
    const version = await hal('/pacticipants/Ci/versions/9.9.9');
    expect(version.body._embedded.tags.map((t: { name: string }) => t.name)).toEqual(['main']);
  }, 20_000);

  it.skipIf(!hasScript)(
    'shows progress on a terminal when publishing many files, and none in a pipe',
    async () => {
      for (const n of [1, 2, 3]) writePact(`many/c${n}-orders.json`, pactJson(`Many${n}`, 'Orders'));
      const args = ['publish', 'many', '-a', '1', '-b', broker.url];
      const onTty = await runOnTty(args, { env: cleanEnv(), cwd: dir.path });
      expect(onTty).toContain('Reading pact files 3/3');
      expect(onTty).toContain('Publishing 3/3 Many3');
      const piped = await runCli(args, { cwd: dir.path });
      expect(piped.code).toBe(0);
      expect(piped.stderr).toBe('');
      expect(piped.stdout).not.toContain('Publishing');
    },
    20_000,
  );

  it("refuses a publication over the broker's advertised body limit before sending any", async () => {
    const small = await startTestBroker(['--body-limit', '20000']);
    try {
      writePact('limit/a-small.json', pactJson('Small', 'Orders'));
      const paths = Array.from({ length: 200 }, (_, i) => `/things/${i}/${'x'.repeat(40)}`);
      writePact('limit/b-large.json', pactJson('Large', 'Orders', paths));
      const run = await runCli(['publish', join(dir.path, 'limit'), '-a', '1.0.0', '-b', small.url], {
        cwd: dir.path,
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /COV_BROKER_CLIENT_BODY_TOO_LARGE: the publication of one pact for Large 1\.0\.0 is \d+ bytes .* over the broker's limit of 20000 bytes: nothing was sent/,
      );
      expect(run.stderr).toContain('--body-limit');
      // the small publication, which fitted, was not sent either: nothing is half published
      const answer = await fetch(`${small.url}/pacticipants/Small`, {
        headers: { Accept: 'application/hal+json' },
      });
      expect(answer.status).toBe(404);
      // under the limit, it publishes
      const fits = await runCli(
        ['publish', join(dir.path, 'limit/a-small.json'), '-a', '1.0.0', '-b', small.url],
        {
          cwd: dir.path,
        },
      );
      expect(fits.code).toBe(0);
    } finally {
      await small.stop();
    }
  }, 30_000);

  it('says what is wrong, with a code and exit status 1, and no stack trace', async () => {
    const good = writePact('errors/ok.json', pactJson('E', 'Orders'));
    const bad = writePact('errors/bad.json', { consumer: { name: 'E' }, interactions: 'nope' });
    const cases: Array<[string[], RegExp, Record<string, string>?]> = [
      [['publish', good, '-b', broker.url], /COV_CLI_VERSION_UNKNOWN: no consumer version/],
      [
        ['publish', join(dir.path, 'missing.json'), '-a', '1', '-b', broker.url],
        /COV_CLI_PACT_FILES_NOT_FOUND: .*missing\.json does not exist/,
      ],
      [['publish', bad, '-a', '1', '-b', broker.url], /COV_CORE_\w+: .*bad\.json/],
      [['publish', good, '-a', '1'], /COV_CLI_OPTIONS_INVALID: no broker URL/],
      [['publish', good, '-a', '1', '-b', 'http://127.0.0.1:1'], /COV_BROKER_CLIENT_UNREACHABLE/],
      [['publish', good, '-a', '1', '-b', broker.url, '--bogus'], /unknown option '--bogus'/],
    ];
    await expectReadableFailures(cases, (args) => runCli(args, { cwd: dir.path }));
  }, 30_000);
});
