import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { BrokerClient, HalResource } from '@covenant/broker-client';
import { Command, Option } from 'commander';
import { type BrokerConnection, brokerClient, withBrokerOptions } from './broker-options.js';
import { cliError } from './errors.js';
import { colourEnabled, paint } from './output.js';
import { header } from './parsers.js';

/**
 * The webhook commands of the official `pact-broker` CLI: create-webhook, create-or-update-webhook,
 * delete-webhook, test-webhook and generate-uuid, with its flags.
 */

/** The event flags, in the official CLI's order, and the event each subscribes to. */
const EVENT_FLAGS = [
  ['contract-content-changed', 'contract_content_changed', 'when the pact content changes'],
  ['contract-published', 'contract_published', 'when a pact is published'],
  [
    'provider-verification-published',
    'provider_verification_published',
    'when a verification result is published',
  ],
  [
    'provider-verification-failed',
    'provider_verification_failed',
    'when a failed verification result is published',
  ],
  [
    'provider-verification-succeeded',
    'provider_verification_succeeded',
    'when a successful verification result is published',
  ],
  [
    'contract-requiring-verification-published',
    'contract_requiring_verification_published',
    'when a pact is published that a provider version (main branch, deployed or released) must verify',
  ],
] as const;

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

interface WebhookOptions extends BrokerConnection {
  request: string;
  header?: Record<string, string>;
  data?: string;
  user?: string;
  consumer?: string;
  consumerLabel?: string;
  provider?: string;
  providerLabel?: string;
  description?: string;
  teamUuid?: string;
  uuid?: string;
  [flag: string]: unknown;
}

function say(text: string): void {
  process.stdout.write(`${paint(colourEnabled()).green(text)}\n`);
}

/** `-d`: JSON becomes a JSON body, other text a text body; `@file` reads the file. */
function requestBody(data: string | undefined): unknown {
  if (data === undefined) return undefined;
  let text = data;
  if (data.startsWith('@')) {
    try {
      text = readFileSync(data.slice(1), 'utf8');
    } catch (error) {
      throw cliError(
        'COV_CLI_OPTIONS_INVALID',
        `cannot read the webhook body from ${data.slice(1)} (--data @file): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function side(role: 'consumer' | 'provider', name: string | undefined, label: string | undefined) {
  if (name !== undefined && label !== undefined)
    throw cliError('COV_CLI_OPTIONS_INVALID', `give --${role} or --${role}-label, not both`);
  if (name !== undefined) return { name };
  if (label !== undefined) return { label };
  return undefined;
}

/** The webhook body the broker's webhook resources take, from the command's options. */
export function webhookBody(url: string, opts: WebhookOptions): Record<string, unknown> {
  const events = EVENT_FLAGS.filter(([flag]) => opts[camel(flag)] === true).map(([, name]) => ({ name }));
  if (events.length === 0)
    throw cliError(
      'COV_CLI_OPTIONS_INVALID',
      `give at least one event: ${EVENT_FLAGS.map(([flag]) => `--${flag}`).join(', ')}`,
    );
  let credentials: { username?: string; password?: string } = {};
  if (opts.user !== undefined) {
    const colon = opts.user.indexOf(':');
    credentials =
      colon === -1
        ? { username: opts.user }
        : { username: opts.user.slice(0, colon), password: opts.user.slice(colon + 1) };
  }
  const body = requestBody(opts.data);
  const consumer = side('consumer', opts.consumer, opts.consumerLabel);
  const provider = side('provider', opts.provider, opts.providerLabel);
  return {
    ...(opts.description !== undefined ? { description: opts.description } : {}),
    ...(consumer ? { consumer } : {}),
    ...(provider ? { provider } : {}),
    events,
    request: {
      method: opts.request.toUpperCase(),
      url,
      ...(opts.header ? { headers: opts.header } : {}),
      ...(body !== undefined ? { body } : {}),
      ...credentials,
    },
  };
}

function webhookOptions(command: Command): Command {
  command
    .argument('<url>', 'the URL the webhook calls (may hold ${pactbroker.*} parameters, not in its host)')
    .addOption(new Option('-X, --request <method>', 'the HTTP method of the webhook request').default('POST'))
    .addOption(
      new Option(
        '-H, --header <header...>',
        "a header of the webhook request, 'Name: value' (several may follow one -H)",
      ).argParser((value: string, previous: Record<string, string> | undefined) =>
        header(value, previous ?? {}),
      ),
    )
    .option('-d, --data <data>', 'the request body: JSON, text, or @file to read it from a file')
    .option('--user <user:password>', 'basic auth credentials of the webhook request')
    .option('--consumer <name>', 'only for pacts of this consumer')
    .option('--consumer-label <label>', 'only for consumers with this label (instead of --consumer)')
    .option('--provider <name>', 'only for pacts with this provider')
    .option('--provider-label <label>', 'only for providers with this label (instead of --provider)')
    .option('--description <text>', 'a description of the webhook');
  for (const [flag, , when] of EVENT_FLAGS) command.option(`--${flag}`, `trigger the webhook ${when}`);
  command.addOption(new Option('--team-uuid <uuid>', 'PactFlow only; ignored').hideHelp());
  return withBrokerOptions(command);
}

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`;
}

const describe = (webhook: HalResource | undefined, fallback: string) =>
  typeof webhook?.description === 'string' && webhook.description !== '' ? webhook.description : fallback;

export function createWebhookCommand(): Command {
  const command = new Command('create-webhook')
    .summary('create a webhook')
    .description(
      'Create a webhook: an HTTP request the broker sends when pacts or verification results are published ' +
        '(to start a provider build, or to set a commit status). Give at least one event.',
    )
    .addHelpText(
      'after',
      examples(
        "covenant create-webhook 'https://ci.example.com/job/orders-verify/build' -X POST --provider Orders --contract-requiring-verification-published",
        'covenant create-webhook \'https://api.github.com/repos/acme/web/statuses/${pactbroker.consumerVersionNumber}\' -H \'Content-Type: application/json\' -H \'Authorization: token $GITHUB_TOKEN\' -d \'{"state":"${pactbroker.githubVerificationStatus}","context":"pact","target_url":"${pactbroker.verificationResultUrl}"}\' --consumer Web --provider-verification-published',
      ),
    );
  return webhookOptions(command).action(async (url: string, opts: WebhookOptions) => {
    const body = webhookBody(url, opts);
    const client = brokerClient(opts);
    const created = await client.request('POST', client.relation(await client.index(), 'pb:webhooks'), body);
    say(`Webhook "${describe(created, String(created?.uuid ?? url))}" created`);
  });
}

export function createOrUpdateWebhookCommand(): Command {
  const command = new Command('create-or-update-webhook')
    .summary('create a webhook with a given uuid, or replace it')
    .description(
      'Create the webhook with this uuid, or replace it: scripts can run this on every deploy of their CI ' +
        'configuration. `covenant generate-uuid` makes a uuid.',
    )
    .requiredOption('--uuid <uuid>', 'the webhook uuid (16 or more letters, digits, - and _)')
    .addHelpText(
      'after',
      examples(
        "covenant create-or-update-webhook 'https://ci.example.com/build' --uuid 8e49caaa-0498-4cc1-9368-325de0812c8a --provider Orders --contract-requiring-verification-published",
      ),
    );
  return webhookOptions(command).action(async (url: string, opts: WebhookOptions & { uuid: string }) => {
    const body = webhookBody(url, opts);
    const client = brokerClient(opts);
    const href = client.relation(await client.index(), 'pb:webhook', { uuid: opts.uuid });
    const existed = (await client.find(href)) !== undefined;
    const saved = await client.request('PUT', href, body);
    say(`Webhook "${describe(saved, opts.uuid)}" ${existed ? 'updated' : 'created'}`);
  });
}

async function webhookHref(client: BrokerClient, uuid: string): Promise<string> {
  return client.relation(await client.index(), 'pb:webhook', { uuid });
}

export function deleteWebhookCommand(): Command {
  const command = new Command('delete-webhook')
    .summary('delete a webhook')
    .description('Delete the webhook with this uuid.')
    .requiredOption('--uuid <uuid>', 'the uuid of the webhook to delete')
    .addHelpText('after', examples('covenant delete-webhook --uuid 8e49caaa-0498-4cc1-9368-325de0812c8a'));
  return withBrokerOptions(command).action(async (opts: BrokerConnection & { uuid: string }) => {
    const client = brokerClient(opts);
    await client.request('DELETE', await webhookHref(client, opts.uuid));
    say(`Webhook ${opts.uuid} deleted`);
  });
}

export function testWebhookCommand(): Command {
  const command = new Command('test-webhook')
    .summary('run a webhook now, against the latest matching pact')
    .description(
      "Run the webhook with this uuid now (its pb:execute), against the latest pact it matches, and print the broker's log of the request and response. Fails when the request does not succeed.",
    )
    .requiredOption('--uuid <uuid>', 'the uuid of the webhook to run')
    .addHelpText('after', examples('covenant test-webhook --uuid 8e49caaa-0498-4cc1-9368-325de0812c8a'));
  return withBrokerOptions(command).action(async (opts: BrokerConnection & { uuid: string }) => {
    const client = brokerClient(opts);
    const webhook = await client.request('GET', await webhookHref(client, opts.uuid));
    const result = await client.request<HalResource | undefined>(
      'POST',
      client.relation(webhook, 'pb:execute'),
      {},
    );
    const logs = typeof result?.logs === 'string' ? result.logs : JSON.stringify(result ?? {}, null, 2);
    process.stdout.write(`${logs}\n`);
    if (result?.success === false) process.exitCode = 1;
  });
}

export function generateUuidCommand(): Command {
  return new Command('generate-uuid')
    .summary('print a new uuid, for create-or-update-webhook')
    .description('Print a random uuid, to give create-or-update-webhook --uuid.')
    .addHelpText(
      'after',
      examples(
        'covenant create-or-update-webhook https://ci.example.com/build --uuid $(covenant generate-uuid) --contract-published',
      ),
    )
    .action(() => {
      process.stdout.write(`${randomUUID()}\n`);
    });
}
