import {
  detectBuildInfo,
  type Environment,
  type HalResource,
  linkOf,
  type RecordedDeployment,
} from '@covenant/broker-client';
import { Command } from 'commander';
import { type BrokerConnection, brokerClient, outputOption, withBrokerOptions } from './broker-options.js';
import { cliError } from './errors.js';
import { colourEnabled, paint, printJson, table } from './output.js';

/** The smaller broker commands: deployments and releases, environments, versions, tags, pacticipants. */

interface Output extends BrokerConnection {
  output: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`;
}

function say(text: string): void {
  process.stdout.write(`${paint(colourEnabled()).green(text)}\n`);
}

function deploymentsJson(records: RecordedDeployment[]) {
  return records.map((r) => ({
    ...r,
    applicationInstance: r.applicationInstance ?? null,
    url: r.url ?? null,
  }));
}

export function recordDeploymentCommand(): Command {
  const command = new Command('record-deployment')
    .summary('record that a version was deployed to an environment')
    .description(
      'Record that a version of an application was deployed to an environment; the broker marks the ' +
        'version deployed there before (of the same application instance) as no longer deployed.',
    )
    .requiredOption('-a, --pacticipant <name>', 'the application deployed')
    .requiredOption('-e, --version <version>', 'the version deployed')
    .requiredOption('--environment <name>', 'the environment it was deployed to')
    .option(
      '--application-instance <name>',
      'which instance, when several of the application run in the environment',
    )
    .option('--target <name>', 'the old name of --application-instance')
    .addOption(outputOption(['text', 'json']))
    .addHelpText(
      'after',
      examples(
        'covenant record-deployment --pacticipant Web --version 4c1b2a7 --environment production',
        'covenant record-deployment -a Web -e 4c1b2a7 --environment production --application-instance eu-1',
      ),
    );
  return withBrokerOptions(command).action(
    async (
      opts: Output & {
        pacticipant: string;
        version: string;
        environment: string;
        applicationInstance?: string;
        target?: string;
      },
    ) => {
      const recorded = await brokerClient(opts).recordDeployment({
        pacticipant: opts.pacticipant,
        version: opts.version,
        environment: opts.environment,
        applicationInstance: opts.applicationInstance ?? opts.target,
      });
      if (opts.output === 'json') printJson(deploymentsJson([recorded])[0]);
      else
        say(
          `Recorded deployment of ${opts.pacticipant} version ${opts.version} to ${opts.environment}${
            recorded.applicationInstance ? ` (application instance ${recorded.applicationInstance})` : ''
          } in the Pact Broker.`,
        );
    },
  );
}

export function recordUndeploymentCommand(): Command {
  const command = new Command('record-undeployment')
    .summary('record that an application is no longer deployed to an environment')
    .description(
      'Record that an application (or one instance of it) is no longer deployed to an environment.',
    )
    .requiredOption('-a, --pacticipant <name>', 'the application undeployed')
    .requiredOption('--environment <name>', 'the environment it was removed from')
    .option('--application-instance <name>', 'only this instance')
    .addOption(outputOption(['text', 'json']))
    .addHelpText('after', examples('covenant record-undeployment --pacticipant Web --environment test'));
  return withBrokerOptions(command).action(
    async (opts: Output & { pacticipant: string; environment: string; applicationInstance?: string }) => {
      const ended = await brokerClient(opts).recordUndeployment({
        pacticipant: opts.pacticipant,
        environment: opts.environment,
        applicationInstance: opts.applicationInstance,
      });
      if (opts.output === 'json') printJson(deploymentsJson(ended));
      else
        for (const e of ended)
          say(
            `Recorded undeployment of ${e.pacticipant} version ${e.version} from ${e.environment}${
              e.applicationInstance ? ` (application instance ${e.applicationInstance})` : ''
            } in the Pact Broker.`,
          );
    },
  );
}

export function recordReleaseCommand(): Command {
  const command = new Command('record-release')
    .summary('record that a version was released to an environment')
    .description(
      'Record that a version was released (e.g. a mobile app or a library) to an environment; several ' +
        'released versions can be supported at once.',
    )
    .requiredOption('-a, --pacticipant <name>', 'the application released')
    .requiredOption('-e, --version <version>', 'the version released')
    .requiredOption('--environment <name>', 'the environment it was released to')
    .addOption(outputOption(['text', 'json']))
    .addHelpText(
      'after',
      examples('covenant record-release --pacticipant Mobile --version 2.3.0 --environment production'),
    );
  return withBrokerOptions(command).action(
    async (opts: Output & { pacticipant: string; version: string; environment: string }) => {
      const recorded = await brokerClient(opts).recordRelease(opts);
      if (opts.output === 'json') printJson(deploymentsJson([recorded])[0]);
      else
        say(
          `Recorded release of ${opts.pacticipant} version ${opts.version} to ${opts.environment} in the Pact Broker.`,
        );
    },
  );
}

export function recordSupportEndedCommand(): Command {
  const command = new Command('record-support-ended')
    .summary('record that a released version is no longer supported')
    .description('Record that a released version is no longer supported in an environment.')
    .requiredOption('-a, --pacticipant <name>', 'the application')
    .requiredOption('-e, --version <version>', 'the released version')
    .requiredOption('--environment <name>', 'the environment')
    .addOption(outputOption(['text', 'json']))
    .addHelpText(
      'after',
      examples('covenant record-support-ended --pacticipant Mobile --version 2.1.0 --environment production'),
    );
  return withBrokerOptions(command).action(
    async (opts: Output & { pacticipant: string; version: string; environment: string }) => {
      const ended = await brokerClient(opts).recordSupportEnded(opts);
      if (opts.output === 'json') printJson(deploymentsJson(ended));
      else
        say(
          `Recorded support ended for ${opts.pacticipant} version ${opts.version} in ${opts.environment} in the Pact Broker.`,
        );
    },
  );
}

interface EnvironmentOptions extends Output {
  name?: string;
  displayName?: string;
  production?: boolean;
  contactName?: string;
  contactEmailAddress?: string;
}

function contacts(opts: EnvironmentOptions) {
  if (opts.contactName === undefined && opts.contactEmailAddress === undefined) return undefined;
  return [
    {
      name: opts.contactName ?? '',
      ...(opts.contactEmailAddress !== undefined
        ? { details: { emailAddress: opts.contactEmailAddress } }
        : {}),
    },
  ];
}

function printEnvironment(environment: Environment, output: string, verb: string): void {
  if (output === 'json') printJson(environment);
  else if (output === 'id') process.stdout.write(`${environment.uuid}\n`);
  else say(`${verb} ${environment.name} environment in the Pact Broker with UUID ${environment.uuid}`);
}

function withEnvironmentFields(command: Command): Command {
  return command
    .option('--display-name <name>', 'the name people read, e.g. "Production (EU)"')
    .option('--production', 'it is a production environment')
    .option('--no-production', 'it is not a production environment')
    .option('--contact-name <name>', 'the team or person responsible for it')
    .option('--contact-email-address <email>', "the contact's email address")
    .addOption(outputOption(['text', 'json', 'id']));
}

export function createEnvironmentCommand(): Command {
  const command = withEnvironmentFields(
    new Command('create-environment')
      .summary('create an environment to record deployments and releases to')
      .description('Create an environment in the Pact Broker (names have no spaces: test, production, uat).')
      .requiredOption('--name <name>', 'the name deployments use, e.g. production'),
  ).addHelpText(
    'after',
    examples(
      "covenant create-environment --name uat --display-name 'UAT' --no-production",
      'covenant create-environment --name production --production --contact-name Platform --output id',
    ),
  );
  return withBrokerOptions(command).action(async (opts: EnvironmentOptions & { name: string }) => {
    const environment = await brokerClient(opts).createEnvironment({
      name: opts.name,
      ...(opts.displayName !== undefined ? { displayName: opts.displayName } : {}),
      production: opts.production === true,
      ...(contacts(opts) ? { contacts: contacts(opts)! } : {}),
    });
    printEnvironment(environment, opts.output, 'Created');
  });
}

export function updateEnvironmentCommand(): Command {
  const command = withEnvironmentFields(
    new Command('update-environment')
      .summary('change an environment')
      .description(
        'Change an environment, found by its UUID (list-environments shows them); other fields keep their values.',
      )
      .requiredOption('--uuid <uuid>', 'the environment to change')
      .option('--name <name>', 'a new name'),
  ).addHelpText(
    'after',
    examples(
      'covenant update-environment --uuid 16926ef3-590f-4e3f-838e-719717aa88c9 --display-name "Staging"',
    ),
  );
  return withBrokerOptions(command).action(async (opts: EnvironmentOptions & { uuid: string }) => {
    const environment = await brokerClient(opts).updateEnvironment(opts.uuid, {
      ...(opts.name !== undefined ? { name: opts.name } : {}),
      ...(opts.displayName !== undefined ? { displayName: opts.displayName } : {}),
      ...(opts.production !== undefined ? { production: opts.production } : {}),
      ...(contacts(opts) ? { contacts: contacts(opts)! } : {}),
    });
    printEnvironment(environment, opts.output, 'Updated');
  });
}

export function listEnvironmentsCommand(): Command {
  const command = new Command('list-environments')
    .summary('list the environments')
    .description('List the environments in the Pact Broker.')
    .addOption(outputOption())
    .addHelpText('after', examples('covenant list-environments', 'covenant list-environments --output json'));
  return withBrokerOptions(command).action(async (opts: Output) => {
    const environments = await brokerClient(opts).environments();
    if (opts.output === 'json') printJson(environments);
    else
      process.stdout.write(
        `${table(
          ['UUID', 'NAME', 'DISPLAY NAME', 'PRODUCTION'],
          environments.map((e) => [e.uuid, e.name, e.displayName ?? '', String(e.production)]),
        )}\n`,
      );
  });
}

export function describeVersionCommand(): Command {
  const command = new Command('describe-version')
    .summary('show a version of an application')
    .description(
      'Show a version of an application (or its latest, or latest with a tag): branches, tags, environments.',
    )
    .requiredOption('-a, --pacticipant <name>', 'the application')
    .option('-e, --version <version>', 'the version (default: the latest)')
    .option('-l, --latest [tag]', 'the latest version (with this tag)')
    .option(
      '--environment <name>',
      'instead, list the versions currently deployed or released (and supported) to this environment',
    )
    .option('--deployed', 'with --environment: only the deployed versions')
    .option('--released', 'with --environment: only the released versions')
    .addOption(outputOption(['text', 'table', 'json', 'id']))
    .addHelpText(
      'after',
      examples(
        'covenant describe-version -a Web -e 4c1b2a7',
        'covenant describe-version -a Web --latest prod --output id',
        'covenant describe-version -a Web --environment production --deployed',
      ),
    );
  return withBrokerOptions(command).action(
    async (
      opts: Output & {
        pacticipant: string;
        version?: string;
        latest?: string | true;
        environment?: string;
        deployed?: boolean;
        released?: boolean;
      },
    ) => {
      if (opts.version !== undefined && opts.latest !== undefined)
        throw cliError('COV_CLI_OPTIONS_INVALID', 'give --version or --latest, not both');
      if (opts.environment !== undefined) {
        if (opts.version !== undefined || opts.latest !== undefined)
          throw cliError(
            'COV_CLI_OPTIONS_INVALID',
            '--environment lists the versions in an environment: give it without --version and --latest',
          );
        return describeVersionsInEnvironment(opts as typeof opts & { environment: string });
      }
      if (opts.deployed || opts.released)
        throw cliError(
          'COV_CLI_OPTIONS_INVALID',
          `--${opts.deployed ? 'deployed' : 'released'} filters the versions of an environment: add --environment NAME`,
        );
      const version = await brokerClient(opts).describeVersion(
        opts.pacticipant,
        opts.version ?? { latest: true, ...(typeof opts.latest === 'string' ? { tag: opts.latest } : {}) },
      );
      if (opts.output === 'json') printJson(version);
      else if (opts.output === 'id') process.stdout.write(`${version.number}\n`);
      else
        process.stdout.write(
          `${table(
            ['NAME', 'VERSION', 'BRANCHES', 'TAGS', 'DEPLOYED TO', 'RELEASED TO'],
            [
              [
                version.pacticipant,
                version.number,
                version.branches.join(', '),
                version.tags.join(', '),
                version.deployedTo.join(', '),
                version.releasedTo.join(', '),
              ],
            ],
          )}\n`,
        );
    },
  );
}

/** A version in an environment, as `describe-version --environment` lists it. */
interface VersionInEnvironment {
  version: string;
  status: 'deployed' | 'released';
  environment: string;
  applicationInstance: string | null;
}

/**
 * `describe-version --environment`: the pacticipant's versions currently deployed, and released and
 * still supported, to the environment (both unless --deployed or --released narrows it).
 */
async function describeVersionsInEnvironment(
  opts: Output & { pacticipant: string; environment: string; deployed?: boolean; released?: boolean },
): Promise<void> {
  const broker = brokerClient(opts);
  // a NOT_FOUND naming the environments there are when it does not exist
  const { resource } = await broker.environment(opts.environment);
  const both = !opts.deployed && !opts.released;
  const kinds = [
    ...(both || opts.deployed
      ? [['deployed', 'pb:currently-deployed-deployed-versions', 'deployedVersions'] as const]
      : []),
    ...(both || opts.released
      ? [['released', 'pb:currently-supported-released-versions', 'releasedVersions'] as const]
      : []),
  ];
  const query = `?pacticipant=${encodeURIComponent(opts.pacticipant)}`;
  const lists = await Promise.all(
    kinds.map(async ([status, relation, key]) => {
      const link = linkOf(resource, relation);
      if (!link) return [];
      const page = await broker.request('GET', link.href + query);
      const records = page._embedded?.[key];
      return (Array.isArray(records) ? (records as HalResource[]) : []).map(
        (record): VersionInEnvironment => {
          const embedded = record._embedded as { version?: { number?: unknown } } | undefined;
          return {
            version: String(embedded?.version?.number ?? ''),
            status,
            environment: opts.environment,
            applicationInstance:
              typeof record.applicationInstance === 'string' ? record.applicationInstance : null,
          };
        },
      );
    }),
  );
  const versions = lists.flat();
  if (opts.output === 'json') printJson(versions);
  else if (opts.output === 'id') process.stdout.write(versions.map((v) => `${v.version}\n`).join(''));
  else
    process.stdout.write(
      `${table(
        ['VERSION', 'STATUS', 'ENVIRONMENT', 'APPLICATION INSTANCE'],
        versions.map((v) => [v.version, v.status, v.environment, v.applicationInstance ?? '-']),
      )}\n`,
    );
}

export function createVersionTagCommand(): Command {
  const command = new Command('create-version-tag')
    .summary('tag a version of an application')
    .description('Add tags to a version of an application.')
    .requiredOption('-a, --pacticipant <name>', 'the application')
    .requiredOption('-e, --version <version>', 'the version')
    .option('-t, --tag <tag>', 'a tag to add (repeatable)', collect, [])
    .option('-g, --tag-with-git-branch', 'also tag with the current git branch')
    .option('--auto-create-version', 'create the version if it does not exist')
    .addHelpText(
      'after',
      examples(
        'covenant create-version-tag -a Web -e 4c1b2a7 -t prod',
        'covenant create-version-tag -a Web -e 4c1b2a7 -g',
      ),
    );
  return withBrokerOptions(command).action(
    async (
      opts: BrokerConnection & {
        pacticipant: string;
        version: string;
        tag: string[];
        tagWithGitBranch?: boolean;
        autoCreateVersion?: boolean;
      },
    ) => {
      const tags = [...opts.tag];
      if (opts.tagWithGitBranch) {
        const branch = detectBuildInfo().branch;
        if (!branch)
          throw cliError('COV_CLI_OPTIONS_INVALID', '--tag-with-git-branch: the git branch is unknown here');
        tags.push(branch);
      }
      if (tags.length === 0)
        throw cliError('COV_CLI_OPTIONS_INVALID', 'no tags: pass --tag TAG (or --tag-with-git-branch)');
      await brokerClient(opts).createVersionTags({
        pacticipant: opts.pacticipant,
        version: opts.version,
        tags,
        autoCreateVersion: opts.autoCreateVersion === true,
      });
      for (const tag of tags) say(`Tagged ${opts.pacticipant} version ${opts.version} with '${tag}'`);
    },
  );
}

export function createOrUpdatePacticipantCommand(): Command {
  const command = new Command('create-or-update-pacticipant')
    .summary('create an application, or change its details')
    .description(
      'Create an application (pacticipant) in the broker, or change its display name, main branch or repository URL.',
    )
    .requiredOption('--name <name>', 'the application')
    .option('--display-name <name>', 'the name people read')
    .option('--main-branch <branch>', 'its main branch, e.g. main')
    .option('--repository-url <url>', 'its source repository')
    .addOption(outputOption(['text', 'json']))
    .addHelpText('after', examples('covenant create-or-update-pacticipant --name Web --main-branch main'));
  return withBrokerOptions(command).action(
    async (
      opts: Output & { name: string; displayName?: string; mainBranch?: string; repositoryUrl?: string },
    ) => {
      const { created, pacticipant } = await brokerClient(opts).createOrUpdatePacticipant(opts);
      if (opts.output === 'json') printJson(pacticipant);
      else say(`Pacticipant "${pacticipant.name}" ${created ? 'created' : 'updated'}`);
    },
  );
}
