import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { cleanEnv, close, listen, pactJson, runCli, startTestBroker, tempDir } from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A pending pact whose verification failed: `covenant verify --enable-pending` passes the build and
 * publishes the failure; can-i-deploy still says no, and says the failure was pending.
 */
let broker: Awaited<ReturnType<typeof startTestBroker>>;
let provider: Server;
let providerUrl: string;
const dir = tempDir();
let env: Record<string, string>;

beforeAll(async () => {
  broker = await startTestBroker();
  env = cleanEnv({ PACT_BROKER_BASE_URL: broker.url });
  // a provider that breaks every request: the pact fails
  provider = createServer((_req, res) => {
    res.statusCode = 500;
    res.end();
  });
  providerUrl = await listen(provider);
  writeFileSync(join(dir.path, 'web-orders.json'), JSON.stringify(pactJson('Web', 'Orders', ['/orders/1'])));
}, 20_000);
afterAll(async () => {
  await close(provider);
  await broker.stop();
  dir.remove();
});

const cli = (...args: string[]) => runCli(args, { env, cwd: dir.path });

describe('can-i-deploy and pending verifications', () => {
  it('says no for a failure while the pact was pending, and says it was pending', async () => {
    expect((await cli('publish', 'web-orders.json', '-a', '1.0.0', '--branch', 'main')).code).toBe(0);
    const verified = await cli(
      'verify',
      '--provider',
      'Orders',
      '--provider-base-url',
      providerUrl,
      '--consumer-version-selectors',
      '{"branch":"main"}',
      '--enable-pending',
      '--publish',
      '--provider-version',
      '5.0.0',
      '--provider-branch',
      'main',
    );
    // the pending failure does not fail the provider's build
    expect(verified.code).toBe(0);

    const text = await cli('can-i-deploy', '-a', 'Web', '-e', '1.0.0', '-a', 'Orders', '-e', '5.0.0');
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('Computer says no');
    expect(text.stdout).toMatch(/Web +\| 1\.0\.0 +\| Orders +\| 5\.0\.0 +\| false \(pending\)/);
    expect(text.stdout).toMatch(/1\. http:\S+ \(failure, pending\)/);
    expect(text.stdout).toContain(
      "The verification for the pact between version 1.0.0 of Web and version 5.0.0 of Orders failed while the pact was pending (the provider's build passed, but the pact is not satisfied)",
    );

    const json = await cli(
      'can-i-deploy',
      '-a',
      'Web',
      '-e',
      '1.0.0',
      '-a',
      'Orders',
      '-e',
      '5.0.0',
      '-o',
      'json',
    );
    const answer = JSON.parse(json.stdout);
    expect(answer.summary).toMatchObject({ deployable: false, failed: 1 });
    expect(answer.summary.reason).toContain('failed while the pact was pending');
    expect(answer.matrix[0].verificationResult).toMatchObject({ success: false, pending: true });
  }, 30_000);
});
