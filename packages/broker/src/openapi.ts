import { WEBHOOK_EVENT_NAMES } from './domain/webhooks.js';
import { PROBLEM_KINDS, type ProblemStatus } from './http/problem.js';

/**
 * The broker's API as an OpenAPI 3.1 document: every route `createApp` registers, with JSON Schemas
 * (2020-12) for the bodies it takes and the bodies it answers. The schemas describe rather than
 * constrain: HAL resources allow properties beyond the ones named, as clients must tolerate.
 */

type Schema = Record<string, unknown>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const HAL = 'application/hal+json';
const JSON_TYPE = 'application/json';
const PROBLEM = 'application/problem+json';
const SVG = 'image/svg+xml';

// ---- schema builders ------------------------------------------------------------------------------

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const string: Schema = { type: 'string' };
const boolean: Schema = { type: 'boolean' };
const integer: Schema = { type: 'integer', minimum: 0 };
const timestamp: Schema = { type: 'string', format: 'date-time' };
const anything: Schema = {};
const anyObject: Schema = { type: 'object', additionalProperties: true };
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const list = (items: Schema): Schema => ({ type: 'array', items });
const described = (description: string, schema: Schema): Schema => ({ description, ...schema });

/** An object with these required and optional properties; others are allowed. */
function object(required: Record<string, Schema>, optional: Record<string, Schema> = {}): Schema {
  const names = Object.keys(required);
  return {
    type: 'object',
    ...(names.length > 0 ? { required: names } : {}),
    properties: { ...required, ...optional },
    additionalProperties: true,
  };
}

/** HAL `_links`: these relations required (each a link or a list of links), plus lists that are always lists. */
function links(rels: string[], lists: string[] = []): Schema {
  const required = [...rels, ...lists];
  return {
    type: 'object',
    ...(required.length > 0
      ? {
          required,
          properties: Object.fromEntries([
            ...rels.map((rel) => [rel, ref('LinkOrLinks')]),
            ...lists.map((rel) => [rel, list(ref('Link'))]),
          ]),
        }
      : {}),
    additionalProperties: ref('LinkOrLinks'),
  };
}

/** A HAL resource: its fields plus `_links` with at least `rels`. */
const hal = (
  rels: string[],
  required: Record<string, Schema>,
  optional: Record<string, Schema> = {},
  lists: string[] = [],
): Schema => object({ ...required, _links: links(rels, lists) }, optional);

// ---- component schemas ----------------------------------------------------------------------------

const named = object({ name: string });
const embeddedName = hal(['self'], { name: string });

const errorCode = described(
  "A stable code from the broker's catalog (docs/errors.md): branch on it, not on the wording.",
  { type: 'string', pattern: '^COV_BROKER_[A-Z_]+$' },
);
const errorHint = described('What to do about the error.', string);

const schemas: Record<string, Schema> = {
  Link: described(
    'A HAL link. `templated` links carry RFC 6570 `{variables}` in `href`.',
    object({ href: string }, { title: string, name: string, templated: boolean }),
  ),
  LinkOrLinks: { anyOf: [ref('Link'), list(ref('Link'))] },

  Problem: described(
    'An RFC 7807 problem, sent when the request accepts `application/problem+json`.',
    object(
      {
        type: string,
        title: string,
        status: { type: 'integer' },
        detail: string,
        instance: string,
        code: errorCode,
        hint: errorHint,
      },
      {
        errors: list(
          object(
            { detail: string },
            { type: string, title: string, pointer: described('JSON Pointer', string) },
          ),
        ),
      },
    ),
  ),
  LegacyError: described(
    "The reference broker's error body for clients that do not ask for problem+json.",
    object({ error: string, code: errorCode, hint: errorHint }),
  ),
  LegacyErrors: described(
    "The reference broker's validation error body: messages by field, or a flat list (as `/matrix` and `/can-i-deploy` answer).",
    object({
      errors: {
        anyOf: [{ type: 'object', additionalProperties: list(string) }, list(string)],
      },
      code: errorCode,
      hint: errorHint,
    }),
  ),
  LegacyErrorBody: { anyOf: [ref('LegacyError'), ref('LegacyErrors')] },

  Heartbeat: object({ ok: boolean, _links: links(['self']) }),
  Index: object({
    _links: links([
      'self',
      'pb:publish-pact',
      'pb:publish-contracts',
      'pb:latest-pact-versions',
      'pb:pacticipants',
      'pb:pacticipant',
      'pb:latest-version',
      'pb:pacticipant-version',
      'pb:provider-pacts-for-verification',
      'pb:environments',
      'pb:environment',
      'pb:webhooks',
      'pb:webhook',
      'pb:integrations',
      'curies',
    ]),
  }),
  OpenApiDocument: object({
    openapi: string,
    info: object({ title: string, version: string }),
    paths: anyObject,
  }),

  // pacticipants, versions, branches, tags, labels
  PacticipantRef: object({ name: string, _links: links(['self']) }),
  VersionRef: object({ number: string, _links: links(['self']) }),
  PacticipantSummary: hal(
    ['self'],
    { name: string },
    { displayName: string, _embedded: object({}, { 'latest-version': ref('VersionRef') }) },
  ),
  PacticipantList: object({
    pacticipants: described("The reference broker's older top-level list", list(ref('PacticipantSummary'))),
    _embedded: object({ pacticipants: list(ref('PacticipantSummary')) }),
    _links: links(['self'], ['pb:pacticipants', 'pacticipants']),
  }),
  Pacticipant: hal(
    ['self', 'pb:versions', 'pb:version', 'pb:version-tag', 'pb:latest-version', 'pb:label'],
    {
      name: string,
      displayName: string,
      createdAt: timestamp,
      updatedAt: timestamp,
      _embedded: object(
        { labels: list(embeddedName) },
        {
          latestVersion: ref('VersionRef'),
          'latest-version': described('Deprecated name of latestVersion', ref('VersionRef')),
        },
      ),
    },
    { repositoryUrl: string, mainBranch: string },
  ),
  PacticipantInput: described(
    'PUT replaces these fields (absent ones are cleared); PATCH changes only those given.',
    object({}, { displayName: string, repositoryUrl: string, mainBranch: string }),
  ),
  PacticipantCreate: object(
    { name: string },
    { displayName: string, repositoryUrl: string, mainBranch: string },
  ),
  PacticipantsWithLabel: object({
    _embedded: object({ pacticipants: list(ref('PacticipantSummary')) }),
    _links: links(['self'], ['pb:pacticipants', 'pacticipants']),
  }),
  Version: hal(
    ['self', 'pb:pacticipant', 'pb:tag', 'pb:latest-verification-results-where-pacticipant-is-consumer'],
    {
      number: string,
      createdAt: timestamp,
      _embedded: object({ branchVersions: list(embeddedName), tags: list(embeddedName) }),
    },
    { buildUrl: string },
    ['pb:record-deployment', 'pb:record-release'],
  ),
  VersionList: object({
    _embedded: object({ versions: list(hal(['self'], { number: string, createdAt: timestamp })) }),
    _links: links(['self', 'pb:pacticipant']),
  }),
  VersionInput: described(
    'PUT replaces the tags given; PATCH adds them.',
    object({}, { buildUrl: string, tags: list({ anyOf: [string, named] }) }),
  ),
  Branch: hal(['self', 'pb:pacticipant'], { name: string, createdAt: timestamp }),
  BranchList: object({
    _embedded: object({ branches: list(hal(['self'], { name: string, createdAt: timestamp })) }),
    _links: links(['self', 'pb:pacticipant']),
  }),
  BranchVersion: hal(['self', 'pb:version', 'pb:branch'], { name: string }),
  Tag: hal(['self', 'pb:version', 'pb:pacticipant'], { name: string }),
  Label: hal(['self', 'pb:pacticipant', 'pb:pacticipants-with-label'], {
    name: string,
    createdAt: timestamp,
  }),
  LabelList: object({
    _embedded: object({ labels: list(object({ name: string, _links: links(['pb:pacticipants']) })) }),
    _links: links(['self']),
  }),

  // pacts
  PactContent: described(
    'A pact file (Pact specification 1 to 4); consumer and provider names, when given, must match the URL.',
    object(
      {},
      {
        consumer: named,
        provider: named,
        interactions: list(anyObject),
        messages: list(anyObject),
        metadata: anyObject,
      },
    ),
  ),
  Pact: described(
    'The pact content as published (interactions carry `_id`s), with `createdAt` and HAL links.',
    object(
      {
        consumer: named,
        provider: named,
        createdAt: timestamp,
        _links: links([
          'self',
          'pb:consumer',
          'pb:consumer-version',
          'pb:provider',
          'pb:pact-version',
          'pb:latest-pact-version',
          'pb:all-pact-versions',
          'pb:publish-verification-results',
          'pb:latest-verification-results',
          'pb:tag-version',
        ]),
      },
      { interactions: list(anyObject), messages: list(anyObject), metadata: anyObject },
    ),
  ),
  ProviderPacts: object({ _links: links(['self', 'provider'], ['pb:pacts', 'pacts']) }),
  PactVersions: object({
    _embedded: object({
      pacts: list(
        object({
          createdAt: timestamp,
          _embedded: object({ consumerVersion: object({ number: string }) }),
          _links: links(['self', 'pb:pact-version']),
        }),
      ),
    }),
    _links: links(['self']),
  }),
  PactDiff: object({
    added: list(anyObject),
    removed: list(anyObject),
    changed: list(object({ before: anyObject, after: anyObject })),
    _links: links(['self']),
  }),
  LatestPacts: object({
    pacts: list(
      object({
        createdAt: timestamp,
        _embedded: object({
          consumer: object({
            name: string,
            _links: links(['self']),
            _embedded: object({ version: object({ number: string }) }),
          }),
          provider: ref('PacticipantRef'),
        }),
        _links: links(['self']),
      }),
    ),
    _links: links(['self']),
  }),
  Integrations: object({
    _embedded: object({
      integrations: list(
        object({
          consumer: ref('PacticipantRef'),
          provider: ref('PacticipantRef'),
          latestPactPublishedAt: timestamp,
        }),
      ),
    }),
    _links: links(['self']),
  }),
  PublishContractsRequest: object(
    {
      pacticipantName: string,
      pacticipantVersionNumber: string,
      contracts: list(
        object(
          {
            consumerName: described('Must be the pacticipantName', string),
            providerName: string,
            specification: { const: 'pact' },
            contentType: { const: JSON_TYPE },
            content: described('The pact JSON, base64-encoded', {
              type: 'string',
              contentEncoding: 'base64',
            }),
          },
          { onConflict: { enum: ['overwrite', 'merge'] } },
        ),
      ),
    },
    { branch: string, tags: list(string), buildUrl: string },
  ),
  PublishContractsResult: object({
    notices: list(object({ type: string, text: string })),
    logs: list(object({ level: string, message: string }, { deprecationWarning: string })),
    _embedded: object({ pacticipant: ref('PacticipantRef'), version: ref('VersionRef') }),
    _links: links(
      ['pb:pacticipant', 'pb:pacticipant-version'],
      ['pb:pacticipant-version-tags', 'pb:contracts'],
    ),
  }),

  // verification
  ConsumerVersionSelector: object(
    {},
    {
      mainBranch: boolean,
      branch: string,
      matchingBranch: boolean,
      fallbackBranch: string,
      tag: string,
      fallbackTag: string,
      latest: boolean,
      consumer: string,
      deployed: boolean,
      released: boolean,
      deployedOrReleased: boolean,
      environment: string,
    },
  ),
  ForVerificationRequest: object(
    {},
    {
      consumerVersionSelectors: list(ref('ConsumerVersionSelector')),
      providerVersionBranch: string,
      providerVersionTags: list(string),
      includePendingStatus: boolean,
      includeWipPactsSince: described('A date, e.g. 2024-01-01', string),
    },
  ),
  ForVerificationLinks: object({ _links: links(['self', 'pb:provider']) }),
  PactsForVerification: object({
    _embedded: object({
      pacts: list(
        object({
          shortDescription: string,
          verificationProperties: object(
            { pending: boolean, notices: list(object({ when: string, text: string })) },
            { wip: boolean },
          ),
          _links: links(['self']),
        }),
      ),
    }),
    _links: links(['self']),
  }),
  VerificationResultInput: object(
    { success: boolean, providerApplicationVersion: string },
    { buildUrl: nullable(string), testResults: anything, verifiedBy: anything },
  ),
  VerificationResult: hal(
    ['self', 'pb:pact-version', 'pb:provider-version'],
    {
      providerName: string,
      providerApplicationVersion: string,
      success: boolean,
      verificationDate: timestamp,
    },
    { buildUrl: string, testResults: anything, verifiedBy: anything },
  ),

  // environments, deployments, releases
  Contact: object({ name: string }, { details: anyObject }),
  EnvironmentInput: object(
    { name: described('No spaces', string), production: boolean },
    { displayName: nullable(string), contacts: nullable(list(ref('Contact'))) },
  ),
  Environment: hal(
    [
      'self',
      'pb:currently-deployed-deployed-versions',
      'pb:currently-supported-released-versions',
      'pb:environments',
    ],
    {
      uuid: string,
      name: string,
      displayName: string,
      production: boolean,
      createdAt: timestamp,
      updatedAt: timestamp,
    },
    { contacts: list(ref('Contact')) },
  ),
  EnvironmentList: object({
    _embedded: object({ environments: list(ref('Environment')) }),
    _links: links(['self'], ['pb:environments']),
  }),
  DeploymentInput: object(
    {},
    {
      applicationInstance: nullable(string),
      target: described('Deprecated name of applicationInstance', nullable(string)),
    },
  ),
  ReleaseInput: anyObject,
  DeployedVersion: hal(['self'], {
    uuid: string,
    currentlyDeployed: boolean,
    applicationInstance: nullable(string),
    target: described('Deprecated name of applicationInstance', nullable(string)),
    undeployedAt: nullable(timestamp),
    createdAt: timestamp,
    _embedded: object({
      pacticipant: ref('PacticipantRef'),
      version: ref('VersionRef'),
      environment: ref('Environment'),
    }),
  }),
  DeployedVersionList: object({
    _embedded: object({ deployedVersions: list(ref('DeployedVersion')) }),
    _links: links(['self']),
  }),
  DeployedVersionUpdate: object(
    {},
    { currentlyDeployed: described('Only false (undeploy) changes anything', boolean) },
  ),
  ReleasedVersion: hal(['self'], {
    uuid: string,
    currentlySupported: boolean,
    supportEndedAt: nullable(timestamp),
    createdAt: timestamp,
    _embedded: object({
      pacticipant: ref('PacticipantRef'),
      version: ref('VersionRef'),
      environment: ref('Environment'),
    }),
  }),
  ReleasedVersionList: object({
    _embedded: object({ releasedVersions: list(ref('ReleasedVersion')) }),
    _links: links(['self']),
  }),
  ReleasedVersionUpdate: object(
    {},
    { currentlySupported: described('Only false (end support) changes anything', boolean) },
  ),

  // matrix
  MatrixVersion: hal(['self'], {
    number: string,
    branch: nullable(string),
    branches: list(hal(['self'], { name: string, latest: boolean })),
    branchVersions: list(hal(['self'], { name: string, latest: boolean })),
    environments: list(
      hal(['self'], { uuid: string, name: string, displayName: string, production: boolean }),
    ),
    tags: list(hal(['self'], { name: string, latest: boolean })),
  }),
  MatrixRow: object(
    {
      consumer: hal(['self'], { name: string, version: ref('MatrixVersion') }),
      provider: hal(['self'], { name: string, version: nullable(ref('MatrixVersion')) }),
      pact: hal(['self'], { createdAt: timestamp }),
      verificationResult: nullable(hal(['self'], { success: boolean, verifiedAt: timestamp })),
    },
    { ignored: boolean },
  ),
  Matrix: object({
    summary: object(
      {
        deployable: described('null when nothing could be determined', nullable(boolean)),
        reason: string,
        success: integer,
        failed: integer,
        unknown: integer,
      },
      { ignored: integer },
    ),
    notices: list(object({ type: { enum: ['success', 'error', 'warning', 'info'] }, text: string })),
    matrix: list(ref('MatrixRow')),
  }),

  // webhooks
  PacticipantScope: described('One pacticipant by name, or all with a label', {
    anyOf: [object({ name: string }), object({ label: string })],
  }),
  WebhookEvent: object({ name: { enum: [...WEBHOOK_EVENT_NAMES] } }),
  WebhookRequestInput: object(
    { method: string, url: string },
    {
      headers: { type: 'object', additionalProperties: string },
      body: anything,
      username: string,
      password: string,
    },
  ),
  WebhookInput: object(
    { request: ref('WebhookRequestInput') },
    {
      description: nullable(string),
      enabled: boolean,
      consumer: ref('PacticipantScope'),
      provider: ref('PacticipantScope'),
      events: list(ref('WebhookEvent')),
    },
  ),
  Webhook: hal(
    ['self', 'pb:execute', 'pb:webhooks'],
    {
      uuid: string,
      description: nullable(string),
      enabled: boolean,
      request: {
        ...object(
          { method: string, url: string },
          {
            headers: { type: 'object', additionalProperties: string },
            body: anything,
            username: string,
            password: { description: 'Never shown', not: {} },
          },
        ),
        description:
          'The request the webhook sends; never the password, and secret-looking header values starred',
      },
      events: list(ref('WebhookEvent')),
      createdAt: timestamp,
      updatedAt: timestamp,
    },
    { consumer: ref('PacticipantScope'), provider: ref('PacticipantScope') },
  ),
  WebhookList: object({
    _embedded: object({ webhooks: list(ref('Webhook')) }),
    _links: links(['self', 'pb:create'], ['pb:webhooks']),
  }),
};

// ---- error responses ------------------------------------------------------------------------------

const errorResponse = (status: number, description: string) => ({
  description: `${description}. RFC 7807 for clients accepting ${PROBLEM}, otherwise the reference broker's {error} or {errors} body.`,
  ...(status === 405
    ? { headers: { Allow: { description: 'The methods the resource takes', schema: string } } }
    : {}),
  content: {
    [PROBLEM]: { schema: ref('Problem') },
    [HAL]: { schema: ref('LegacyErrorBody') },
  },
});

// ---- operations -----------------------------------------------------------------------------------

interface Success {
  description: string;
  /** A component schema name; absent for 204. */
  schema?: string;
  media?: string;
}

interface QueryParameter {
  name: string;
  description: string;
  schema?: Schema;
  required?: boolean;
}

interface Operation {
  method: Method;
  /** OpenAPI form: `{param}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** A component schema name for a JSON request body. */
  body?: string;
  /** Whether the body may be left out (most writes treat a missing body as `{}`). */
  bodyOptional?: boolean;
  ok: Record<number, Success>;
  /** Client errors beyond those every operation of its kind can answer (401; 400/403/413/415 for writes). */
  errors?: number[];
  query?: QueryParameter[];
  /** Answered without credentials. */
  public?: boolean;
}

const ok = (schema: string, description = 'OK'): Record<number, Success> => ({
  200: { description, schema },
});
const upserted = (schema: string, what: string): Record<number, Success> => ({
  200: { description: `${what} updated (or unchanged)`, schema },
  201: { description: `${what} created`, schema },
});
const created = (schema: string, what: string): Record<number, Success> => ({
  201: { description: `${what} created`, schema },
});
const deleted: Record<number, Success> = { 204: { description: 'Deleted' } };

const PACT = '/pacts/provider/{provider}/consumer/{consumer}';
const VERSION = '/pacticipants/{pacticipant}/versions/{version}';

const array = (description: string, items: Schema = string): QueryParameter => ({
  name: '',
  description,
  schema: list(items),
});
const matrixQuery: QueryParameter[] = [
  { ...array('Selector pacticipant names, one per selector'), name: 'q[][pacticipant]' },
  { ...array('Selector version numbers'), name: 'q[][version]' },
  { ...array("Selectors' latest flags ('true')"), name: 'q[][latest]' },
  { ...array('Selector tags'), name: 'q[][tag]' },
  { ...array('Selector branches'), name: 'q[][branch]' },
  { ...array("Selectors' mainBranch flags ('true')"), name: 'q[][mainBranch]' },
  { ...array('Selector environments'), name: 'q[][environment]' },
  { name: 'latestby', description: 'Keep the latest row per', schema: { enum: ['cvpv', 'cvp', 'cp'] } },
  {
    name: 'latest',
    description: "Compare with the other pacticipants' latest versions",
    schema: { enum: ['true', 'false'] },
  },
  { name: 'tag', description: '…with this tag', schema: string },
  { name: 'mainBranch', description: '…on their main branch', schema: { enum: ['true', 'false'] } },
  { name: 'environment', description: '…deployed or released to this environment', schema: string },
  {
    ...array("Keep rows whose verification succeeded ('true'), failed ('false') or is missing ('')"),
    name: 'success[]',
  },
  { ...array('Pacticipants whose results do not block'), name: 'ignore[][pacticipant]' },
  { ...array('…only these versions of them'), name: 'ignore[][version]' },
  {
    name: 'limit',
    description: 'Most rows (default 100)',
    schema: { type: 'integer', minimum: 1, maximum: 1000 },
  },
];
const canIDeployQuery: QueryParameter[] = [
  { name: 'pacticipant', description: 'The pacticipant to deploy', schema: string, required: true },
  { name: 'version', description: 'Its version', schema: string, required: true },
  { name: 'to', description: 'Check against the latest versions with this tag', schema: string },
  { name: 'environment', description: 'Check against the versions in this environment', schema: string },
  { ...array('Pacticipants whose results do not block'), name: 'ignore[]' },
  { ...array('Pacticipants whose results do not block'), name: 'ignore[][pacticipant]' },
  { ...array('…only these versions of them'), name: 'ignore[][version]' },
  {
    name: 'limit',
    description: 'Most rows (default 100)',
    schema: { type: 'integer', minimum: 1, maximum: 1000 },
  },
];
const badgeQuery: QueryParameter[] = [
  {
    name: 'label',
    description: 'Show only one side: consumer or provider',
    schema: { enum: ['consumer', 'provider'] },
  },
  {
    name: 'initials',
    description: 'Shorten multi-word names to initials',
    schema: { enum: ['true', 'false'] },
  },
];

const webhookCollections: Array<[string, string]> = [
  ['/webhooks', 'all webhooks'],
  ['/webhooks/provider/{provider}/consumer/{consumer}', 'the webhooks of a consumer and provider'],
  ['/webhooks/provider/{provider}', 'the webhooks of a provider'],
  ['/webhooks/consumer/{consumer}', 'the webhooks of a consumer'],
  [`${PACT}/webhooks`, "a pact's webhooks (the reference broker's older address)"],
];

const OPERATIONS: Operation[] = [
  // diagnostics and index
  {
    method: 'GET',
    path: '/diagnostic/status/heartbeat',
    tag: 'Index',
    summary: 'Heartbeat',
    description: 'Answers without credentials, for load balancers and health checks.',
    ok: ok('Heartbeat'),
    public: true,
  },
  {
    method: 'GET',
    path: '/openapi.json',
    tag: 'Index',
    summary: 'This OpenAPI document',
    ok: { 200: { description: 'OK', schema: 'OpenApiDocument', media: JSON_TYPE } },
  },
  {
    method: 'GET',
    path: '/',
    tag: 'Index',
    summary: 'The API index: HAL relations to every resource',
    ok: ok('Index'),
  },

  // pacticipants
  {
    method: 'GET',
    path: '/pacticipants',
    tag: 'Pacticipants',
    summary: 'All pacticipants',
    ok: ok('PacticipantList'),
  },
  {
    method: 'POST',
    path: '/pacticipants',
    tag: 'Pacticipants',
    summary: 'Create a pacticipant (or update the one with the name)',
    body: 'PacticipantCreate',
    ok: upserted('Pacticipant', 'Pacticipant'),
  },
  {
    method: 'GET',
    path: '/pacticipants/{pacticipant}',
    tag: 'Pacticipants',
    summary: 'A pacticipant, with its labels and latest version',
    ok: ok('Pacticipant'),
    errors: [404],
  },
  {
    method: 'PUT',
    path: '/pacticipants/{pacticipant}',
    tag: 'Pacticipants',
    summary: 'Create or replace a pacticipant',
    body: 'PacticipantInput',
    bodyOptional: true,
    ok: upserted('Pacticipant', 'Pacticipant'),
  },
  {
    method: 'PATCH',
    path: '/pacticipants/{pacticipant}',
    tag: 'Pacticipants',
    summary: 'Create or update some fields of a pacticipant',
    body: 'PacticipantInput',
    bodyOptional: true,
    ok: upserted('Pacticipant', 'Pacticipant'),
  },
  {
    method: 'DELETE',
    path: '/pacticipants/{pacticipant}',
    tag: 'Pacticipants',
    summary: 'Delete a pacticipant with its versions, pacts, verifications and webhooks',
    ok: deleted,
    errors: [404],
  },
  {
    method: 'GET',
    path: '/pacticipants/label/{label}',
    tag: 'Labels',
    summary: 'The pacticipants with a label',
    ok: ok('PacticipantsWithLabel'),
  },
  { method: 'GET', path: '/labels', tag: 'Labels', summary: 'All label names in use', ok: ok('LabelList') },
  {
    method: 'GET',
    path: '/pacticipants/{pacticipant}/labels/{label}',
    tag: 'Labels',
    summary: "A pacticipant's label",
    ok: ok('Label'),
    errors: [404],
  },
  {
    method: 'PUT',
    path: '/pacticipants/{pacticipant}/labels/{label}',
    tag: 'Labels',
    summary: 'Label a pacticipant (created if missing)',
    ok: upserted('Label', 'Label'),
  },
  {
    method: 'DELETE',
    path: '/pacticipants/{pacticipant}/labels/{label}',
    tag: 'Labels',
    summary: 'Remove a label from a pacticipant',
    ok: deleted,
    errors: [404],
  },

  // versions, branches, tags
  {
    method: 'GET',
    path: '/pacticipants/{pacticipant}/versions',
    tag: 'Versions',
    summary: "A pacticipant's versions, newest first (at most 100)",
    ok: ok('VersionList'),
    errors: [404],
  },
  {
    method: 'GET',
    path: VERSION,
    tag: 'Versions',
    summary: 'A pacticipant version, with its branches and tags',
    ok: ok('Version'),
    errors: [404],
  },
  {
    method: 'PUT',
    path: VERSION,
    tag: 'Versions',
    summary: 'Create a version, or replace its tags',
    body: 'VersionInput',
    bodyOptional: true,
    ok: upserted('Version', 'Version'),
  },
  {
    method: 'PATCH',
    path: VERSION,
    tag: 'Versions',
    summary: 'Create a version, or add tags to it',
    body: 'VersionInput',
    bodyOptional: true,
    ok: upserted('Version', 'Version'),
  },
  {
    method: 'GET',
    path: '/pacticipants/{pacticipant}/latest-version',
    tag: 'Versions',
    summary: "A pacticipant's latest version",
    ok: ok('Version'),
    errors: [404],
  },
  {
    method: 'GET',
    path: '/pacticipants/{pacticipant}/latest-version/{tag}',
    tag: 'Versions',
    summary: "A pacticipant's latest version with a tag",
    ok: ok('Version'),
    errors: [404],
  },
  {
    method: 'GET',
    path: '/pacticipants/{pacticipant}/branches',
    tag: 'Branches',
    summary: "A pacticipant's branches",
    ok: ok('BranchList'),
    errors: [404],
  },
  {
    method: 'GET',
    path: '/pacticipants/{pacticipant}/branches/{branch}',
    tag: 'Branches',
    summary: 'A branch',
    ok: ok('Branch'),
    errors: [404],
  },
  {
    method: 'DELETE',
    path: '/pacticipants/{pacticipant}/branches/{branch}',
    tag: 'Branches',
    summary: 'Delete a branch (its versions stay)',
    ok: deleted,
    errors: [404],
  },
  {
    method: 'PUT',
    path: '/pacticipants/{pacticipant}/branches/{branch}/versions/{version}',
    tag: 'Branches',
    summary: 'Add a version to a branch (pacticipant, branch and version created if missing)',
    ok: ok('BranchVersion'),
  },
  {
    method: 'GET',
    path: '/pacticipants/{pacticipant}/branches/{branch}/versions/{version}',
    tag: 'Branches',
    summary: 'A version on a branch (the branch name URL-encoded, so it may hold a slash)',
    ok: ok('BranchVersion'),
    errors: [404],
  },
  {
    method: 'GET',
    path: `${VERSION}/tags/{tag}`,
    tag: 'Tags',
    summary: 'A tag of a version',
    ok: ok('Tag'),
    errors: [404],
  },
  {
    method: 'PUT',
    path: `${VERSION}/tags/{tag}`,
    tag: 'Tags',
    summary: 'Tag a version (pacticipant and version created if missing)',
    ok: upserted('Tag', 'Tag'),
  },
  {
    method: 'DELETE',
    path: `${VERSION}/tags/{tag}`,
    tag: 'Tags',
    summary: 'Remove a tag from a version',
    ok: deleted,
    errors: [404],
  },

  // pacts
  {
    method: 'PUT',
    path: `${PACT}/version/{version}`,
    tag: 'Pacts',
    summary: 'Publish a pact for a consumer version',
    body: 'PactContent',
    ok: {
      200: { description: 'The same content was published before', schema: 'Pact' },
      201: { description: 'Published', schema: 'Pact' },
    },
    errors: [409],
  },
  {
    method: 'GET',
    path: `${PACT}/version/{version}`,
    tag: 'Pacts',
    summary: 'The pact for a consumer version',
    ok: ok('Pact'),
    errors: [404],
  },
  {
    method: 'GET',
    path: `${PACT}/latest`,
    tag: 'Pacts',
    summary: 'The latest pact between a consumer and a provider',
    ok: ok('Pact'),
    errors: [404],
  },
  {
    method: 'GET',
    path: `${PACT}/latest/{tag}`,
    tag: 'Pacts',
    summary: 'The latest pact whose consumer version has a tag',
    ok: ok('Pact'),
    errors: [404],
  },
  {
    method: 'GET',
    path: `${PACT}/branch/{branch}/latest`,
    tag: 'Pacts',
    summary: 'The latest pact from a consumer branch',
    ok: ok('Pact'),
    errors: [404],
  },
  {
    method: 'GET',
    path: `${PACT}/pact-version/{sha}`,
    tag: 'Pacts',
    summary: 'A pact by its content SHA (permalink)',
    ok: ok('Pact'),
    errors: [404],
  },
  {
    method: 'GET',
    path: `${PACT}/pact-version/{sha}/metadata/{metadata}`,
    tag: 'Pacts',
    summary: 'A pact by its content SHA, as linked from for-verification',
    ok: ok('Pact'),
    errors: [404],
  },
  {
    method: 'GET',
    path: `${PACT}/versions`,
    tag: 'Pacts',
    summary: 'Every consumer version with a pact between a consumer and a provider',
    ok: ok('PactVersions'),
    errors: [404],
  },
  {
    method: 'GET',
    path: `${PACT}/pact-version/{sha}/diff/pact-version/{other}`,
    tag: 'Pacts',
    summary: 'The interactions added, removed and changed from pact version {other} to {sha}',
    ok: ok('PactDiff'),
    errors: [404],
  },
  {
    method: 'GET',
    path: '/pacts/provider/{provider}/latest',
    tag: 'Pacts',
    summary: 'Links to the latest pact of each consumer of a provider',
    ok: ok('ProviderPacts'),
    errors: [404],
  },
  {
    method: 'GET',
    path: '/pacts/provider/{provider}/latest/{tag}',
    tag: 'Pacts',
    summary: 'Links to the latest pact with a consumer version tag of each consumer of a provider',
    ok: ok('ProviderPacts'),
    errors: [404],
  },
  {
    method: 'GET',
    path: '/pacts/latest',
    tag: 'Pacts',
    summary: 'The latest pact of every integration',
    ok: ok('LatestPacts'),
  },
  {
    method: 'GET',
    path: '/integrations',
    tag: 'Pacts',
    summary: 'Every consumer–provider pair with a pact',
    ok: ok('Integrations'),
  },
  {
    method: 'POST',
    path: '/contracts/publish',
    tag: 'Pacts',
    summary: 'Publish pacts for a consumer version, with its branch and tags, in one transaction',
    body: 'PublishContractsRequest',
    ok: ok('PublishContractsResult'),
    errors: [409],
  },
  {
    method: 'GET',
    path: `${PACT}/latest/badge`,
    tag: 'Badges',
    summary: 'An SVG badge with the verification status of the latest pact',
    description: 'Unknown pacticipants give an "unknown" badge rather than a 404.',
    ok: { 200: { description: 'The badge', media: SVG } },
    query: badgeQuery,
  },
  {
    method: 'GET',
    path: `${PACT}/latest/{tag}/badge`,
    tag: 'Badges',
    summary: 'An SVG badge with the verification status of the latest pact with a consumer version tag',
    ok: { 200: { description: 'The badge', media: SVG } },
    query: badgeQuery,
  },

  // verification
  {
    method: 'GET',
    path: '/pacts/provider/{provider}/for-verification',
    tag: 'Verification',
    summary: 'The relation clients POST their for-verification query to',
    ok: ok('ForVerificationLinks'),
    errors: [404],
  },
  {
    method: 'POST',
    path: '/pacts/provider/{provider}/for-verification',
    tag: 'Verification',
    summary: 'The pacts a provider should verify for consumer version selectors, with pending and WIP status',
    body: 'ForVerificationRequest',
    bodyOptional: true,
    ok: ok('PactsForVerification'),
    errors: [404],
  },
  {
    method: 'POST',
    path: `${PACT}/pact-version/{sha}/verification-results`,
    tag: 'Verification',
    summary: 'Publish a verification result for a pact version',
    body: 'VerificationResultInput',
    ok: created('VerificationResult', 'Verification result'),
    errors: [404],
  },
  {
    method: 'POST',
    path: `${PACT}/pact-version/{sha}/metadata/{metadata}/verification-results`,
    tag: 'Verification',
    summary: 'Publish a verification result, with the pending/WIP flags of the for-verification URL',
    body: 'VerificationResultInput',
    ok: created('VerificationResult', 'Verification result'),
    errors: [404],
  },
  {
    method: 'GET',
    path: `${PACT}/pact-version/{sha}/verification-results/latest`,
    tag: 'Verification',
    summary: 'The latest verification result of a pact version',
    ok: ok('VerificationResult'),
    errors: [404],
  },
  {
    method: 'GET',
    path: `${PACT}/pact-version/{sha}/verification-results/{id}`,
    tag: 'Verification',
    summary: 'A verification result',
    ok: ok('VerificationResult'),
    errors: [404],
  },
  {
    method: 'GET',
    path: `${VERSION}/latest-verification-results`,
    tag: 'Verification',
    summary: "The latest verification result of a consumer version's pacts",
    ok: ok('VerificationResult'),
    errors: [404],
  },

  // environments, deployments, releases
  {
    method: 'GET',
    path: '/environments',
    tag: 'Environments',
    summary: 'All environments',
    ok: ok('EnvironmentList'),
    errors: [400],
    query: [{ name: 'name', description: 'Only the environment with this name', schema: string }],
  },
  {
    method: 'POST',
    path: '/environments',
    tag: 'Environments',
    summary: 'Create an environment',
    body: 'EnvironmentInput',
    ok: created('Environment', 'Environment'),
  },
  {
    method: 'GET',
    path: '/environments/{uuid}',
    tag: 'Environments',
    summary: 'An environment',
    ok: ok('Environment'),
    errors: [404],
  },
  {
    method: 'PUT',
    path: '/environments/{uuid}',
    tag: 'Environments',
    summary: 'Replace an environment',
    body: 'EnvironmentInput',
    ok: ok('Environment'),
    errors: [404],
  },
  {
    method: 'DELETE',
    path: '/environments/{uuid}',
    tag: 'Environments',
    summary: 'Delete an environment with its deployment and release records',
    ok: deleted,
    errors: [404],
  },
  {
    method: 'GET',
    path: '/environments/{uuid}/deployed-versions/currently-deployed',
    tag: 'Deployments',
    summary: 'The versions currently deployed to an environment',
    ok: ok('DeployedVersionList'),
    errors: [400, 404],
    query: [
      { name: 'pacticipant', description: 'Only this pacticipant', schema: string },
      { name: 'applicationInstance', description: 'Only this application instance', schema: string },
      { name: 'target', description: 'Deprecated name of applicationInstance', schema: string },
    ],
  },
  {
    method: 'GET',
    path: '/environments/{uuid}/released-versions/currently-supported',
    tag: 'Deployments',
    summary: 'The released versions currently supported in an environment',
    ok: ok('ReleasedVersionList'),
    errors: [400, 404],
    query: [{ name: 'pacticipant', description: 'Only this pacticipant', schema: string }],
  },
  {
    method: 'POST',
    path: `${VERSION}/deployed-versions/environment/{uuid}`,
    tag: 'Deployments',
    summary: 'Record a deployment of a version to an environment',
    description: 'Ends the previous deployment of the pacticipant to the same application instance.',
    body: 'DeploymentInput',
    bodyOptional: true,
    ok: created('DeployedVersion', 'Deployment'),
    errors: [404],
  },
  {
    method: 'GET',
    path: `${VERSION}/deployed-versions/environment/{uuid}`,
    tag: 'Deployments',
    summary: "A version's current deployments to an environment",
    ok: ok('DeployedVersionList'),
    errors: [404],
  },
  {
    method: 'POST',
    path: `${VERSION}/released-versions/environment/{uuid}`,
    tag: 'Deployments',
    summary: 'Record a release of a version to an environment',
    body: 'ReleaseInput',
    bodyOptional: true,
    ok: created('ReleasedVersion', 'Release'),
    errors: [404],
  },
  {
    method: 'GET',
    path: `${VERSION}/released-versions/environment/{uuid}`,
    tag: 'Deployments',
    summary: "A version's currently supported releases to an environment",
    ok: ok('ReleasedVersionList'),
    errors: [404],
  },
  {
    method: 'GET',
    path: '/deployed-versions/{uuid}',
    tag: 'Deployments',
    summary: 'A deployed version',
    ok: ok('DeployedVersion'),
    errors: [404],
  },
  {
    method: 'PATCH',
    path: '/deployed-versions/{uuid}',
    tag: 'Deployments',
    summary: 'Record that a deployed version is no longer deployed',
    body: 'DeployedVersionUpdate',
    bodyOptional: true,
    ok: ok('DeployedVersion'),
    errors: [404],
  },
  {
    method: 'GET',
    path: '/released-versions/{uuid}',
    tag: 'Deployments',
    summary: 'A released version',
    ok: ok('ReleasedVersion'),
    errors: [404],
  },
  {
    method: 'PATCH',
    path: '/released-versions/{uuid}',
    tag: 'Deployments',
    summary: 'Record that a released version is no longer supported',
    body: 'ReleasedVersionUpdate',
    bodyOptional: true,
    ok: ok('ReleasedVersion'),
    errors: [404],
  },

  // matrix
  {
    method: 'GET',
    path: '/matrix',
    tag: 'Matrix',
    summary: 'The verification matrix for selected pacticipant versions',
    description:
      'The query is Rack-style: `q[][pacticipant]=A&q[][version]=1&q[][pacticipant]=B&q[][latest]=true` is two selectors.',
    ok: ok('Matrix'),
    errors: [400],
    query: matrixQuery,
  },
  {
    method: 'GET',
    path: '/can-i-deploy',
    tag: 'Matrix',
    summary: 'Whether a pacticipant version can be deployed to an environment or alongside tagged versions',
    ok: ok('Matrix'),
    errors: [400],
    query: canIDeployQuery,
  },

  // webhooks
  ...webhookCollections.flatMap(([path, what]): Operation[] => {
    const scoped = path !== '/webhooks';
    return [
      {
        method: 'GET',
        path,
        tag: 'Webhooks',
        summary: `List ${what}`,
        ok: ok('WebhookList'),
        ...(scoped ? { errors: [404] } : {}),
      },
      {
        method: 'POST',
        path,
        tag: 'Webhooks',
        summary: `Create a webhook${scoped ? ' scoped by the path' : ''}`,
        body: 'WebhookInput',
        ok: created('Webhook', 'Webhook'),
        ...(scoped ? { errors: [404] } : {}),
      },
    ];
  }),
  {
    method: 'GET',
    path: '/webhooks/{uuid}',
    tag: 'Webhooks',
    summary: 'A webhook',
    ok: ok('Webhook'),
    errors: [404],
  },
  {
    method: 'PUT',
    path: '/webhooks/{uuid}',
    tag: 'Webhooks',
    summary: 'Create a webhook with a chosen uuid, or replace one (a starred password keeps the stored one)',
    body: 'WebhookInput',
    ok: upserted('Webhook', 'Webhook'),
  },
  {
    method: 'DELETE',
    path: '/webhooks/{uuid}',
    tag: 'Webhooks',
    summary: 'Delete a webhook',
    ok: deleted,
    errors: [404],
  },
  {
    method: 'POST',
    path: '/webhooks/{uuid}/execute',
    tag: 'Webhooks',
    summary: 'Execute a webhook: not implemented (501); nothing is sent',
    ok: {},
    errors: [404, 501],
  },
];

// ---- assembly -------------------------------------------------------------------------------------

const PATH_PARAMETERS: Record<string, string> = {
  pacticipant: "The pacticipant's name",
  consumer: "The consumer's name",
  provider: "The provider's name",
  version: 'A version number',
  tag: 'A tag name',
  branch: 'A branch name',
  label: 'A label name',
  sha: "The pact content's SHA-1 (its pact version)",
  other: 'The SHA-1 of the pact version to compare with',
  metadata: 'Pending/WIP flags carried by a for-verification link (base64url JSON)',
  id: "The verification result's id",
};

function uuidDescription(path: string): string {
  if (path.startsWith('/webhooks')) return "The webhook's uuid";
  if (path.startsWith('/deployed-versions')) return "The deployed version's uuid";
  if (path.startsWith('/released-versions')) return "The released version's uuid";
  return "The environment's uuid";
}

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** `GET /pacticipants/{pacticipant}/versions` → `getPacticipantsByPacticipantVersions`. */
function operationId(method: Method, path: string): string {
  const words = path
    .split('/')
    .filter((part) => part !== '')
    .map((part) => (part.startsWith('{') ? `By${capitalise(part.slice(1, -1))}` : part))
    .flatMap((part) => part.split(/[^A-Za-z0-9]+/))
    .filter((word) => word !== '')
    .map(capitalise);
  return method.toLowerCase() + (words.length > 0 ? words.join('') : 'Index');
}

function operationObject(operation: Operation): Record<string, unknown> {
  const writes = operation.method !== 'GET';
  const pathParameters = [...operation.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    description:
      name === 'uuid'
        ? uuidDescription(operation.path)
        : `${PATH_PARAMETERS[name!] ?? name} (percent-encoded)`,
    schema: string,
  }));
  const queryParameters = (operation.query ?? []).map((q) => ({
    name: q.name,
    in: 'query',
    required: q.required ?? false,
    description: q.description,
    schema: q.schema ?? string,
    ...(q.schema?.type === 'array' ? { style: 'form', explode: true } : {}),
  }));
  const responses: Record<string, unknown> = {};
  for (const [status, success] of Object.entries(operation.ok)) {
    responses[status] = {
      description: success.description,
      ...(success.media === SVG
        ? { content: { [SVG]: { schema: string } } }
        : success.schema
          ? { content: { [success.media ?? HAL]: { schema: ref(success.schema) } } }
          : {}),
    };
  }
  const errors = new Set(operation.errors ?? []);
  if (!operation.public) errors.add(401);
  if (writes) for (const status of [400, 403, 413, 415]) errors.add(status);
  // any request can be too large in its URL and headers, or too slow; a path with a name, too long
  for (const status of [408, 431]) errors.add(status);
  if (pathParameters.length > 0) errors.add(414);
  for (const status of [...errors].sort((a, b) => a - b))
    responses[status] = { $ref: `#/components/responses/${PROBLEM_KINDS[status as ProblemStatus].name}` };
  return {
    operationId: operationId(operation.method, operation.path),
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    tags: [operation.tag],
    ...(operation.public ? { security: [] } : {}),
    ...(pathParameters.length + queryParameters.length > 0
      ? { parameters: [...pathParameters, ...queryParameters] }
      : {}),
    ...(operation.body
      ? {
          requestBody: {
            required: !operation.bodyOptional,
            description: `JSON, under any JSON media type (${JSON_TYPE}, ${HAL}, application/merge-patch+json…)`,
            content: { [JSON_TYPE]: { schema: ref(operation.body) } },
          },
        }
      : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of the broker's API, served at `GET /openapi.json`; with `baseUrl`, it
 * names the broker as its server.
 *
 * @example const document = openApiDocument('https://broker.example.com');
 */
export function openApiDocument(baseUrl?: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of OPERATIONS)
    (paths[operation.path] ??= {})[operation.method.toLowerCase()] = operationObject(operation);
  const document = {
    openapi: '3.1.0',
    info: {
      title: 'Covenant Pact Broker',
      version: '2.110.0-covenant',
      summary: "A Pact Broker speaking the reference broker's HAL API",
      description:
        'Resources are HAL+JSON. Errors are RFC 7807 problem+json for clients that accept it, otherwise the ' +
        "reference broker's `{error}` / `{errors}` bodies. HEAD is answered wherever GET is; a method a path " +
        'does not list is answered 405 (the MethodNotAllowed response) with an Allow header.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    ...(baseUrl ? { servers: [{ url: baseUrl.replace(/\/+$/, '') }] } : {}),
    tags: [...new Set(OPERATIONS.map((operation) => operation.tag))].map((name) => ({ name })),
    // credentials are needed only when the broker is configured with some
    security: [{ basicAuth: [] }, { bearerAuth: [] }, {}],
    paths,
    components: {
      schemas,
      responses: Object.fromEntries(
        Object.entries(PROBLEM_KINDS).map(([status, { name, description }]) => [
          name,
          errorResponse(Number(status), description),
        ]),
      ),
      securitySchemes: {
        basicAuth: { type: 'http', scheme: 'basic', description: 'A read-write or read-only user' },
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A read-write or read-only token' },
      },
    },
  };
  // a fresh copy each time: callers may change theirs
  return structuredClone(document);
}
