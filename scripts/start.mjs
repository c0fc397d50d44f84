#!/usr/bin/env node
// `npm start`: the project's main job, the seed's whole flow through Covenant. It starts the Pact
// Broker (SQLite by default), runs the consumer examples' contract tests (HTTP and message) and
// publishes their pacts, verifies the providers against the broker and publishes the results,
// records deployments to a `production` environment with can-i-deploy asked first, then leaves the
// broker running. A webhook registered on the broker (contract_requiring_verification_published and
// contract_content_changed) calls a small receiver on 127.0.0.1, standing in for the provider's build,
// and each call it receives is printed.
//
//   node scripts/start.mjs [--port 9292] [--database <file or postgres:// URL>] [--exit]
//
// PACT_BROKER_PORT and PACT_BROKER_DATABASE_URL set the same; START_EXIT=1 (or --exit) stops the
// broker and exits when the job is done, with status 1 when a step failed (for tests and CI).
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startBroker } from '@covenant/broker';
import { BrokerClient } from '@covenant/broker-client';
import { main as covenant } from '@covenant/cli';
import { startVitest } from 'vitest/node';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const credentials = { username: 'pactbroker', password: 'pactbroker' };
const usage = 'usage: npm start -- [--port <port>] [--database <file or postgres:// URL>] [--exit]';

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

let options;
try {
  options = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PACT_BROKER_PORT ?? '9292' },
      database: {
        type: 'string',
        default: process.env.PACT_BROKER_DATABASE_URL ?? join(root, 'pact_broker.sqlite'),
      },
      exit: { type: 'boolean', default: ['1', 'true'].includes(process.env.START_EXIT ?? '') },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (error) {
  fail(`${error.message}\n${usage}`);
}
if (options.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const port = Number(options.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port ${options.port}: a port is a whole number from 0 to 65535`);
process.env.PACT_DO_NOT_TRACK ??= 'true';

const color = process.stdout.isTTY ? (code, text) => `\x1b[${code}m${text}\x1b[0m` : (_code, text) => text;
let stepNumber = 0;
const step = (title) => process.stdout.write(`\n${color('1;36', `==> ${++stepNumber}. ${title}`)}\n`);
const say = (line) => process.stdout.write(`    ${line}\n`);

/** The version every application publishes in this run: the commit, marked when the tree has changes. */
function applicationVersion() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'examples'], {
      cwd: root,
      encoding: 'utf8',
    });
    return dirty.trim() ? `${commit}+local` : commit;
  } catch {
    return '1.0.0';
  }
}

/** Runs one example's tests in this process (Vitest), with the environment it reads. */
async function runExample(folder, env) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    // Vitest reports failures (tests, files, unhandled errors, no tests found) through process.exitCode
    process.exitCode = undefined;
    const vitest = await startVitest('test', [], {
      run: true,
      watch: false,
      root: join(root, 'examples', folder),
    });
    await vitest?.close();
    const failed = !vitest || (process.exitCode ?? 0) !== 0;
    process.exitCode = undefined;
    if (failed) throw new Error(`the ${folder} example's tests failed (see above)`);
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

step(`Starting the Pact Broker (database: ${options.database})`);
// webhooks may call the local receiver below: loopback over http (the broker refuses both by default)
process.env.PACT_BROKER_WEBHOOK_HOST_WHITELIST ??= '127.0.0.1';
process.env.PACT_BROKER_WEBHOOK_SCHEME_WHITELIST ??= 'http https';
let broker;
try {
  broker = await startBroker({
    port,
    host: '127.0.0.1',
    database: options.database,
    auth: { readWrite: credentials, publicRead: true },
    seedExampleData: true,
  });
} catch (error) {
  // the broker's errors say what was wrong and what to do (e.g. the port is in use: choose another)
  fail(`The broker did not start: ${error instanceof Error ? error.message : String(error)}`);
}
const url = broker.url.replace('://127.0.0.1:', '://localhost:');
say(`listening on ${url}`);

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${signal ? `${signal}: ` : ''}stopping the broker\n`);
  await broker.close();
}
process.once('SIGINT', () => void stop('SIGINT').then(() => process.exit(0)));
process.once('SIGTERM', () => void stop('SIGTERM').then(() => process.exit(0)));

/**
 * The provider's build, as the webhook sees it: a receiver on 127.0.0.1 that prints each call. In a
 * real set-up the webhook's URL is the CI server's "run the provider's verification" endpoint.
 */
const webhookCalls = [];
const receiver = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => {
    body += chunk;
  });
  request.on('end', () => {
    try {
      const call = JSON.parse(body);
      webhookCalls.push(call);
      say(
        color(
          '35',
          `webhook fired: ${call.eventName} for ${call.consumerName} ${call.consumerVersionNumber} → ${call.providerName}` +
            (call.providerVersionNumber
              ? ` (verify with provider version ${call.providerVersionNumber}: ${call.providerVersionDescriptions})`
              : ''),
        ),
      );
    } catch {
      say(color('35', 'webhook fired (a body that is not JSON)'));
    }
    response.end('build queued');
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
receiver.unref();
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/provider-build`;
await new BrokerClient({ baseUrl: broker.url, ...credentials }).request(
  'PUT',
  '/webhooks/covenant-npm-start-provider-build',
  {
    description: 'npm start: run the provider build when a pact needs verifying',
    events: [{ name: 'contract_requiring_verification_published' }, { name: 'contract_content_changed' }],
    request: {
      method: 'POST',
      url: receiverUrl,
      headers: { 'Content-Type': 'application/json' },
      body: {
        eventName: '${pactbroker.eventName}',
        consumerName: '${pactbroker.consumerName}',
        consumerVersionNumber: '${pactbroker.consumerVersionNumber}',
        providerName: '${pactbroker.providerName}',
        providerVersionNumber: '${pactbroker.providerVersionNumber}',
        providerVersionDescriptions: '${pactbroker.providerVersionDescriptions}',
        pactUrl: '${pactbroker.pactUrl}',
      },
    },
  },
);
say(`webhook registered: contract_requiring_verification_published → ${receiverUrl}`);

const version = applicationVersion();
const expressVersion = `${version}-express`;
const fastifyVersion = `${version}-fastify`;
const openapiVersion = `${version}-openapi`;
const brokerEnv = {
  PACT_BROKER_BASE_URL: broker.url,
  PACT_BROKER_USERNAME: credentials.username,
  PACT_BROKER_PASSWORD: credentials.password,
  PACT_BRANCH: 'main',
};
const client = new BrokerClient({ baseUrl: broker.url, ...credentials });

/**
 * Runs a `covenant` command in this process, showing it as a person would type it; true when it
 * succeeded (for can-i-deploy: when the version may be deployed).
 */
async function runCovenant(args) {
  say(color('2', `$ npx covenant ${args.map((a) => (/[\s+]/.test(a) ? `'${a}'` : a)).join(' ')}`));
  process.exitCode = undefined;
  await covenant(['node', 'covenant', ...args]);
  const succeeded = (process.exitCode ?? 0) === 0;
  process.exitCode = undefined;
  return succeeded;
}

let failure;
try {
  step(`Consumer contract tests, pacts published as version ${version}`);
  await runExample('consumer', { ...brokerEnv, PUBLISH_PACT: version });

  step(`UserService on Express verified against the broker, results published as ${expressVersion}`);
  await runExample('express-provider', { ...brokerEnv, PUBLISH_RESULTS: expressVersion });

  step(`UserService on Fastify verified against the broker, results published as ${fastifyVersion}`);
  await runExample('fastify-provider', { ...brokerEnv, PUBLISH_RESULTS: fastifyVersion });

  step(`Message contracts: DetectContentLambda's pact published as ${version}, ContentProvider verified`);
  await runExample('message', { ...brokerEnv, PUBLISH_PACT: version, PUBLISH_RESULTS: version });

  step(
    `Bi-directional: ProductService publishes its OpenAPI document as ${openapiVersion}, compared with ProductWeb's pact`,
  );
  await runExample('openapi-provider', {
    ...brokerEnv,
    PUBLISH_PACT: version,
    PUBLISH_RESULTS: openapiVersion,
  });

  step('Can I deploy to production? Each application asked, and recorded as deployed when it may');
  process.env.PACT_BROKER_BASE_URL = broker.url;
  process.env.PACT_BROKER_USERNAME = credentials.username;
  process.env.PACT_BROKER_PASSWORD = credentials.password;
  const environments = await client.request('GET', '/environments?name=production');
  if (!environments._embedded?.environments?.length) {
    if (!(await runCovenant(['create-environment', '--name', 'production', '--production'])))
      throw new Error('the production environment could not be created (see above)');
  }
  // providers first: a consumer may deploy when the provider versions in production honour its pact
  const applications = [
    { name: 'UserService', version: fastifyVersion, deploy: true },
    { name: 'UserService', version: expressVersion, deploy: false },
    { name: 'ContentProvider', version, deploy: true },
    { name: 'ProductService', version: openapiVersion, deploy: true },
    { name: 'UserServiceClient', version, deploy: true },
    { name: 'DetectContentLambda', version, deploy: true },
    { name: 'ProductWeb', version, deploy: true },
  ];
  for (const application of applications) {
    const target = ['--pacticipant', application.name, '--version', application.version];
    const deployable = await runCovenant(['can-i-deploy', ...target, '--to-environment', 'production']);
    if (deployable && application.deploy) {
      if (!(await runCovenant(['record-deployment', ...target, '--environment', 'production'])))
        throw new Error(`the deployment of ${application.name} could not be recorded (see above)`);
    }
  }
} catch (error) {
  failure = error;
  process.stdout.write(
    `\n${color('31', `The job stopped: ${error instanceof Error ? error.message : String(error)}`)}\n`,
  );
}

step('Webhooks: what the broker called the provider build for');
// deliveries start when a publish commits; give the last ones a moment to land
for (let waited = 0; waited < 1000 && webhookCalls.length === 0; waited += 50)
  await new Promise((resolve) => setTimeout(resolve, 50));
if (webhookCalls.length === 0)
  say(
    'no webhook fired: no pact content was new to its provider in this run (the versions were published before)',
  );
else
  say(
    `${webhookCalls.length} webhook call${webhookCalls.length === 1 ? '' : 's'} received (listed above as they came)`,
  );

if (options.exit) {
  await stop();
  process.exit(failure ? 1 : 0);
}
process.stdout.write(
  `\n${color('1;32', `The Pact Broker is running at ${url}`)}\n` +
    `    open it in a browser: Example App/Example API and the examples' pacts with their verification status\n` +
    `    pages worth opening:\n` +
    `      ${url}/matrix/provider/UserService/consumer/UserServiceClient  which versions were verified against which\n` +
    `      ${url}/can-i-deploy?pacticipant=UserServiceClient&version=${encodeURIComponent(version)}&environment=production  the answer in words\n` +
    `      ${url}/pacts/provider/UserService/consumer/UserServiceClient/version/${encodeURIComponent(version)}/diff/previous-distinct  what changed, marked\n` +
    `      ${url}/matrix  the matrix of any versions, by pacticipant, branch, tag or environment\n` +
    `      ${url}/pacticipants/UserService/interactions  every interaction UserService takes part in\n` +
    `      ${url}/hal-browser  the API itself, browsable, with /doc pages for its relations\n` +
    `    reads are public; writes need ${credentials.username}/${credentials.password}\n` +
    `    Ctrl-C stops it\n`,
);
