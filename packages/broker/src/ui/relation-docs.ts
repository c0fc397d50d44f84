/** What one link relation is: the resource it leads to, the methods it answers, and a few words. */
export interface RelationDoc {
  title: string;
  /** The HTTP methods the target answers (HEAD and OPTIONS aside). */
  methods: string[];
  /** What the resource is and how to use it, in markdown. */
  text: string;
}

const doc = (title: string, methods: string[], text: string): RelationDoc => ({ title, methods, text });

/**
 * The documentation of every `pb:`, `beta:` and `pf:` relation the broker emits, by name without
 * its curie prefix: the index's curies (`/doc/{rel}`) expand to these pages, so no curie link is a
 * 404 (a test walks every resource of a seeded broker and checks each relation it finds here).
 */
export const RELATION_DOCS: Readonly<Record<string, RelationDoc>> = {
  // --- publishing ---
  'publish-pact': doc(
    'Publish a pact',
    ['PUT'],
    'Publishes the pact between `{consumer}` and `{provider}` for consumer version `{consumerApplicationVersion}`. The body is the pact JSON. Publishing the same content again is a no-op; different content for the same version replaces it (a new revision). Prefer `pb:publish-contracts`, which also records the branch, tags and build URL.',
  ),
  'publish-contracts': doc(
    'Publish contracts',
    ['POST'],
    'Publishes one or more pacts for a consumer version in one request, with its branch, tags and build URL: `{"pacticipantName", "pacticipantVersionNumber", "branch", "tags", "buildUrl", "contracts": [{"consumerName", "providerName", "specification": "pact", "contentType": "application/json", "content": "<base64 pact>"}]}`. The answer lists what was created and notices about the publication (such as the webhooks it triggered).',
  ),
  'publish-provider-contract': doc(
    'Publish a provider contract',
    ['POST'],
    "Publishes a provider's OpenAPI (or AsyncAPI) description for a provider version, with the provider's own test results (bi-directional contract testing). The broker compares it with the consumers' pacts and records each comparison as a verification.",
  ),
  'provider-contract': doc(
    'Provider contract',
    ['GET'],
    "A provider version's published contract (its OpenAPI or AsyncAPI description), with the provider's self-verification results.",
  ),
  'publish-verification-results': doc(
    'Publish verification results',
    ['POST'],
    'Records the outcome of verifying this pact: `{"success": true|false, "providerApplicationVersion": "1.2.3", "buildUrl", "testResults"}`. Publish results with the provider version that was tested; can-i-deploy and the matrix read them. `testResults` may carry per-interaction outcomes, which the verification page shows.',
  ),
  // --- pacticipants and versions ---
  pacticipants: doc(
    'Pacticipants',
    ['GET', 'POST'],
    'Every application (consumer or provider) the broker knows. `?q=` filters by name; `?pageNumber=&pageSize=` pages. POST creates one: `{"name", "displayName", "mainBranch", "repositoryUrl"}`.',
  ),
  pacticipant: doc(
    'Pacticipant',
    ['GET', 'PUT', 'PATCH', 'DELETE'],
    'One application, by name: its display name, main branch, repository URL, labels and latest version. PUT replaces its details, PATCH (merge-patch) updates them, DELETE removes it with all its versions, pacts and verifications.',
  ),
  'pacticipants-with-label': doc(
    'Pacticipants with a label',
    ['GET'],
    'The pacticipants that carry the label `{label}`.',
  ),
  label: doc(
    'Label',
    ['GET', 'PUT', 'DELETE'],
    'A label on a pacticipant (a free-form grouping such as a team). PUT adds it, DELETE removes it.',
  ),
  versions: doc(
    'Versions',
    ['GET'],
    "A pacticipant's versions, newest first, each with its branches, tags and environments. Paged with `?pageNumber=&pageSize=`.",
  ),
  version: doc(
    'Version',
    ['GET', 'PUT', 'PATCH', 'DELETE'],
    'One version of a pacticipant (usually a git commit): its build URL, branches, tags, deployments and releases. PUT creates it (with `branch`, `buildUrl`); DELETE removes it with its pacts and verifications.',
  ),
  'pacticipant-version': doc(
    'Pacticipant version',
    ['GET', 'PUT', 'PATCH', 'DELETE'],
    'The version `{version}` of the pacticipant `{pacticipant}`; see `pb:version`.',
  ),
  'latest-version': doc(
    'Latest version',
    ['GET'],
    "A pacticipant's most recently created version (or, with a tag, the latest version carrying it).",
  ),
  'latest-tagged-version': doc(
    'Latest tagged version',
    ['GET'],
    'The latest version of `{pacticipant}` that carries the tag `{tag}`.',
  ),
  'consumer-version': doc('Consumer version', ['GET'], 'The consumer version this pact was published for.'),
  'provider-version': doc(
    'Provider version',
    ['GET'],
    'The provider version that produced this verification result.',
  ),
  consumer: doc('Consumer', ['GET'], 'The consumer of this pact or integration (a pacticipant).'),
  provider: doc('Provider', ['GET'], 'The provider of this pact or integration (a pacticipant).'),
  // --- tags and branches ---
  tag: doc(
    'Tag',
    ['GET', 'PUT', 'DELETE'],
    'A tag on a version (such as `prod` or a branch name, before branches existed). PUT adds it, DELETE removes it. Branches and environments are preferred for new work.',
  ),
  'version-tag': doc(
    'Version tag',
    ['GET', 'PUT', 'DELETE'],
    'The tag `{tag}` on version `{version}` of this pacticipant; see `pb:tag`.',
  ),
  'pacticipant-version-tag': doc(
    'Pacticipant version tag',
    ['GET', 'PUT', 'DELETE'],
    'The tag `{tag}` on version `{version}` of `{pacticipant}`; see `pb:tag`.',
  ),
  'pacticipant-version-tags': doc('Version tags', ['GET'], 'Every tag on this version.'),
  'tag-version': doc(
    'Tag this version',
    ['PUT'],
    'Tags the consumer version of this pact with `{tag}` (PUT with an empty body).',
  ),
  branch: doc(
    'Branch',
    ['GET', 'DELETE'],
    "A pacticipant's branch, with its latest version. DELETE removes the branch (not its versions).",
  ),
  'pacticipant-branch': doc(
    'Pacticipant branch',
    ['GET', 'DELETE'],
    'The branch `{branch}` of `{pacticipant}`; see `pb:branch`.',
  ),
  'branch-version': doc(
    'Branch version',
    ['GET', 'PUT'],
    "Records that version `{version}` is on branch `{branch}` (PUT), or reads that it is (GET). A version's branch is usually given when the pact or the version is published.",
  ),
  'pacticipant-branch-version': doc(
    'Pacticipant branch version',
    ['GET', 'PUT'],
    'Version `{version}` of `{pacticipant}` on branch `{branch}`; see `pb:branch-version`.',
  ),
  // --- pacts ---
  'latest-pact-versions': doc(
    'Latest pacts',
    ['GET'],
    'The latest pact of every integration (consumer and provider pair).',
  ),
  'latest-pact': doc('Latest pact', ['GET'], 'The latest pact between this consumer and provider.'),
  'latest-pact-version': doc(
    'Latest pact version',
    ['GET'],
    'The latest pact between the consumer and provider of this pact.',
  ),
  'pact-version': doc(
    'Pact version',
    ['GET'],
    'This pact by its content hash (sha): a permalink that never changes, whatever is published later.',
  ),
  'all-pact-versions': doc(
    'All pact versions',
    ['GET'],
    'Every version of the pact between this consumer and provider, newest first.',
  ),
  'latest-tagged-pact-version': doc(
    'Latest pact with a tag',
    ['GET'],
    'The latest pact between this consumer and provider whose consumer version carries the tag `{tag}`.',
  ),
  'latest-untagged-pact-version': doc(
    'Latest untagged pact',
    ['GET'],
    'The latest pact between this consumer and provider from a consumer version with no tags.',
  ),
  'previous-distinct': doc(
    'Previous distinct pact',
    ['GET'],
    "The integration's latest pact before this one whose content differs from it (pacts republished unchanged are skipped).",
  ),
  pacts: doc('Pacts', ['GET'], 'The pacts of this integration, version or collection.'),
  'provider-pacts': doc("A provider's pacts", ['GET'], 'Every consumer version pact for `{provider}`.'),
  'latest-provider-pacts': doc(
    "A provider's latest pacts",
    ['GET'],
    'The latest pact of each consumer of `{provider}`.',
  ),
  'provider-pacts-with-tag': doc(
    "A provider's pacts with a tag",
    ['GET'],
    'Every pact for `{provider}` whose consumer version carries the tag `{tag}`.',
  ),
  'latest-provider-pacts-with-tag': doc(
    "A provider's latest pacts with a tag",
    ['GET'],
    'For each consumer of `{provider}`, the latest pact whose consumer version carries the tag `{tag}`.',
  ),
  'provider-pacts-with-branch': doc(
    "A provider's pacts from a branch",
    ['GET'],
    'Every pact for `{provider}` from consumer versions on the branch `{branch}`.',
  ),
  'latest-provider-pacts-with-branch': doc(
    "A provider's latest pacts from a branch",
    ['GET'],
    'For each consumer of `{provider}`, the latest pact from a version on the branch `{branch}`.',
  ),
  'provider-pacts-with-main-branch': doc(
    "A provider's pacts from main branches",
    ['GET'],
    "Every pact for `{provider}` from versions on each consumer's main branch.",
  ),
  'latest-provider-pacts-with-main-branch': doc(
    "A provider's latest pacts from main branches",
    ['GET'],
    "For each consumer of `{provider}`, the latest pact from a version on the consumer's main branch.",
  ),
  'tagged-pact-versions': doc(
    'Pact versions with a tag',
    ['GET'],
    'The pacts between `{consumer}` and `{provider}` whose consumer version carries the tag `{tag}`.',
  ),
  'branch-pact-versions': doc(
    'Pact versions from a branch',
    ['GET'],
    'The pacts between `{consumer}` and `{provider}` from consumer versions on the branch `{branch}`.',
  ),
  'latest-branch-pact-versions': doc(
    'Latest pact from a branch',
    ['GET'],
    'The latest pact between `{consumer}` and `{provider}` from a consumer version on the branch `{branch}`.',
  ),
  'main-branch-pact-versions': doc(
    'Pact versions from the main branch',
    ['GET'],
    "The pacts between `{consumer}` and `{provider}` from versions on the consumer's main branch.",
  ),
  'latest-main-branch-pact-versions': doc(
    'Latest pact from the main branch',
    ['GET'],
    "The latest pact between `{consumer}` and `{provider}` from a version on the consumer's main branch.",
  ),
  'provider-pacts-for-verification': doc(
    'Pacts for verification',
    ['POST'],
    'The pacts a provider should verify: POST `{"consumerVersionSelectors": [{"mainBranch": true}, {"deployedOrReleased": true}], "providerVersionBranch", "includePendingStatus", "includeWipPactsSince"}`. Each pact comes with why it was selected and whether it is pending: a pact is pending for the provider branch until a version on it verifies the pact successfully, or a version on another branch did before this branch was created (with `providerVersionTags`, the same per tag; with neither, until any version does), and never while a consumer version with its content is deployed or released. With `includeWipPactsSince` and a provider branch or tags, the pending pacts of consumer branch and tag heads published since then come too, as work in progress (`wip: true`). `beta:provider-pacts-for-verification` is its deprecated name.',
  ),
  diff: doc(
    'Pact diff',
    ['GET'],
    'The changes between this pact and the pact of consumer version `{consumerVersion}`, as text (`text/plain`), or in plain words for a browser.',
  ),
  'diff-previous-distinct': doc(
    'Diff with the previous distinct pact',
    ['GET'],
    'The changes between this pact and the previous pact of the integration with different content.',
  ),
  // --- verifications and the matrix ---
  'latest-verification-results': doc(
    'Latest verification results',
    ['GET'],
    "The latest verification of this pact (or of a version's pacts): success or failure, the provider version and the per-interaction test results.",
  ),
  'latest-verification-results-where-pacticipant-is-consumer': doc(
    "Latest verification results of this version's pacts",
    ['GET'],
    'The latest verification of each pact this consumer version published.',
  ),
  'can-i-deploy-pacticipant-version-to-environment': doc(
    'Can I deploy to an environment?',
    ['GET'],
    'Whether version `{version}` of `{pacticipant}` is compatible with every version deployed or released in `{environment}`: the answer, a reason per integration and the matrix rows behind it.',
  ),
  'can-i-deploy-pacticipant-version-to-tag': doc(
    'Can I deploy to a tag?',
    ['GET'],
    'Whether version `{version}` of `{pacticipant}` is compatible with the latest versions of its integrations carrying the tag `{tag}`.',
  ),
  'can-i-deploy-badge': doc(
    'Can I deploy badge',
    ['GET'],
    'An SVG badge saying whether the latest version of this pacticipant with tag `{tag}` can be deployed to the versions tagged `{environment}`. With `PACT_BROKER_ENABLE_PUBLIC_BADGE_ACCESS=true` it is readable without credentials.',
  ),
  'can-i-deploy-branch-to-environment-badge': doc(
    'Can I deploy from a branch badge',
    ['GET'],
    'An SVG badge saying whether the latest version of this pacticipant on branch `{branch}` can be deployed to environment `{environment}`.',
  ),
  // --- environments, deployments and releases ---
  environments: doc(
    'Environments',
    ['GET', 'POST'],
    'The environments versions are deployed to or released in. POST creates one: `{"name", "displayName", "production": true|false}`.',
  ),
  environment: doc(
    'Environment',
    ['GET', 'PUT', 'DELETE'],
    'One environment, by uuid, with links to what is deployed and released in it.',
  ),
  'record-deployment': doc(
    'Record a deployment',
    ['POST'],
    'Records that this version is now deployed to the environment (replacing the version deployed there before, unless an `applicationInstance` tells them apart).',
  ),
  'record-release': doc(
    'Record a release',
    ['POST'],
    'Records that this version was released in the environment (a release stays supported alongside others until support ends).',
  ),
  'currently-deployed-deployed-versions': doc(
    'Currently deployed versions',
    ['GET'],
    'The versions currently deployed to this environment.',
  ),
  'currently-supported-released-versions': doc(
    'Currently supported releases',
    ['GET'],
    'The released versions still supported in this environment.',
  ),
  // --- integrations ---
  integrations: doc(
    'Integrations',
    ['GET', 'DELETE'],
    'Every consumer and provider pair that has a pact, with links to its latest pact and matrix; `text/vnd.graphviz` gives the graph. DELETE removes them all.',
  ),
  // --- webhooks ---
  webhooks: doc(
    'Webhooks',
    ['GET', 'POST'],
    'Every webhook. POST creates one: `{"description", "events": [{"name": "contract_content_changed"}], "request": {"method", "url", "headers", "body"}, "consumer", "provider", "enabled"}`.',
  ),
  webhook: doc(
    'Webhook',
    ['GET', 'PUT', 'DELETE'],
    'One webhook, by uuid. PUT creates or replaces it, DELETE removes it.',
  ),
  'pact-webhooks': doc(
    "This pact's webhooks",
    ['GET', 'POST'],
    'The webhooks that fire for this consumer and provider.',
  ),
  'pact-webhooks-status': doc(
    'Webhook status',
    ['GET'],
    'How the webhooks for this integration fared: the latest triggered webhooks and their outcomes.',
  ),
  'triggered-webhooks': doc(
    'Triggered webhooks',
    ['GET'],
    'The webhooks this publication or verification triggered, each with its status and log.',
  ),
  logs: doc('Webhook logs', ['GET'], "A triggered webhook's request and response log (secrets redacted)."),
  execute: doc(
    'Execute webhook',
    ['POST'],
    'Runs this webhook once now, as a test, with the latest pact of its integration, and answers with the request sent and the response received.',
  ),
  'execute-webhook': doc(
    'Execute an unsaved webhook',
    ['POST'],
    'Runs a webhook given in the body once, without saving it, to test its URL, headers and body template.',
  ),
  create: doc('Create', ['POST'], 'Creates a resource in this collection.'),
  // --- operations ---
  metrics: doc(
    'Metrics',
    ['GET'],
    'Counts of pacticipants, versions, pacts, verifications and webhooks, as JSON or (with `Accept: text/plain`) in the Prometheus text format.',
  ),
  contracts: doc('Contracts', ['GET'], 'The contracts (pacts) published with this request.'),
};

/** The documentation of a relation, by its name with or without a curie prefix (`pb:pacticipant`). */
export function relationDoc(rel: string): RelationDoc | undefined {
  const name = rel.includes(':') ? rel.slice(rel.indexOf(':') + 1) : rel;
  return Object.hasOwn(RELATION_DOCS, name) ? RELATION_DOCS[name] : undefined;
}

/** A relation's documentation as markdown text (what the page shows, for a client that is not a browser). */
export function relationMarkdown(name: string, entry: RelationDoc): string {
  return `# pb:${name} — ${entry.title}\n\nAllowed methods: ${entry.methods.join(', ')}\n\n${entry.text}\n`;
}
