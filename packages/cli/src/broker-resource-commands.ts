import type { BrokerClient, HalResource } from '@covenant/broker-client';
import { Command, Option } from 'commander';
import { type BrokerConnection, brokerClient, outputOption, withBrokerOptions } from './broker-options.js';
import { colourEnabled, paint, printJson, table } from './output.js';

/**
 * The official CLI's commands that read or delete one broker resource: pacticipants, the latest
 * pacts, a provider's pacts, an environment, a branch, a version's tag and a provider's states.
 * Each follows the index's relation, as the official CLI does.
 */

interface Output extends BrokerConnection {
  output: string;
}

type Json = Record<string, unknown>;

const examples = (...lines: string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`;
const say = (text: string) => process.stdout.write(`${paint(colourEnabled()).green(text)}\n`);
const text = (value: unknown) => (value === undefined || value === null ? '-' : String(value));
const list = (resource: HalResource, key: string) =>
  (((resource as Json)._embedded as Json | undefined)?.[key] ?? []) as Json[];

/** The resource at an index relation, filled in with `values`. */
async function follow(client: BrokerClient, rel: string, values: Record<string, string> = {}) {
  return client.request('GET', client.relation(await client.index(), rel, values));
}

/** A command with the broker options and `-o`, running `run` with a client. */
function resourceCommand<Options extends Json>(
  command: Command,
  formats: string[],
  run: (client: BrokerClient, opts: Options & Output) => Promise<void>,
): Command {
  if (formats.length > 0) command.addOption(outputOption(formats));
  return withBrokerOptions(command).action((opts: Options & Output) => run(brokerClient(opts), opts));
}

export function listPacticipantsCommand(): Command {
  return resourceCommand(
    new Command('list-pacticipants')
      .description('List the pacticipants (applications) the broker knows')
      .addHelpText('after', examples('covenant list-pacticipants', 'covenant list-pacticipants -o json')),
    ['text', 'table', 'json'],
    async (client, opts) => {
      const resource = await follow(client, 'pb:pacticipants');
      if (opts.output === 'json') return printJson(resource);
      const rows = list(resource, 'pacticipants').map((p) => [text(p.name), text(p.displayName)]);
      process.stdout.write(`${table(['NAME', 'DISPLAY NAME'], rows)}\n`);
    },
  );
}

export function describePacticipantCommand(): Command {
  return resourceCommand<{ name: string }>(
    new Command('describe-pacticipant')
      .description('Describe a pacticipant: its display name, main branch, repository and dates')
      .requiredOption('-n, --name <name>', 'the pacticipant')
      .addHelpText('after', examples('covenant describe-pacticipant --name Web')),
    ['text', 'json'],
    async (client, opts) => {
      const p = (await follow(client, 'pb:pacticipant', { pacticipant: opts.name })) as Json;
      if (opts.output === 'json') return printJson(p);
      process.stdout.write(
        [
          `Name: ${text(p.name)}`,
          `Display Name: ${text(p.displayName)}`,
          `Main Branch: ${text(p.mainBranch)}`,
          `Repo URL: ${text(p.repositoryUrl)}`,
          `Created: ${text(p.createdAt)}`,
          `Updated: ${text(p.updatedAt)}`,
        ].join('\n') + '\n',
      );
    },
  );
}

export function listLatestPactVersionsCommand(): Command {
  return resourceCommand(
    new Command('list-latest-pact-versions')
      .description('List the latest pact of every integration')
      .addHelpText('after', examples('covenant list-latest-pact-versions')),
    ['text', 'table', 'json'],
    async (client, opts) => {
      const resource = (await follow(client, 'pb:latest-pact-versions')) as Json;
      if (opts.output === 'json') return printJson(resource);
      const rows = ((resource.pacts ?? []) as Json[]).map((pact) => {
        const embedded = pact._embedded as {
          consumer: Json & { _embedded?: { version?: Json } };
          provider: Json;
        };
        return [
          text(embedded.consumer.name),
          text(embedded.consumer._embedded?.version?.number),
          text(embedded.provider.name),
          text(pact.createdAt),
        ];
      });
      process.stdout.write(`${table(['CONSUMER', 'CONSUMER_VERSION', 'PROVIDER', 'CREATED_AT'], rows)}\n`);
    },
  );
}

/** The index relation the official get-pacts follows for these filters. */
function pactsRelation(consumer: boolean, branch: boolean, latest: boolean): string {
  if (consumer)
    return branch
      ? latest
        ? 'pb:latest-branch-pact-versions'
        : 'pb:branch-pact-versions'
      : latest
        ? 'pb:latest-main-branch-pact-versions'
        : 'pb:main-branch-pact-versions';
  return branch
    ? latest
      ? 'pb:latest-provider-pacts-with-branch'
      : 'pb:provider-pacts-with-branch'
    : latest
      ? 'pb:latest-provider-pacts-with-main-branch'
      : 'pb:provider-pacts-with-main-branch';
}

export function getPactsCommand(): Command {
  return resourceCommand<{ provider: string; consumer?: string; branch?: string; latest?: boolean }>(
    new Command('get-pacts')
      .description(
        "List a provider's pacts from each consumer's main branch, or from a branch; --consumer narrows to one consumer",
      )
      .requiredOption('--provider <name>', 'the provider')
      .option('--consumer <name>', 'only this consumer')
      .option('--branch <name>', "the consumers' branch (default: each consumer's main branch)")
      .option('-l, --latest', 'only the latest pact of each consumer')
      .addHelpText(
        'after',
        examples(
          'covenant get-pacts --provider Orders',
          'covenant get-pacts --provider Orders --branch feat-x -l',
        ),
      ),
    ['text', 'table', 'json'],
    async (client, opts) => {
      const values: Record<string, string> = { provider: opts.provider };
      if (opts.consumer) values.consumer = opts.consumer;
      if (opts.branch) values.branch = opts.branch;
      const rel = pactsRelation(opts.consumer !== undefined, opts.branch !== undefined, opts.latest === true);
      const resource = (await follow(client, rel, values)) as Json;
      const links = resource._links as Json | undefined;
      const pacts = (links?.['pb:pacts'] ?? (links?.self ? [links.self] : [])) as Json[];
      if (opts.output === 'json') return printJson({ pacts });
      const rows = pacts.map((p) => [text(p.name), text(p.title), text(p.href)]);
      process.stdout.write(`${table(['CONSUMER', 'TITLE', 'LINK'], rows)}\n`);
    },
  );
}

export function describeEnvironmentCommand(): Command {
  return resourceCommand<{ uuid: string }>(
    new Command('describe-environment')
      .description('Describe an environment')
      .requiredOption('--uuid <uuid>', "the environment's uuid (see list-environments)")
      .addHelpText('after', examples('covenant describe-environment --uuid 2c1a…')),
    ['text', 'json'],
    async (client, opts) => {
      const e = (await follow(client, 'pb:environment', { uuid: opts.uuid })) as Json;
      if (opts.output === 'json') return printJson(e);
      process.stdout.write(
        [
          `UUID ${text(e.uuid)}`,
          `Name: ${text(e.name)}`,
          `Display Name: ${text(e.displayName)}`,
          `Production: ${text(e.production)}`,
          `Created At: ${text(e.createdAt)}`,
        ].join('\n') + '\n',
      );
    },
  );
}

export function deleteEnvironmentCommand(): Command {
  return resourceCommand<{ uuid: string }>(
    new Command('delete-environment')
      .description('Delete an environment (with the deployments and releases recorded in it)')
      .requiredOption('--uuid <uuid>', "the environment's uuid")
      .addHelpText('after', examples('covenant delete-environment --uuid 2c1a…')),
    [],
    async (client, opts) => {
      const href = client.relation(await client.index(), 'pb:environment', { uuid: opts.uuid });
      const environment = (await client.request('GET', href)) as Json;
      await client.request('DELETE', href);
      say(`Deleted environment ${text(environment.name)} (${opts.uuid}) from the Pact Broker.`);
    },
  );
}

export function deleteBranchCommand(): Command {
  return resourceCommand<{ pacticipant: string; branch: string; errorWhenNotFound: string }>(
    new Command('delete-branch')
      .description(
        "Delete a pacticipant's branch. Its versions, pacts and verifications stay, but its pacts are no longer selected by branch.",
      )
      .requiredOption('-a, --pacticipant <name>', 'the pacticipant')
      .requiredOption('--branch <name>', 'the branch')
      .addOption(
        new Option('--error-when-not-found [bool]', 'fail when the branch does not exist')
          .choices(['true', 'false'])
          .preset('true')
          .default('false'),
      )
      .addHelpText('after', examples('covenant delete-branch --pacticipant Web --branch feat-x')),
    [],
    async (client, opts) => {
      const href = client.relation(await client.index(), 'pb:pacticipant-branch', {
        pacticipant: opts.pacticipant,
        branch: opts.branch,
      });
      if ((await client.find(href)) === undefined && opts.errorWhenNotFound !== 'true') {
        say(`Branch ${opts.branch} of ${opts.pacticipant} does not exist: nothing to delete.`);
        return;
      }
      // a missing branch (with --error-when-not-found) fails with the broker's 404
      await client.request('DELETE', href);
      say(`Deleted branch ${opts.branch} of ${opts.pacticipant}.`);
    },
  );
}

export function deleteVersionTagCommand(): Command {
  return resourceCommand<{ pacticipant: string; version: string; tag: string }>(
    new Command('delete-version-tag')
      .description("Delete a tag from a pacticipant's version")
      .requiredOption('-a, --pacticipant <name>', 'the pacticipant')
      .requiredOption('-e, --version <version>', 'the version')
      .requiredOption('-t, --tag <tag>', 'the tag')
      .addHelpText('after', examples('covenant delete-version-tag -a Web -e 1.2.0 -t prod')),
    [],
    async (client, opts) => {
      const href = client.relation(await client.index(), 'pb:pacticipant-version-tag', {
        pacticipant: opts.pacticipant,
        version: opts.version,
        tag: opts.tag,
      });
      await client.request('DELETE', href);
      say(`Deleted tag ${opts.tag} from version ${opts.version} of ${opts.pacticipant}.`);
    },
  );
}

export function createOrUpdateVersionCommand(): Command {
  return resourceCommand<{ pacticipant: string; version: string; branch?: string; tag: string[] }>(
    new Command('create-or-update-version')
      .description('Create a pacticipant version, or add a branch or tags to an existing one')
      .requiredOption('-a, --pacticipant <name>', 'the pacticipant')
      .requiredOption('-e, --version <version>', 'the version')
      .option('--branch <name>', 'put the version on this branch')
      .option('-t, --tag <tag>', 'tag the version (repeatable)', (v: string, p: string[]) => [...p, v], [])
      .addHelpText('after', examples('covenant create-or-update-version -a Web -e 1.2.0 --branch main')),
    ['text', 'json'],
    async (client, opts) => {
      const index = await client.index();
      const values = { pacticipant: opts.pacticipant, version: opts.version };
      const href = client.relation(index, 'pb:pacticipant-version', values);
      if (opts.tag.length > 0) await client.request('PATCH', href, { tags: opts.tag });
      else await client.request('PATCH', href, {});
      if (opts.branch)
        await client.request(
          'PUT',
          client.relation(index, 'pb:pacticipant-branch-version', { ...values, branch: opts.branch }),
          {},
        );
      const version = await client.request('GET', href);
      if (opts.output === 'json') return printJson(version);
      say(
        `Created or updated ${opts.pacticipant} version ${opts.version}${opts.branch ? ` on branch ${opts.branch}` : ''}${
          opts.tag.length > 0 ? ` with tags ${opts.tag.join(', ')}` : ''
        }.`,
      );
    },
  );
}

export function providerStatesCommand(): Command {
  const listStates = resourceCommand<{
    provider: string;
    branch?: string;
    environment?: string;
    json?: boolean;
  }>(
    new Command('list')
      .description("List the provider states the latest pacts of a provider's consumers name")
      .requiredOption('--provider <name>', 'the provider')
      .option('--branch <name>', "the consumers' branch (default: each consumer's main branch)")
      .option('--environment <name>', 'the consumer versions deployed or released in this environment')
      .option('--json', 'print JSON')
      .addHelpText('after', examples('covenant provider-states list --provider Orders')),
    [],
    async (client, opts) => {
      const base = `${client.baseUrl}/pacts/provider/${encodeURIComponent(opts.provider)}/provider-states`;
      const scope = opts.branch
        ? `/branch/${encodeURIComponent(opts.branch)}`
        : opts.environment
          ? `/environment/${encodeURIComponent(opts.environment)}`
          : '';
      const resource = (await client.request('GET', base + scope)) as Json;
      const states = (resource.providerStates ?? []) as Array<{
        name: string;
        params?: Json;
        consumers: string[];
      }>;
      if (opts.json) return printJson({ providerStates: states });
      const rows = states.map((s) => [
        s.name,
        s.consumers.join(', '),
        s.params ? JSON.stringify(s.params) : '',
      ]);
      process.stdout.write(`${table(['PROVIDER STATE', 'CONSUMERS', 'PARAMETERS'], rows)}\n`);
    },
  );
  return new Command('provider-states')
    .description('Manage provider states')
    .addHelpText('after', examples('covenant provider-states list --provider Orders --branch main'))
    .addCommand(listStates);
}

/** Every command of this module, to register in the program. */
export const brokerResourceCommands = () => [
  listPacticipantsCommand(),
  describePacticipantCommand(),
  listLatestPactVersionsCommand(),
  getPactsCommand(),
  describeEnvironmentCommand(),
  deleteEnvironmentCommand(),
  deleteBranchCommand(),
  deleteVersionTagCommand(),
  createOrUpdateVersionCommand(),
  providerStatesCommand(),
];
