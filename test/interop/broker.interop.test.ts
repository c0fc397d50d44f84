// The official Pact tools against Covenant's broker: the `pact-broker` CLI (@pact-foundation/pact-cli)
// and pact-js's Verifier (the Rust core) fetching pacts for verification and publishing results.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../../packages/broker/dist/index.js';

process.env.PACT_DO_NOT_TRACK = 'true';
const require = createRequire(import.meta.url);
const pactJs = require('@pact-foundation/pact') as typeof import('@pact-foundation/pact');
const cli = join(dirname(require.resolve('@pact-foundation/pact-cli/package.json')), 'bin', 'pact-broker.js');

const dir = mkdtempSync(join(tmpdir(), 'covenant-broker-interop-'));
let broker: RunningBroker;
const credentials = ['--broker-username', 'pactbroker', '--broker-password', 'pactbroker'];
const writer = `Basic ${Buffer.from('pactbroker:pactbroker').toString('base64')}`;
// Web 1.0.0, the version the pact below is published for, as the CLI's options name it
const web = ['--pacticipant', 'Web', '--version', '1.0.0'];
const canIDeployWebToProduction = ['can-i-deploy', ...web, '--to-environment', 'production'];

/** Runs the official CLI (asynchronously: the broker answers from this very process). */
function pactBroker(args: string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args, '--broker-base-url', broker.url, ...credentials], {
      env: { ...process.env, PACT_DO_NOT_TRACK: 'true', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      out += c;
    });
    child.on('exit', (status) => resolve({ status, out }));
  });
}

beforeAll(async () => {
  broker = await startBroker({
    port: 0,
    database: join(dir, 'broker.sqlite'),
    auth: { readWrite: { username: 'pactbroker', password: 'pactbroker' } },
  });
});
afterAll(async () => {
  await broker.close();
  rmSync(dir, { recursive: true, force: true });
});

const pact = {
  consumer: { name: 'Web' },
  provider: { name: 'Orders' },
  interactions: [
    {
      type: 'Synchronous/HTTP',
      description: 'list orders',
      providerStates: [{ name: 'orders exist' }],
      request: { method: 'GET', path: '/orders' },
      response: {
        status: 200,
        headers: { 'Content-Type': ['application/json'] },
        body: { content: [{ id: 1 }], contentType: 'application/json', encoded: false },
        matchingRules: { body: { $: { combine: 'AND', matchers: [{ match: 'type', min: 1 }] } } },
      },
    },
  ],
  metadata: { pactSpecification: { version: '4.0' } },
};

describe('the official pact-broker CLI against Covenant', () => {
  it('publishes a pact with a branch and tag', async () => {
    const file = join(dir, 'Web-Orders.json');
    writeFileSync(file, JSON.stringify(pact));
    const result = await pactBroker([
      'publish',
      file,
      '--consumer-app-version',
      '1.0.0',
      '--branch',
      'main',
      '--tag',
      'dev',
    ]);
    expect(result.status, result.out).toBe(0);
    expect(result.out).toContain('Created Web version 1.0.0 with branch main and tag dev');
  });

  it('describes the version and lists pacticipants', async () => {
    const described = await pactBroker(['describe-version', ...web, '--output', 'json']);
    expect(described.status, described.out).toBe(0);
    expect(described.out).toContain('1.0.0');
    const listed = await pactBroker(['list-pacticipants', '--output', 'json']);
    expect(listed.status, listed.out).toBe(0);
    expect(listed.out).toContain('Orders');
  });

  it('lists pacticipants as a table, and gets the pacts of a provider by branch', async () => {
    // the table reads each pacticipant's displayName (a panic when it was missing)
    const table = await pactBroker(['list-pacticipants']);
    expect(table.status, table.out).toBe(0);
    expect(table.out).toMatch(/"Web"\s*┆\s*"Web"/);
    // get-pacts follows pb:provider-pacts-with-branch and the other branch relations of the index
    const byBranch = await pactBroker(['get-pacts', '--provider', 'Orders', '--branch', 'main']);
    expect(byBranch.status, byBranch.out).toBe(0);
    expect(byBranch.out).toContain('Pact between Web (1.0.0) and Orders');
    const latest = await pactBroker(['get-pacts', '--provider', 'Orders', '--branch', 'main', '--latest']);
    expect(latest.status, latest.out).toBe(0);
    expect(latest.out).toContain('Pact between Web (1.0.0) and Orders');
    const ofConsumer = await pactBroker([
      'get-pacts',
      '--provider',
      'Orders',
      '--consumer',
      'Web',
      '--branch',
      'main',
      '--output',
      'json',
    ]);
    expect(ofConsumer.status, ofConsumer.out).toBe(0);
    // it reads the collection's pb:pacts links, as it does a provider's
    expect(JSON.parse(ofConsumer.out).pacts[0].title).toBe('Pact between Web (1.0.0) and Orders');
    const unknown = await pactBroker(['get-pacts', '--provider', 'Nobody', '--branch', 'main']);
    expect(unknown.status, unknown.out).not.toBe(0);
  });

  it("lists the provider states of the consumers' pacts", async () => {
    const states = await pactBroker(['provider-states', 'list', '--provider', 'Orders', '--branch', 'main']);
    expect(states.status, states.out).toBe(0);
    expect(states.out).toMatch(/orders exist\s*┆\s*Web/);
  });

  it('creates or updates a pacticipant and tags a version', async () => {
    const updated = await pactBroker([
      'create-or-update-pacticipant',
      '--name',
      'Orders',
      '--main-branch',
      'main',
      '--repository-url',
      'https://git.example/orders',
    ]);
    expect(updated.status, updated.out).toBe(0);
    const tagged = await pactBroker(['create-version-tag', ...web, '--tag', 'prod']);
    expect(tagged.status, tagged.out).toBe(0);
  });
});

describe('the official pact-broker CLI: environments, deployments and can-i-deploy', () => {
  it('creates an environment and answers can-i-deploy before and after a verification and a deployment', async () => {
    const created = await pactBroker([
      'create-environment',
      '--name',
      'production',
      '--display-name',
      'Production',
      '--production',
    ]);
    expect(created.status, created.out).toBe(0);
    const listed = await pactBroker(['list-environments', '--output', 'json']);
    expect(listed.status, listed.out).toBe(0);
    expect(listed.out).toContain('production');

    // nothing has verified Web 1.0.0 yet: not deployable (unknown)
    const before = await pactBroker(canIDeployWebToProduction);
    expect(before.status, before.out).not.toBe(0);
    expect(before.out).toMatch(/no|unknown|not/i);

    // Orders 3.2.1 verifies Web 1.0.0 successfully (through the broker's own API) and is deployed
    const auth = {
      Authorization: writer,
      Accept: 'application/hal+json',
      'Content-Type': 'application/json',
    };
    const pactResource = (await (
      await fetch(`${broker.url}/pacts/provider/Orders/consumer/Web/version/1.0.0`, { headers: auth })
    ).json()) as { _links: Record<string, { href: string }> };
    const published = await fetch(pactResource._links['pb:publish-verification-results']!.href, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ success: true, providerApplicationVersion: '3.2.1' }),
    });
    expect(published.status).toBe(201);
    const deployed = await pactBroker([
      'record-deployment',
      '--pacticipant',
      'Orders',
      '--version',
      '3.2.1',
      '--environment',
      'production',
    ]);
    expect(deployed.status, deployed.out).toBe(0);

    const after = await pactBroker(canIDeployWebToProduction);
    expect(after.status, after.out).toBe(0);
    expect(after.out).toMatch(/yes|deploy/i);
    const json = await pactBroker([...canIDeployWebToProduction, '--output', 'json']);
    expect(json.status, json.out).toBe(0);
    expect(json.out).toContain('"deployable":true');
  }, 60_000);
});

describe("pact-js's Verifier against Covenant", () => {
  let provider: http.Server;
  let providerUrl: string;
  beforeAll(async () => {
    provider = http.createServer((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify([{ id: 7 }, { id: 8 }]));
    });
    await new Promise<void>((r) => provider.listen(0, '127.0.0.1', () => r()));
    providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => provider.close(r));
  });

  it('fetches pacts for verification with selectors, pending and WIP, and publishes results', async () => {
    const verifier = new pactJs.Verifier({
      provider: 'Orders',
      providerBaseUrl: providerUrl,
      pactBrokerUrl: broker.url,
      pactBrokerUsername: 'pactbroker',
      pactBrokerPassword: 'pactbroker',
      consumerVersionSelectors: [{ mainBranch: true }, { tag: 'dev', latest: true }],
      enablePending: true,
      includeWipPactsSince: '2020-01-01',
      providerVersionBranch: 'main',
      publishVerificationResult: true,
      providerVersion: '3.2.1',
      stateHandlers: { 'orders exist': async () => undefined },
      logLevel: 'error',
    });
    await expect(verifier.verifyProvider()).resolves.toBeDefined();
    const response = await fetch(
      `${broker.url}/pacticipants/Web/versions/1.0.0/latest-verification-results`,
      { headers: { Accept: 'application/hal+json', Authorization: writer } },
    );
    expect(response.status).toBe(200);
    const result = (await response.json()) as { success: boolean; providerApplicationVersion: string };
    expect(result).toMatchObject({ success: true, providerApplicationVersion: '3.2.1' });
  }, 60_000);
});
