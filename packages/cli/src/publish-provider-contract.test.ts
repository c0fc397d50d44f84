import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pactFixture, runCli, startTestBroker, tempDir } from '@covenant/test-support';
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

const openapi = `openapi: 3.0.3
info: { title: Things, version: '1' }
paths:
  /things/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        '200':
          description: a thing
          content:
            application/json:
              schema: { type: object, properties: { path: { type: string } } }
`;

describe('covenant publish-provider-contract', () => {
  it('publishes the document with its self-verification; can-i-deploy then answers from the comparison', async () => {
    const spec = join(dir.path, 'openapi.yaml');
    const report = join(dir.path, 'report.txt');
    writeFileSync(spec, openapi);
    writeFileSync(report, '12 checks passed\n');
    const pactFile = join(dir.path, 'web-things.json');
    writeFileSync(
      pactFile,
      JSON.stringify(
        pactFixture({
          consumer: 'Web',
          provider: 'Things',
          spec: 3,
          interactions: [{ description: 'a thing', path: '/things/1', body: { path: '/things/1' } }],
        }),
      ),
    );
    const b = ['--broker-base-url', broker.url];
    const published = await runCli([
      'publish-provider-contract',
      spec,
      '--provider',
      'Things',
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
      ...b,
    ]);
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout).toContain('Provider contract (OpenAPI) published for Things version 1.0.0');
    const contract = (await (
      await fetch(`${broker.url}/provider-contracts/provider/Things/version/1.0.0`)
    ).json()) as { selfVerificationResults: { success: boolean; content: string } };
    expect(contract.selfVerificationResults).toMatchObject({ success: true, content: '12 checks passed\n' });

    expect((await runCli(['publish', pactFile, '-a', '1', ...b])).code).toBe(0);
    const yes = await runCli([
      'can-i-deploy',
      '--pacticipant',
      'Web',
      '--version',
      '1',
      '--pacticipant',
      'Things',
      '--version',
      '1.0.0',
      ...b,
    ]);
    expect(yes.code, yes.stdout + yes.stderr).toBe(0);
  });

  it('refuses a file that is not a provider contract before sending it, and a bad exit code', async () => {
    const notSpec = join(dir.path, 'not-a-spec.json');
    writeFileSync(notSpec, '{"hello": "world"}');
    const refused = await runCli([
      'publish-provider-contract',
      notSpec,
      '--provider',
      'Things',
      '-a',
      '2',
      '--broker-base-url',
      broker.url,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('COV_CONTRACTS_SPEC_INVALID');
    const spec = join(dir.path, 'openapi.yaml');
    const badCode = await runCli([
      'publish-provider-contract',
      spec,
      '--provider',
      'Things',
      '-a',
      '2',
      '--verification-exit-code',
      'zero',
      '--broker-base-url',
      broker.url,
    ]);
    expect(badCode.code).toBe(1);
    expect(badCode.stderr).toContain('--verification-exit-code must be a number');
  });
});
