// Bi-directional contract testing with the official CLI against Covenant's broker: PactFlow's
// `pactflow publish-provider-contract` publishes an OpenAPI document, the official `pact-broker`
// publishes pacts, and its `can-i-deploy` answers through the broker's comparisons.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../../packages/broker/dist/index.js';
import {
  createTestDatabase,
  type DatabaseKind,
  databaseKinds,
  type TestDatabase,
} from '../../packages/test-support/dist/index.js';

process.env.PACT_DO_NOT_TRACK = 'true';
const require = createRequire(import.meta.url);
const bin = join(dirname(require.resolve('@pact-foundation/pact-cli/package.json')), 'bin');

/** Runs an official CLI (asynchronously: the broker answers from this very process). */
function official(
  tool: 'pactflow' | 'pact-broker',
  broker: RunningBroker,
  args: string[],
): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        join(bin, `${tool}.js`),
        ...args,
        '--broker-base-url',
        broker.url,
        '--broker-username',
        'pactbroker',
        '--broker-password',
        'pactbroker',
      ],
      {
        env: { ...process.env, PACT_DO_NOT_TRACK: 'true', NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
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

const openapi = `openapi: 3.0.3
info: { title: Orders, version: 1.0.0 }
paths:
  /orders:
    get:
      responses:
        '200':
          description: the orders
          content:
            application/json:
              schema:
                type: array
                items:
                  type: object
                  properties: { id: { type: integer } }
`;

const pact = (version: string, body: unknown) => ({
  consumer: { name: 'Web' },
  provider: { name: 'Orders' },
  interactions: [
    {
      description: `list orders (${version})`,
      request: { method: 'GET', path: '/orders' },
      response: { status: 200, headers: { 'Content-Type': 'application/json' }, body },
    },
  ],
  metadata: { pactSpecification: { version: '2.0.0' } },
});

describe.each(databaseKinds())(
  'the official pactflow and pact-broker CLIs: provider contracts (%s)',
  (kind: DatabaseKind) => {
    const dir = mkdtempSync(join(tmpdir(), 'covenant-bdct-interop-'));
    let broker: RunningBroker;
    let database: TestDatabase;
    const run = (tool: 'pactflow' | 'pact-broker', args: string[]) => official(tool, broker, args);

    beforeAll(async () => {
      database = await createTestDatabase(kind);
      broker = await startBroker({
        port: 0,
        database: database.location,
        auth: { readWrite: { username: 'pactbroker', password: 'pactbroker' } },
      });
    });
    afterAll(async () => {
      await broker?.close();
      await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('publishes an OpenAPI document with its self-verification, printing the notices', async () => {
      const spec = join(dir, 'openapi.yaml');
      const report = join(dir, 'report.txt');
      writeFileSync(spec, openapi);
      writeFileSync(report, 'all 3 schemathesis checks passed\n');
      const published = await run('pactflow', [
        'publish-provider-contract',
        spec,
        '--provider',
        'Orders',
        '--provider-app-version',
        '1.0.0',
        '--branch',
        'main',
        '--content-type',
        'application/yaml',
        '--verification-exit-code',
        '0',
        '--verification-results',
        report,
        '--verification-results-content-type',
        'text/plain',
        '--verifier',
        'schemathesis',
      ]);
      expect(published.status, published.out).toBe(0);
      expect(published.out).not.toContain('Failed to process response notices');
      expect(published.out).toContain('Created Orders version 1.0.0 with branch main');
      expect(published.out).toContain('Provider contract (OpenAPI) published for Orders version 1.0.0');
      const contract = await fetch(`${broker.url}/provider-contracts/provider/Orders/version/1.0.0`, {
        headers: { authorization: `Basic ${Buffer.from('pactbroker:pactbroker').toString('base64')}` },
      });
      expect(contract.status).toBe(200);
      const json = (await contract.json()) as {
        content: string;
        selfVerificationResults: { success: boolean; verifier: string };
      };
      expect(json.content).toBe(openapi);
      expect(json.selfVerificationResults).toMatchObject({ success: true, verifier: 'schemathesis' });
    });

    it("answers can-i-deploy through the comparison: yes for a compatible pact, no for one the spec doesn't allow", async () => {
      const main = await run('pact-broker', [
        'create-or-update-pacticipant',
        '--name',
        'Orders',
        '--main-branch',
        'main',
      ]);
      expect(main.status, main.out).toBe(0);
      // re-published now that main is the main branch, so the contract is the main branch's latest
      const compatible = join(dir, 'compatible.json');
      writeFileSync(compatible, JSON.stringify(pact('1', [{ id: 1 }])));
      const first = await run('pact-broker', [
        'publish',
        compatible,
        '--consumer-app-version',
        '1',
        '--branch',
        'main',
      ]);
      expect(first.status, first.out).toBe(0);
      const incompatible = join(dir, 'incompatible.json');
      writeFileSync(incompatible, JSON.stringify(pact('2', [{ id: 'one', name: 'x' }])));
      const second = await run('pact-broker', [
        'publish',
        incompatible,
        '--consumer-app-version',
        '2',
        '--branch',
        'main',
      ]);
      expect(second.status, second.out).toBe(0);

      const yes = await run('pact-broker', [
        'can-i-deploy',
        '--pacticipant',
        'Web',
        '--version',
        '1',
        '--pacticipant',
        'Orders',
        '--version',
        '1.0.0',
      ]);
      expect(yes.status, yes.out).toBe(0);
      expect(yes.out).toMatch(/Computer says yes/);
      const no = await run('pact-broker', [
        'can-i-deploy',
        '--pacticipant',
        'Web',
        '--version',
        '2',
        '--pacticipant',
        'Orders',
        '--version',
        '1.0.0',
      ]);
      expect(no.status, no.out).toBe(1);
      expect(no.out).toMatch(/Computer says no/);
    });
  },
);
