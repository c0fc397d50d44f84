import {
  anyObject,
  boolean,
  component,
  described,
  integer,
  list,
  object,
  ok,
  operation,
  string,
} from './shared.js';

const counted = object({ count: integer });
component(
  'Metrics',
  described(
    "The reference broker's /metrics counts, each `{count}`; `text/plain` asks for the Prometheus text exposition.",
    object({
      pacticipants: counted,
      integrations: counted,
      pactPublications: counted,
      pactVersions: counted,
      verificationResults: counted,
      pacticipantVersions: counted,
      webhooks: counted,
      tags: counted,
      triggeredWebhooks: counted,
      webhookExecutions: counted,
      environments: counted,
      deployedVersions: counted,
      releasedVersions: counted,
    }),
  ),
);

component(
  'ProviderStates',
  described(
    "The provider states named by the latest pact of each consumer in scope (main branch, a branch, or an environment's deployed and released versions), with the consumers using each.",
    object({
      providerStates: list(object({ name: string, consumers: list(string) }, { params: anyObject })),
    }),
  ),
);

component(
  'Dependencies',
  described(
    "Whether the broker's dependencies (its database) answer: 200 when all do, 503 when one does not.",
    object({ ok: boolean, dependencies: object({ database: object({ ok: boolean }) }) }),
  ),
);

const PROVIDER = '/pacts/provider/:provider';
/** The provider states of the pacts `scope` picks. */
const providerStates = <Path extends string>(path: Path, scope: string) =>
  operation({
    method: 'GET',
    path,
    tag: 'Pacts',
    summary: `The provider states of the latest pacts ${scope}`,
    ok: ok('ProviderStates'),
    errors: [404],
  });
const PACT = '/pacts/provider/:provider/consumer/:consumer';

/** A provider's pacts picked by `what`: links to each, as `/pacts/provider/{p}/latest` answers. */
const providerPacts = <Path extends string>(path: Path, what: string) =>
  operation({
    method: 'GET',
    path,
    tag: 'Pacts',
    summary: `Links to ${what}`,
    ok: ok('ProviderPacts'),
    errors: [404],
  });

/** An integration's pacts picked by `what`, newest consumer version first. */
const pactVersions = <Path extends string>(path: Path, what: string) =>
  operation({ method: 'GET', path, tag: 'Pacts', summary: what, ok: ok('PactVersions'), errors: [404] });

const metrics = operation({
  method: 'GET',
  path: '/metrics',
  tag: 'Operations',
  summary: 'Counts of what the broker holds (JSON), or the same as Prometheus text exposition',
  ok: { 200: { description: 'OK', schema: 'Metrics', alternatives: { 'text/plain': 'Text' } } },
});

export const pactCollectionsSchemas = {
  getPactsProviderByProvider: providerPacts(PROVIDER, "every consumer version's pact with a provider"),
  getPactsProviderByProviderTagByTag: providerPacts(
    `${PROVIDER}/tag/:tag`,
    'the pacts with a provider of every consumer version with a tag',
  ),
  getPactsProviderByProviderBranch: providerPacts(
    `${PROVIDER}/branch`,
    "the pacts with a provider from each consumer's main branch",
  ),
  getPactsProviderByProviderBranchLatest: providerPacts(
    `${PROVIDER}/branch/latest`,
    "the latest pact with a provider from each consumer's main branch",
  ),
  getPactsProviderByProviderBranchByBranch: providerPacts(
    `${PROVIDER}/branch/:branch`,
    'the pacts with a provider from a consumer branch',
  ),
  getPactsProviderByProviderBranchByBranchLatest: providerPacts(
    `${PROVIDER}/branch/:branch/latest`,
    "the latest pact with a provider from each consumer's branch of that name",
  ),
  getPactsProviderByProviderConsumerByConsumerTagByTag: pactVersions(
    `${PACT}/tag/:tag`,
    'The pacts of every consumer version with a tag',
  ),
  getPactsProviderByProviderConsumerByConsumerBranch: pactVersions(
    `${PACT}/branch`,
    "The pacts from the consumer's main branch",
  ),
  getPactsProviderByProviderConsumerByConsumerBranchVersions: pactVersions(
    `${PACT}/branch/versions`,
    "The pacts from the consumer's main branch",
  ),
  getPactsProviderByProviderConsumerByConsumerBranchLatest: operation({
    method: 'GET',
    path: `${PACT}/branch/latest`,
    tag: 'Pacts',
    summary: "The latest pact from the consumer's main branch",
    ok: ok('Pact'),
    errors: [404],
  }),
  getPactsProviderByProviderConsumerByConsumerBranchLatestVersions: pactVersions(
    `${PACT}/branch/latest/versions`,
    "The latest pact from the consumer's main branch, as a collection",
  ),
  getPactsProviderByProviderConsumerByConsumerBranchByBranch: pactVersions(
    `${PACT}/branch/:branch`,
    'The pacts from a consumer branch',
  ),
  getPactsProviderByProviderConsumerByConsumerBranchByBranchLatestVersions: pactVersions(
    `${PACT}/branch/:branch/latest/versions`,
    'The latest pact from a consumer branch, as a collection',
  ),
  getPactsProviderByProviderConsumerByConsumerLatestUntagged: operation({
    method: 'GET',
    path: `${PACT}/latest-untagged`,
    tag: 'Pacts',
    summary: 'The pact of the latest consumer version without tags',
    ok: ok('Pact'),
    errors: [404],
  }),
  getPactsProviderByProviderProviderStates: providerStates(
    `${PROVIDER}/provider-states`,
    "from each consumer's main branch",
  ),
  getPactsProviderByProviderProviderStatesBranchByBranch: providerStates(
    `${PROVIDER}/provider-states/branch/:branch`,
    'from each consumer branch of that name',
  ),
  getPactsProviderByProviderProviderStatesEnvironmentByEnvironment: providerStates(
    `${PROVIDER}/provider-states/environment/:environment`,
    'of the consumer versions deployed or released in an environment (by uuid or name)',
  ),
  getDiagnosticStatusDependencies: operation({
    method: 'GET',
    path: '/diagnostic/status/dependencies',
    tag: 'Operations',
    summary: "Whether the broker's database answers",
    ok: {
      200: { description: 'Every dependency answers', schema: 'Dependencies' },
      503: { description: 'A dependency does not answer', schema: 'Dependencies' },
    },
  }),
  getMetrics: metrics,
};
