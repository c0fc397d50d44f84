import { environmentByName, environmentByUuid } from '../db/environments-repo.js';
import {
  type CollectedPact,
  collectPacts,
  countEverything,
  databaseAnswers,
  type PactFilter,
  pactContents,
} from '../db/pact-collections-repo.js';
import { pactForVersion } from '../db/pacts-repo.js';
import { requirePacticipant } from '../domain/pacticipants.js';
import { aggregateProviderStates } from '../domain/provider-states.js';
import type { RoutePlugin } from '../http/context.js';
import { consumerVersionPactUrl, pacticipantUrl, pactVersionUrl, versionUrl } from '../http/hal.js';
import { HttpProblem } from '../http/problem.js';
import { pactJson } from './pacts.js';
import { pactCollectionsSchemas as schemas } from './schemas/pact-collections.js';

const HAL = 'application/hal+json;charset=utf-8';
const PROMETHEUS = 'text/plain; version=0.0.4; charset=utf-8';

type Params = { provider: string; consumer?: string; tag?: string; branch?: string };

/** What a collection's path picks, from its parameters. */
type Pick = (params: Params) => PactFilter;

/**
 * The pact collections the reference broker's index links to: a provider's pacts by tag or branch
 * (`pb:provider-pacts…`), an integration's by tag or branch (`pb:tagged-pact-versions`,
 * `pb:branch-pact-versions`…), the latest untagged pact, and `/metrics`.
 */
export const pactCollectionRoutes: RoutePlugin = async (app, { context }) => {
  const db = () => context.options.database.db;
  const selfOf = (request: { url: string }, b: string) => b + request.url.split('?')[0];

  const providerCollection = (schema: { operationId: string }, path: string, pick: Pick) =>
    app.get<{ Params: Params }>(path, { schema, config: { access: 'read' } }, async (request, reply) => {
      const b = context.baseUrlOf(request);
      const p = await requirePacticipant(db(), request.params.provider);
      const rows = await collectPacts(db(), p.id, pick(request.params));
      const pacts = rows.map((row) => ({
        href: consumerVersionPactUrl(b, p.name, row.consumer, row.consumer_version_number),
        title: `Pact between ${row.consumer} (${row.consumer_version_number}) and ${p.name}`,
        name: row.consumer,
      }));
      reply.type(HAL);
      const provider = { href: pacticipantUrl(b, p.name), title: p.name, name: p.name };
      return {
        _links: {
          self: { href: selfOf(request, b) },
          provider,
          'pb:provider': provider,
          'pb:pacts': pacts,
          pacts,
        },
      };
    });
  const P = '/pacts/provider/:provider';
  providerCollection(schemas.getPactsProviderByProvider, P, () => ({}));
  providerCollection(schemas.getPactsProviderByProviderTagByTag, `${P}/tag/:tag`, (q) => ({ tag: q.tag }));
  providerCollection(schemas.getPactsProviderByProviderBranch, `${P}/branch`, () => ({ mainBranch: true }));
  providerCollection(schemas.getPactsProviderByProviderBranchLatest, `${P}/branch/latest`, () => ({
    mainBranch: true,
    latest: true,
  }));
  providerCollection(schemas.getPactsProviderByProviderBranchByBranch, `${P}/branch/:branch`, (q) => ({
    branch: q.branch,
  }));
  providerCollection(
    schemas.getPactsProviderByProviderBranchByBranchLatest,
    `${P}/branch/:branch/latest`,
    (q) => ({
      branch: q.branch,
      latest: true,
    }),
  );

  const pactVersion = (b: string, provider: string, row: CollectedPact) => ({
    createdAt: row.created_at,
    _embedded: {
      consumerVersion: {
        number: row.consumer_version_number,
        _links: {
          self: {
            href: versionUrl(b, row.consumer, row.consumer_version_number),
            title: 'Version',
            name: row.consumer_version_number,
          },
        },
      },
    },
    _links: {
      self: {
        href: consumerVersionPactUrl(b, provider, row.consumer, row.consumer_version_number),
        title: `Pact between ${row.consumer} (${row.consumer_version_number}) and ${provider}`,
        name: row.consumer,
      },
      'pb:pact-version': { href: pactVersionUrl(b, provider, row.consumer, row.sha), name: row.sha },
    },
  });
  const integrationCollection = (schema: { operationId: string }, path: string, pick: Pick) =>
    app.get<{ Params: Params }>(path, { schema, config: { access: 'read' } }, async (request, reply) => {
      const b = context.baseUrlOf(request);
      const [c, p] = await Promise.all([
        requirePacticipant(db(), request.params.consumer!),
        requirePacticipant(db(), request.params.provider),
      ]);
      const rows = await collectPacts(db(), p.id, { ...pick(request.params), consumerId: c.id });
      reply.type(HAL);
      return {
        _embedded: { pacts: rows.map((row) => pactVersion(b, p.name, row)) },
        _links: {
          self: { href: selfOf(request, b) },
          // as the provider collections link them: the official CLI's get-pacts table reads these
          'pb:pacts': rows.map((row) => pactVersion(b, p.name, row)._links.self),
          consumer: { href: pacticipantUrl(b, c.name), title: 'Consumer', name: c.name },
          provider: { href: pacticipantUrl(b, p.name), title: 'Provider', name: p.name },
        },
      };
    });
  const C = '/pacts/provider/:provider/consumer/:consumer';
  integrationCollection(
    schemas.getPactsProviderByProviderConsumerByConsumerTagByTag,
    `${C}/tag/:tag`,
    (q) => ({
      tag: q.tag,
    }),
  );
  // the reference's main-branch collection, and the path the official CLI's get-pacts asks for it at
  for (const [schema, path] of [
    [schemas.getPactsProviderByProviderConsumerByConsumerBranchVersions, `${C}/branch/versions`],
    [schemas.getPactsProviderByProviderConsumerByConsumerBranch, `${C}/branch`],
  ] as const)
    integrationCollection(schema, path, () => ({ mainBranch: true }));
  integrationCollection(
    schemas.getPactsProviderByProviderConsumerByConsumerBranchLatestVersions,
    `${C}/branch/latest/versions`,
    () => ({ mainBranch: true, latest: true }),
  );
  integrationCollection(
    schemas.getPactsProviderByProviderConsumerByConsumerBranchByBranch,
    `${C}/branch/:branch`,
    (q) => ({ branch: q.branch }),
  );
  integrationCollection(
    schemas.getPactsProviderByProviderConsumerByConsumerBranchByBranchLatestVersions,
    `${C}/branch/:branch/latest/versions`,
    (q) => ({ branch: q.branch, latest: true }),
  );

  /** Serves the pact of the newest consumer version that `filter` picks. */
  const latestPactRoute = (schema: { operationId: string }, path: string, filter: PactFilter, what: string) =>
    app.get<{ Params: Params }>(path, { schema, config: { access: 'read' } }, async (request, reply) => {
      const { provider, consumer } = request.params;
      const [c, p] = await Promise.all([
        requirePacticipant(db(), consumer!),
        requirePacticipant(db(), provider),
      ]);
      const [newest] = await collectPacts(db(), p.id, { ...filter, consumerId: c.id, latest: true });
      const row = newest && (await pactForVersion(db(), c, p, newest.consumer_version_number));
      if (!row)
        throw new HttpProblem(404, 'Not found', `no pact between ${consumer} and ${provider} ${what}`);
      reply.type(HAL);
      return pactJson(context.baseUrlOf(request), c.name, p.name, row);
    });
  latestPactRoute(
    schemas.getPactsProviderByProviderConsumerByConsumerLatestUntagged,
    `${C}/latest-untagged`,
    { untagged: true },
    'from an untagged version',
  );
  latestPactRoute(
    schemas.getPactsProviderByProviderConsumerByConsumerBranchLatest,
    `${C}/branch/latest`,
    { mainBranch: true },
    "from the consumer's main branch",
  );

  /** The provider states named by the latest pact of each consumer that `filter` picks. */
  const providerStatesRoute = (
    schema: { operationId: string },
    path: string,
    filter: (params: Params & { environment?: string }) => Promise<PactFilter>,
  ) =>
    app.get<{ Params: Params & { environment?: string } }>(
      path,
      { schema, config: { access: 'read' } },
      async (request, reply) => {
        const p = await requirePacticipant(db(), request.params.provider);
        const rows = await collectPacts(db(), p.id, { ...(await filter(request.params)), latest: true });
        const contents = await pactContents(
          db(),
          rows.map((row) => row.pact_version_id),
        );
        reply.type(HAL);
        return {
          providerStates: aggregateProviderStates(
            rows.map((row) => ({ consumer: row.consumer, content: contents.get(row.pact_version_id)! })),
          ),
          _links: { self: { href: selfOf(request, context.baseUrlOf(request)) } },
        };
      },
    );
  const STATES = '/pacts/provider/:provider/provider-states';
  providerStatesRoute(schemas.getPactsProviderByProviderProviderStates, STATES, async () => ({
    mainBranch: true,
  }));
  providerStatesRoute(
    schemas.getPactsProviderByProviderProviderStatesBranchByBranch,
    `${STATES}/branch/:branch`,
    async (q) => ({
      branch: q.branch,
    }),
  );
  // the reference names the environment by uuid; the official CLI passes its name: either is taken
  providerStatesRoute(
    schemas.getPactsProviderByProviderProviderStatesEnvironmentByEnvironment,
    `${STATES}/environment/:environment`,
    async (q) => {
      const name = q.environment!;
      const environment = (await environmentByUuid(db(), name)) ?? (await environmentByName(db(), name));
      if (!environment)
        throw new HttpProblem(404, 'Not found', `no environment with the uuid or name '${name}'`);
      return { environmentId: environment.id };
    },
  );

  app.get(
    '/diagnostic/status/dependencies',
    { schema: schemas.getDiagnosticStatusDependencies, config: { access: 'read' } },
    async (request, reply) => {
      const database = await databaseAnswers(db());
      reply.code(database ? 200 : 503).type(HAL);
      return {
        ok: database,
        dependencies: { database: { ok: database } },
        _links: { self: { href: `${context.baseUrlOf(request)}/diagnostic/status/dependencies` } },
      };
    },
  );

  app.get('/metrics', { schema: schemas.getMetrics, config: { access: 'read' } }, async (request, reply) => {
    const counts = await countEverything(db());
    const accept = String(request.headers.accept ?? '');
    if (accept.includes('text/plain') && !accept.includes('json')) {
      reply.type(PROMETHEUS);
      return Object.entries(counts)
        .map(([name, value]) => {
          const metric = `covenant_${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
          return `# HELP ${metric} The number of ${name} the broker holds.\n# TYPE ${metric} gauge\n${metric} ${value}\n`;
        })
        .join('');
    }
    reply.type(HAL);
    const { currentlyDeployed, currentlySupported, verifiedPactVersions, ...plain } = counts;
    const body: Record<string, Record<string, number>> = Object.fromEntries(
      Object.entries(plain).map(([name, count]) => [name, { count }]),
    );
    body.verificationResults!.distinctCount = verifiedPactVersions;
    body.deployedVersions!.currentlyDeployed = currentlyDeployed;
    body.releasedVersions!.currentlySupported = currentlySupported;
    return { ...body, _links: { self: { href: `${context.baseUrlOf(request)}/metrics` } } };
  });
};
