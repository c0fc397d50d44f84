// The packages as a team gets them from the registry: each published package packed by name, the
// tarballs installed with one `npm install` into fresh projects outside the repo, and used there as
// the README says — the examples' tests, the broker, publish, can-i-deploy and deployments, the
// typings under strict settings, source maps, and no native module where none belongs. The broker
// (which compiles SQLite, about a minute here) is installed once.
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, no declarations
import { publishedPackageDirs } from '../../scripts/package-metadata.mjs';

const root = join(import.meta.dirname, '..', '..');
const dirs: string[] = publishedPackageDirs();
const consumerSide = [
  '@covenant/core',
  '@covenant/consumer',
  '@covenant/verifier',
  '@covenant/broker-client',
];
const started = Date.now();
const timings: Record<string, number> = {};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; never throws (the caller asserts on the status and output). */
function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<Run> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: { ...cleanEnv(), ...options.env },
        maxBuffer: 64 * 1024 * 1024,
        shell: false,
      },
      (error, stdout, stderr) =>
        done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** process.env without npm's, CI's and Pact's variables (the test runs under `npm test`). */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env))
    if (value !== undefined && !/^(npm_|PACT_|CI$|GITHUB_|INIT_CWD)/i.test(key)) env[key] = value;
  return {
    ...env,
    PACT_DO_NOT_TRACK: 'true',
    NO_COLOR: '1',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
}

async function timed<T>(name: string, work: () => Promise<T>): Promise<T> {
  const start = Date.now();
  try {
    return await work();
  } finally {
    timings[name] = Date.now() - start;
  }
}

interface Packed {
  name: string;
  filename: string;
  files: Array<{ path: string }>;
}

const work = mkdtempSync(join(tmpdir(), 'covenant-packaging-'));
const tarballs = join(work, 'tarballs');
const full = join(work, 'team'); // every package, the broker included
const light = join(work, 'ci-job'); // the consumer side and the CLI, no broker
let packed: Packed[] = [];
const tarball = (name: string) => join(tarballs, packed.find((p) => p.name === name)!.filename);
let fullInstall: Run;
let lightInstall: Run;

function writeJson(path: string, value: unknown) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** The packages and every @covenant package they depend on (the registry has none of them yet). */
function withOurDependencies(names: string[]): string[] {
  const all = new Set(names);
  for (const name of all) {
    const dir = dirs.find(
      (d) => JSON.parse(readFileSync(join(root, d, 'package.json'), 'utf8')).name === name,
    )!;
    const { dependencies = {} } = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    for (const dependency of Object.keys(dependencies))
      if (dependency.startsWith('@covenant/')) all.add(dependency);
  }
  return [...all];
}

/** The version the repo's own devDependencies use: the examples' tools, resolved from the npm cache. */
function repoVersion(name: string): string {
  return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/**
 * Where no prebuilt better-sqlite3 can be downloaded (as here), its install compiles SQLite: one to
 * ten minutes on a busy 2-core machine. The repo's own build of the same version, packed as the
 * prebuild that prebuild-install would have downloaded, stands in for the download; the install
 * still runs better-sqlite3's install script. COVENANT_PACKAGING_COMPILE_SQLITE=1 compiles instead.
 */
function sqlitePrebuild(): Record<string, string> {
  const sqlite = join(root, 'node_modules', 'better-sqlite3');
  if (
    process.env.COVENANT_PACKAGING_COMPILE_SQLITE ||
    !existsSync(join(sqlite, 'build/Release/better_sqlite3.node'))
  )
    return {};
  const prebuilds = join(work, 'prebuilds');
  const { version } = JSON.parse(readFileSync(join(sqlite, 'package.json'), 'utf8'));
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  if (!existsSync(join(prebuilds, name))) {
    mkdirSync(prebuilds, { recursive: true });
    execFileSync('tar', ['-czf', join(prebuilds, name), '-C', sqlite, 'build/Release/better_sqlite3.node']);
  }
  return { npm_config_better_sqlite3_local_prebuilds: prebuilds };
}

beforeAll(async () => {
  mkdirSync(tarballs, { recursive: true });
  // by name: --workspaces would also pack the private examples
  const pack = await timed('npm pack (with prepack builds)', () =>
    run('npm', ['pack', '--json', '--pack-destination', tarballs, ...dirs.flatMap((d) => ['-w', d])], {
      cwd: root,
    }),
  );
  expect(pack.code, pack.stdout + pack.stderr).toBe(0);
  packed = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Packed[];

  const devTools = ['vitest', 'typescript', '@types/node', 'express', '@types/express'];
  writeJson(join(full, 'package.json'), {
    name: 'a-team',
    private: true,
    type: 'module',
    dependencies: Object.fromEntries(packed.map((p) => [p.name, `file:${join(tarballs, p.filename)}`])),
    devDependencies: Object.fromEntries(devTools.map((name) => [name, repoVersion(name)])),
  });
  writeJson(join(light, 'package.json'), {
    name: 'a-ci-job',
    private: true,
    type: 'module',
    dependencies: Object.fromEntries(
      withOurDependencies([...consumerSide, '@covenant/cli']).map((name) => [name, `file:${tarball(name)}`]),
    ),
  });
  const install = (cwd: string) =>
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'warn'], {
      cwd,
      env: sqlitePrebuild(),
    });
  [fullInstall, lightInstall] = await Promise.all([
    timed('npm install, every package', () => install(full)),
    timed('npm install, consumer side and CLI', () => install(light)),
  ]);
  expect(fullInstall.code, fullInstall.stderr).toBe(0);
  expect(lightInstall.code, lightInstall.stderr).toBe(0);
}, 600_000);

afterAll(async () => {
  timings.total = Date.now() - started;
  process.stdout.write(
    `packaging test timings (s): ${Object.entries(timings)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`)
      .join('; ')}\n`,
  );
  if (!process.env.KEEP_PACKAGING_DIR) await rm(work, { recursive: true, force: true });
}, 120_000);

describe('the tarballs', () => {
  it('are one per published package', () => {
    expect(packed.map((p) => p.name).sort()).toEqual(
      dirs.map((d) => JSON.parse(readFileSync(join(root, d, 'package.json'), 'utf8')).name).sort(),
    );
  });

  it('hold a README and the LICENSE, no tests and no build info', () => {
    for (const { name, files } of packed) {
      const paths = files.map((f) => f.path);
      expect(paths, name).toContain('README.md');
      expect(paths, name).toContain('LICENSE');
      expect(
        paths.filter((p) => /\.test\.|test-support|\.tsbuildinfo$/.test(p)),
        name,
      ).toEqual([]);
    }
  });

  it('have source maps whose every source is in the tarball', () => {
    let maps = 0;
    for (const { name, files } of packed) {
      const paths = new Set(files.map((f) => f.path));
      const installed = join(full, 'node_modules', name);
      for (const map of [...paths].filter((p) => p.endsWith('.map'))) {
        maps++;
        const { sources } = JSON.parse(readFileSync(join(installed, map), 'utf8')) as { sources: string[] };
        for (const source of sources) {
          const target = relative(installed, resolve(installed, dirname(map), source));
          expect(paths.has(target), `${name}/${map} → ${source}`).toBe(true);
        }
      }
    }
    expect(maps).toBeGreaterThan(100);
  });

  it('install with no EBADENGINE (cookie@2 needs Node 22; the broker pins light-my-request to one that accepts 20)', () => {
    for (const output of [fullInstall, lightInstall]) expect(output.stderr).not.toMatch(/EBADENGINE/);
  });
});

/** Native modules under node_modules: compiled addons (*.node) and packages that build one (binding.gyp). */
function nativeModules(project: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.node') || entry.name === 'binding.gyp')
        found.push(relative(project, path));
    }
  };
  walk(join(project, 'node_modules'));
  return found;
}

describe('a CI job and the consumer side', () => {
  it('install no native module', () => {
    expect(nativeModules(light)).toEqual([]);
    expect(existsSync(join(light, 'node_modules', '@covenant', 'broker'))).toBe(false);
    // the full install has one, the broker's SQLite driver: the check can tell
    expect(nativeModules(full).some((p) => p.includes('better-sqlite3'))).toBe(true);
  });

  it('`covenant broker` without the broker says how to add it', async () => {
    const result = await run('npx', ['covenant', 'broker', '--port', '0'], { cwd: light });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('COV_CLI_BROKER_NOT_INSTALLED');
    expect(result.stderr).toContain('npm install @covenant/broker');
  });

  it('`npx @covenant/cli` and `npx -p @covenant/cli covenant` both run the CLI', async () => {
    const version = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')).version;
    expect((await run('npx', ['@covenant/cli', '--version'], { cwd: light })).stdout).toBe(`${version}\n`);
    expect((await run('npx', ['-p', '@covenant/cli', 'covenant', '--version'], { cwd: light })).stdout).toBe(
      `${version}\n`,
    );
  }, 60_000);
});

describe('a team using every package', () => {
  let broker: ChildProcess | undefined;
  let brokerUrl = '';

  beforeAll(() => {
    // the examples as a team would have them, their dependencies served by the project's install
    for (const example of ['consumer', 'express-provider', 'broker'])
      cpSync(join(root, 'examples', example), join(full, 'examples', example), {
        recursive: true,
        filter: (source) => !/node_modules|pacts|\.sqlite|dist/.test(relative(root, source)),
      });
    cpSync(join(root, 'examples', 'run-tests.mjs'), join(full, 'examples', 'run-tests.mjs'));
    cpSync(join(root, 'tsconfig.base.json'), join(full, 'tsconfig.base.json'));
    for (const example of ['consumer', 'express-provider', 'broker']) {
      const path = join(full, 'examples', example, 'package.json');
      const manifest = JSON.parse(readFileSync(path, 'utf8'));
      for (const name of Object.keys(manifest.dependencies ?? {}))
        if (name.startsWith('@covenant/')) manifest.dependencies[name] = `file:${tarball(name)}`;
      writeJson(path, manifest);
    }
  });
  afterAll(() => {
    if (broker?.pid) process.kill(-broker.pid, 'SIGTERM');
  });

  it("runs the consumer example's tests, then the provider's against the pact it wrote", async () => {
    const consumer = await timed('examples: consumer tests', () =>
      run('node', ['../run-tests.mjs'], { cwd: join(full, 'examples', 'consumer') }),
    );
    expect(consumer.code, consumer.stdout + consumer.stderr).toBe(0);
    expect(existsSync(join(full, 'examples/consumer/pacts/userserviceclient-userservice.json'))).toBe(true);
    const provider = await timed('examples: provider tests', () =>
      run('node', ['../run-tests.mjs'], { cwd: join(full, 'examples', 'express-provider') }),
    );
    expect(provider.code, provider.stdout + provider.stderr).toBe(0);
  }, 120_000);

  for (const [label, options] of [
    ['module nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }],
    ['moduleResolution bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ] as const) {
    it(`type-checks the example tests under strict, skipLibCheck false, ${label}`, async () => {
      const config = `tsconfig.${options.moduleResolution}.json`;
      writeJson(join(full, config), {
        compilerOptions: {
          ...options,
          target: 'es2022',
          lib: ['es2023'],
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          types: ['node'],
        },
        include: ['examples/*/src/**/*.ts', 'examples/*/test/**/*.ts'],
      });
      const result = await timed(`tsc ${label}`, () =>
        run('node', [join(full, 'node_modules/typescript/bin/tsc'), '-p', config], { cwd: full }),
      );
      expect(result.code, result.stdout + result.stderr).toBe(0);
    }, 120_000);
  }

  it('a failing call names source files that exist in its stack trace', async () => {
    writeFileSync(
      join(full, 'fail.mjs'),
      "import { readPact } from '@covenant/core';\ntry { readPact('{\"consumer\": 1}', 'bad.json'); } catch (e) { console.log(e.stack); }\n",
    );
    const result = await run('node', ['--enable-source-maps', 'fail.mjs'], { cwd: full });
    const files = [...result.stdout.matchAll(/\(?(\/[^\s():]+\.(?:ts|js|mjs)):\d+:\d+\)?/g)].map(
      (m) => m[1]!,
    );
    const ours = files.filter((f) => f.includes('node_modules/@covenant/core/'));
    expect(
      ours.some((f) => f.endsWith('.ts')),
      result.stdout,
    ).toBe(true);
    for (const file of ours) expect(existsSync(file), file).toBe(true);
  });

  it('starts `covenant broker`, publishes, records a deployment; can-i-deploy says no, then yes', async () => {
    broker = spawn(
      'npx',
      ['covenant', 'broker', '--port', '0', '--database', join(full, 'b.sqlite'), '--no-seed'],
      {
        cwd: full,
        env: cleanEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
        // its own process group: npx does not pass a signal on to the broker it starts
        detached: true,
      },
    );
    let output = '';
    broker.stdout?.on('data', (c) => (output += c));
    broker.stderr?.on('data', (c) => (output += c));
    const until = Date.now() + 30_000;
    while (!/listening on (\S+)/.test(output) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    brokerUrl = /listening on (\S+)/.exec(output)?.[1] ?? '';
    expect(brokerUrl, output).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const env = { PACT_BROKER_BASE_URL: brokerUrl };
    const cli = (...args: string[]) => run('npx', ['covenant', ...args], { cwd: full, env });

    const pacts = join(full, 'examples/consumer/pacts');
    expect((await cli('publish', pacts, '-a', 'c1', '--branch', 'main')).code).toBe(0);
    expect((await cli('create-environment', '--name', 'production', '--production')).code).toBe(0);
    const before = await cli(
      'can-i-deploy',
      '-a',
      'UserServiceClient',
      '-e',
      'c1',
      '--to-environment',
      'production',
    );
    expect(before.code, before.stdout + before.stderr).toBe(1);

    // the provider example verifies the broker's pacts and publishes its results
    const provider = await run('node', ['../run-tests.mjs', '--publish-results', 'p1'], {
      cwd: join(full, 'examples', 'express-provider'),
      env,
    });
    expect(provider.code, provider.stdout + provider.stderr).toBe(0);
    const deployed = await cli(
      'record-deployment',
      '-a',
      'UserService',
      '-e',
      'p1',
      '--environment',
      'production',
    );
    expect(deployed.code, deployed.stderr).toBe(0);
    const after = await cli(
      'can-i-deploy',
      '-a',
      'UserServiceClient',
      '-e',
      'c1',
      '--to-environment',
      'production',
    );
    expect(after.code, after.stdout + after.stderr).toBe(0);
    expect(
      (await cli('record-deployment', '-a', 'UserServiceClient', '-e', 'c1', '--environment', 'production'))
        .code,
    ).toBe(0);
  }, 180_000);

  it("runs the README's 'Use Covenant in your project' command blocks, the packages mapped to the tarballs", async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Use Covenant in your project'));
    const text = section.slice(0, section.indexOf('\n## ', 3));
    const lines = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.trim().split('\n'));
    expect(lines.filter((l) => l.startsWith('npm install')).length).toBe(4);
    const env = { PACT_BROKER_BASE_URL: brokerUrl, GIT_SHA: 'c2' };
    for (const line of lines) {
      const words = line
        .replace(/\$GIT_SHA|"\$GIT_SHA"/g, env.GIT_SHA)
        .split(/\s+/)
        .map((word) =>
          packed.some((p) => p.name === word) && line.startsWith('npm install') ? tarball(word) : word,
        );
      if (words[1] === 'covenant' && words[2] === 'broker') {
        // the broker host's line: on a free loopback port here, stopped once it listens
        const args = words
          .slice(1)
          .map((w, i, all) => (all[i - 1] === '--port' ? '0' : all[i - 1] === '--host' ? '127.0.0.1' : w));
        const child = spawn('npx', args, {
          cwd: full,
          env: cleanEnv(),
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
        });
        let output = '';
        child.stdout.on('data', (c) => (output += c));
        child.stderr.on('data', (c) => (output += c));
        const until = Date.now() + 30_000;
        while (!output.includes('listening on') && Date.now() < until)
          await new Promise((r) => setTimeout(r, 100));
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
        expect(output, line).toContain('listening on http://127.0.0.1:');
        continue;
      }
      const result = await run(words[0]!, words.slice(1), { cwd: full, env });
      expect(result.code, `${line}\n${result.stdout}${result.stderr}`).toBe(0);
    }
  }, 240_000);

  // The installed addon is built for the Node that ran `npm ci`; a run on another Node (CI's Node 24
  // step) loads a second build through COVENANT_SQLITE_NATIVE_BINDING, so there is nothing to name.
  it.skipIf(process.env.COVENANT_SQLITE_NATIVE_BINDING)(
    'a better-sqlite3 that does not load is named, with the Node.js it was built for and the fix',
    async () => {
      const start = (node: string) =>
        run(
          node,
          ['node_modules/@covenant/cli/bin/covenant.js', 'broker', '--port', '0', '--database', 'x.sqlite'],
          {
            cwd: full,
          },
        );
      // built for Node 20, run by Node 24 (the one CI installs for its Node 24 step), when it is here
      const node24 = join(tmpdir(), 'covenant-node24', 'node_modules', '.bin', 'node');
      if (existsSync(node24)) {
        const other = await start(node24);
        expect(other.code).toBe(1);
        expect(other.stderr).toContain('COV_BROKER_SQLITE_NOT_LOADED: better-sqlite3 cannot be loaded');
        expect(other.stderr).toContain(`built for another Node.js (ABI ${process.versions.modules}`);
        expect(other.stderr).toContain('npm rebuild better-sqlite3');
      }
      // never built: install scripts blocked
      const addon = join(full, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
      renameSync(addon, `${addon}.away`);
      try {
        const missing = await start('node');
        expect(missing.code).toBe(1);
        expect(missing.stderr).toContain('COV_BROKER_SQLITE_NOT_LOADED');
        expect(missing.stderr).toContain('its native part was never built');
        expect(missing.stderr).toContain('npm install-scripts approve better-sqlite3');
      } finally {
        renameSync(`${addon}.away`, addon);
      }
    },
    60_000,
  );

  it('`npm publish --dry-run` of each package: public access, no warning but the not-logged-in one', async () => {
    for (const dir of dirs) {
      // the prepack builds ran when the tarballs were packed above
      const result = await run('npm', ['publish', '--dry-run', '--ignore-scripts', '-w', dir], { cwd: root });
      expect(result.code, `${dir}: ${result.stdout}${result.stderr}`).toBe(0);
      const output = result.stdout + result.stderr;
      expect(output, dir).toMatch(/with tag latest and public access/);
      const warnings = output
        .split('\n')
        .filter((line) => line.startsWith('npm warn') && !/logged in/i.test(line));
      expect(warnings, dir).toEqual([]);
    }
  }, 300_000);
});
