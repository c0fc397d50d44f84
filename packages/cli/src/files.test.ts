import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import {
  cleanEnv,
  close,
  expectReadableFailures,
  hasScript,
  listen,
  pactJson,
  runCli,
  runOnTty,
  startCli,
  tempDir,
} from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** verify (from files), stub and pact validate/convert: commands that need no broker. */
const dir = tempDir();
let provider: Server;
let providerUrl: string;
const stateCalls: unknown[] = [];

const messagePact = {
  consumer: { name: 'Audit' },
  provider: { name: 'Orders' },
  messages: [
    {
      description: 'an order created event',
      providerStates: [{ name: 'an order exists' }],
      contents: { id: 1, status: 'created' },
      metadata: { contentType: 'application/json' },
      matchingRules: { body: { '$.id': { matchers: [{ match: 'integer' }] } } },
    },
  ],
  metadata: { pactSpecification: { version: '3.0.0' } },
};

beforeAll(async () => {
  provider = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (req.url === '/_pact/state') {
        stateCalls.push(JSON.parse(body));
        res.end('{}');
      } else if (req.url === '/_pact/message') {
        res.setHeader('Content-Type', 'application/json');
        res.setHeader(
          'Pact-Message-Metadata',
          Buffer.from(JSON.stringify({ contentType: 'application/json' })).toString('base64'),
        );
        res.end(JSON.stringify({ id: 42, status: 'created' }));
      } else {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ path: req.url }));
      }
    });
  });
  providerUrl = await listen(provider);
  writeFileSync(
    join(dir.path, 'web-orders.json'),
    JSON.stringify(pactJson('Web', 'Orders', ['/orders/1', '/orders/2'])),
  );
  const withState = pactJson('Admin', 'Orders', ['/orders/9']);
  (withState.interactions[0] as Record<string, unknown>).providerState = 'order 9 exists';
  writeFileSync(join(dir.path, 'admin-orders.json'), JSON.stringify(withState));
  writeFileSync(join(dir.path, 'audit-orders.json'), JSON.stringify(messagePact));
});
afterAll(async () => {
  await close(provider);
  dir.remove();
});

const cli = (...args: string[]) => runCli(args, { cwd: dir.path });

describe('covenant verify (pact files)', () => {
  it('verifies files, calling the state change URL, and infers the provider from them', async () => {
    const run = await cli(
      'verify',
      'web-orders.json',
      'admin-orders.json',
      '--provider-base-url',
      providerUrl,
      '--state-change-url',
      `${providerUrl}/_pact/state`,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Verifying a pact between Web and Orders');
    expect(run.stdout).toMatch(/Verification passed: 3 interactions: 3 passed/);
    expect(stateCalls).toContainEqual(expect.objectContaining({ state: 'order 9 exists', action: 'setup' }));
  }, 20_000);

  it('verifies the pacts of several providers with no --provider, and needs one to publish', async () => {
    writeFileSync(join(dir.path, 'web-users.json'), JSON.stringify(pactJson('Web', 'Users', ['/users/7'])));
    const run = await cli('verify', 'web-orders.json', 'web-users.json', '--provider-base-url', providerUrl);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Verifying a pact between Web and Orders');
    expect(run.stdout).toContain('Verifying a pact between Web and Users');
    expect(run.stdout).toMatch(/Verification passed: 3 interactions: 3 passed/);
    const publishing = await cli(
      'verify',
      'web-orders.json',
      'web-users.json',
      '--provider-base-url',
      providerUrl,
      '--publish',
      '--provider-version',
      '1',
    );
    expect(publishing.code).toBe(1);
    expect(publishing.stderr).toMatch(
      /^COV_CLI_OPTIONS_INVALID: which provider\? The pacts name Orders, Users, and results are published for one provider/,
    );
  }, 20_000);

  it('filters interactions and prints the result as JSON', async () => {
    const run = await cli(
      'verify',
      'web-orders.json',
      '--provider-base-url',
      providerUrl,
      '--filter-description',
      '.*/orders/2',
      '-o',
      'json',
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.summary).toMatchObject({ interactions: 1, passed: 1 });
    expect(result.pacts[0].interactions.map((i: { description: string }) => i.description)).toEqual([
      'a request for /orders/2',
    ]);
  }, 20_000);

  it('verifies messages through a message endpoint', async () => {
    const run = await cli(
      'verify',
      'audit-orders.json',
      '--message-url',
      `${providerUrl}/_pact/message`,
      '--provider',
      'Orders',
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/Verification passed: 1 interactions: 1 passed/);
    expect(run.code).toBe(0);
  }, 20_000);

  it('fails with exit status 1 when the provider does not honour the pact, and explains bad options', async () => {
    const wrong = JSON.parse(readFileSync(join(dir.path, 'web-orders.json'), 'utf8'));
    wrong.interactions[0].response.status = 201;
    writeFileSync(join(dir.path, 'wrong.json'), JSON.stringify(wrong));
    const failed = await cli('verify', 'wrong.json', '--provider-base-url', providerUrl);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('Expected status 201 but received 200');
    const cases: Array<[string[], RegExp]> = [
      [['verify', '--provider-base-url', providerUrl], /COV_CLI_OPTIONS_INVALID: no pacts to verify/],
      [['verify', 'web-orders.json'], /COV_CLI_OPTIONS_INVALID: where is the provider\?/],
      [
        ['verify', 'web-orders.json', '--provider-base-url', providerUrl, '--publish'],
        /--publish needs --provider-version/,
      ],
      [
        ['verify', 'web-orders.json', '--provider-base-url', providerUrl, '--reporter', 'tap'],
        /unknown reporter 'tap'/,
      ],
      [
        [
          'verify',
          'web-orders.json',
          '--provider-base-url',
          providerUrl,
          '--consumer-version-selectors',
          '{main',
        ],
        /not JSON/,
      ],
      [
        ['verify', 'nope.json', '--provider-base-url', providerUrl, '--provider', 'Orders'],
        /COV_VERIFIER_\w+/,
      ],
    ];
    await expectReadableFailures(cases, (args) => cli(...args));
  }, 30_000);
});

describe('covenant stub', () => {
  it('serves the interactions of pact files until SIGTERM', async () => {
    const stub = await startCli(['stub', 'web-orders.json', '--port', '0'], { cwd: dir.path });
    try {
      expect(stub.output()).toMatch(
        /Stub server listening on http:\/\/127\.0\.0\.1:\d+ \(2 interactions from 1 pact\)/,
      );
      const hit = await fetch(`${stub.url}/orders/2`);
      expect(hit.status).toBe(200);
      expect(await hit.json()).toEqual({ path: '/orders/2' });
      expect((await fetch(`${stub.url}/orders/3`)).status).toBe(500);
    } finally {
      expect(await stub.stop()).toBe(0);
    }
  }, 20_000);

  it('stops on SIGINT with status 130, and says to pick another port when its port is in use', async () => {
    const stub = await startCli(['stub', 'web-orders.json', '--port', '0'], { cwd: dir.path });
    try {
      const port = new URL(stub.url).port;
      const clash = await cli('stub', 'web-orders.json', '--port', port);
      expect(clash.code).toBe(1);
      expect(clash.stderr).toContain(
        `COV_CLI_STUB_LISTEN_FAILED: the stub server cannot listen on 127.0.0.1:${port}: the port is in use`,
      );
      expect(clash.stderr).toContain('Pass --port 0 for a free port');
      expect(clash.stderr).not.toContain('leave it unset');
    } finally {
      stub.child.kill('SIGINT');
      expect(await stub.exited).toBe(130);
      expect(stub.output()).toContain('SIGINT: stopping the stub server');
    }
  }, 20_000);

  it('refuses pacts without HTTP interactions and a bad port', async () => {
    const messagesOnly = await cli('stub', 'audit-orders.json', '--port', '0');
    expect(messagesOnly.code).toBe(1);
    expect(messagesOnly.stderr).toContain('COV_CONSUMER_STUB_START_FAILED');
    const badPort = await cli('stub', 'web-orders.json', '--port', 'x');
    // a stream that cannot be written ends the process with one line, not an uncaught exception
    const unwritable = await runCli(['--help'], { stdout: 'unwritable' });
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toMatch(/^covenant: cannot write to stdout: EBADF/);
    expect(unwritable.stderr).not.toContain('    at ');
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toContain('a port is a whole number');
  }, 20_000);
});

describe('covenant pact', () => {
  it('validates pact files, naming what is wrong in a bad one', async () => {
    writeFileSync(
      join(dir.path, 'bad.json'),
      JSON.stringify({
        consumer: { name: 'X' },
        provider: { name: 'Y' },
        interactions: [{ description: 'no request' }],
      }),
    );
    const good = await cli('pact', 'validate', 'web-orders.json', 'audit-orders.json');
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('valid   web-orders.json: Web → Orders, V3, 2 interactions');
    const bad = await cli('pact', 'validate', 'web-orders.json', 'bad.json', '-o', 'json');
    expect(bad.code).toBe(1);
    const reports = JSON.parse(bad.stdout);
    expect(reports[0]).toMatchObject({ file: 'web-orders.json', valid: true });
    expect(reports[1]).toMatchObject({
      file: 'bad.json',
      valid: false,
      code: expect.stringMatching(/^COV_CORE_/),
    });
  }, 20_000);

  it('converts between specification versions, to stdout or a directory', async () => {
    const v4 = await cli('pact', 'convert', '--to', 'v4', 'web-orders.json');
    expect(v4.code).toBe(0);
    const pact = JSON.parse(v4.stdout);
    expect(pact.metadata.pactSpecification.version).toBe('4.0');
    expect(pact.interactions[0].type).toBe('Synchronous/HTTP');
    const out = await cli(
      'pact',
      'convert',
      '--to',
      'v2',
      'web-orders.json',
      'admin-orders.json',
      '--out-dir',
      'v2',
    );
    expect(out.code).toBe(0);
    const v2 = JSON.parse(readFileSync(join(dir.path, 'v2', 'admin-orders.json'), 'utf8'));
    expect(v2.metadata.pactSpecification.version).toBe('2.0.0');
    expect(v2.interactions[0].providerState).toBe('order 9 exists');
    const messagesToV2 = await cli('pact', 'convert', '--to', 'v2', 'audit-orders.json');
    expect(messagesToV2.code).toBe(1);
    expect(messagesToV2.stderr).toMatch(/COV_CORE_\w+/);
    const many = await cli('pact', 'convert', '--to', 'v3', 'web-orders.json', 'admin-orders.json');
    expect(many.stderr).toContain('give --out-dir');
    const noVersion = await cli('pact', 'convert', 'web-orders.json');
    expect(noVersion.stderr).toContain("required option '--to <version>' not specified");
  }, 20_000);
});

describe('on a terminal', () => {
  it.skipIf(!hasScript)(
    'are used on a terminal, and neither with NO_COLOR nor in a pipe',
    async () => {
      const env = cleanEnv();
      delete env.NO_COLOR;
      const args = ['pact', 'validate', 'web-orders.json'];
      expect(await runOnTty(args, { env, cwd: dir.path })).toContain('\u001b[32mvalid\u001b[0m');
      expect(await runOnTty(args, { env: { ...env, NO_COLOR: '1' }, cwd: dir.path })).not.toContain(
        '\u001b[',
      );
      const piped = await runCli(args, { env, cwd: dir.path });
      expect(piped.stdout).toContain('valid');
      expect(piped.stdout).not.toContain('\u001b[');
    },
    20_000,
  );

  it.skipIf(!hasScript)(
    'verify counts interactions on a terminal when the console report is off',
    async () => {
      const args = ['verify', 'web-orders.json', '--provider-base-url', providerUrl, '-o', 'json'];
      expect(await runOnTty(args, { env: cleanEnv(), cwd: dir.path })).toContain(
        'Verified interactions: 2 Web',
      );
      const piped = await cli(...args);
      expect(piped.stderr).toBe('');
      expect(JSON.parse(piped.stdout).success).toBe(true);
    },
    20_000,
  );
});
