/**
 * `${pactbroker.*}` templates: the reference broker's parameters, filled into a webhook's URL,
 * headers and body from the data of the event that triggered it. Pure.
 */
import type { OutgoingRequest } from './deliver.js';

/** What a webhook's request looks like before its templates are filled in. */
export interface RequestTemplate {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** A JSON value (templates filled in its strings) or a string (filled in as text). */
  body?: unknown;
  username?: string;
  password?: string;
}

/** A pacticipant version as the templates see it. */
export interface TemplateVersion {
  number: string;
  branch?: string;
  tags?: string[];
  buildUrl?: string;
}

/**
 * The data of one triggered webhook: stored with the delivery (as JSON) and turned into the
 * parameters when the request is sent. Every field but the names and event is optional: a webhook
 * run before any pact exists (the execute resource) fills what it has.
 */
export interface TemplateData {
  eventName: string;
  consumer: { name: string; labels?: string[] };
  provider: { name: string; labels?: string[] };
  /** The pact version's URL with the for-verification metadata, when there is one. */
  pactUrl?: string;
  consumerVersion?: TemplateVersion;
  /** The provider version that verified, or the one a contract_requiring_verification_published delivery is for. */
  providerVersion?: TemplateVersion;
  /** Why the provider version must verify ("latest version from main branch", …). */
  providerVersionDescriptions?: string[];
  verification?: { success: boolean; url: string; buildUrl?: string };
  /** One delivery per deployed provider version, when expanded that way. */
  currentlyDeployedProviderVersionNumber?: string;
}

/** Every parameter, in the reference broker's order. */
export const TEMPLATE_PARAMETERS = [
  'pactUrl',
  'verificationResultUrl',
  'eventName',
  'consumerName',
  'providerName',
  'consumerVersionNumber',
  'consumerVersionTags',
  'consumerVersionBranch',
  'consumerLabels',
  'providerVersionNumber',
  'providerVersionTags',
  'providerVersionBranch',
  'providerVersionDescriptions',
  'providerLabels',
  'githubVerificationStatus',
  'gitlabVerificationStatus',
  'bitbucketVerificationStatus',
  'azureDevOpsVerificationStatus',
  'buildUrl',
  'currentlyDeployedProviderVersionNumber',
] as const;
export type TemplateParameter = (typeof TEMPLATE_PARAMETERS)[number];

/** Status words per CI host: [no verification yet, verified, failed]. */
const STATUS_WORDS = {
  githubVerificationStatus: ['pending', 'success', 'failure'],
  gitlabVerificationStatus: ['pending', 'success', 'failed'],
  bitbucketVerificationStatus: ['INPROGRESS', 'SUCCESSFUL', 'FAILED'],
  azureDevOpsVerificationStatus: ['pending', 'succeeded', 'failed'],
} as const;

const list = (values: string[] | undefined) => (values ?? []).join(', ');

/**
 * The value of every parameter for this data; missing data gives an empty string, as in the reference.
 *
 * @example templateParameters(data).githubVerificationStatus // → 'success'
 */
export function templateParameters(data: TemplateData): Record<TemplateParameter, string> {
  const status = (words: readonly [string, string, string]) =>
    data.verification === undefined ? words[0] : data.verification.success ? words[1] : words[2];
  return {
    pactUrl: data.pactUrl ?? '',
    verificationResultUrl: data.verification?.url ?? '',
    eventName: data.eventName,
    consumerName: data.consumer.name,
    providerName: data.provider.name,
    consumerVersionNumber: data.consumerVersion?.number ?? '',
    consumerVersionTags: list(data.consumerVersion?.tags),
    consumerVersionBranch: data.consumerVersion?.branch ?? '',
    consumerLabels: list(data.consumer.labels),
    providerVersionNumber: data.providerVersion?.number ?? '',
    providerVersionTags: list(data.providerVersion?.tags),
    providerVersionBranch: data.providerVersion?.branch ?? '',
    providerVersionDescriptions: list(data.providerVersionDescriptions),
    providerLabels: list(data.provider.labels),
    githubVerificationStatus: status(STATUS_WORDS.githubVerificationStatus),
    gitlabVerificationStatus: status(STATUS_WORDS.gitlabVerificationStatus),
    bitbucketVerificationStatus: status(STATUS_WORDS.bitbucketVerificationStatus),
    azureDevOpsVerificationStatus: status(STATUS_WORDS.azureDevOpsVerificationStatus),
    // the verification's build when a verification triggered the webhook, else the consumer's
    buildUrl: (data.verification ? data.verification.buildUrl : data.consumerVersion?.buildUrl) ?? '',
    currentlyDeployedProviderVersionNumber: data.currentlyDeployedProviderVersionNumber ?? '',
  };
}

const PLACEHOLDER = /\$\{pactbroker\.([A-Za-z0-9_]+)\}/g;
const HAS_PLACEHOLDER = /\$\{pactbroker\.[A-Za-z0-9_]+\}/;

/**
 * Fills the known `${pactbroker.x}` placeholders of a text; unknown ones stay as written.
 *
 * @example fillTemplate('build ${pactbroker.consumerName}', params, encodeURIComponent)
 */
export function fillTemplate(
  text: string,
  parameters: Record<string, string>,
  encode: (value: string) => string = (value) => value,
): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(parameters, name) ? encode(parameters[name]!) : whole,
  );
}

function fillJson(value: unknown, parameters: Record<string, string>): unknown {
  if (typeof value === 'string') return fillTemplate(value, parameters);
  if (Array.isArray(value)) return value.map((item) => fillJson(item, parameters));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [fillTemplate(key, parameters), fillJson(item, parameters)]),
    );
  return value;
}

/** A header value may not carry a line break: a parameter with one would add headers of its own. */
const singleLine = (value: string) => value.replace(/[\r\n]+/g, ' ');

/**
 * The request a webhook sends for this data: parameters URL-encoded in the URL, on one line in
 * headers, and in a JSON body filled into its strings (so a value cannot break the JSON).
 *
 * @example renderRequest({ method: 'POST', url: 'https://ci/build?pact=${pactbroker.pactUrl}' }, data)
 */
export function renderRequest(template: RequestTemplate, data: TemplateData): OutgoingRequest {
  const parameters = templateParameters(data);
  const { body } = template;
  return {
    method: template.method,
    url: fillTemplate(template.url, parameters, encodeURIComponent),
    ...(template.headers
      ? {
          headers: Object.fromEntries(
            Object.entries(template.headers).map(([name, value]) => [
              name,
              fillTemplate(value, parameters, singleLine),
            ]),
          ),
        }
      : {}),
    ...(body === undefined || body === null
      ? {}
      : {
          body:
            typeof body === 'string'
              ? fillTemplate(body, parameters)
              : JSON.stringify(fillJson(body, parameters)),
        }),
    ...(template.username !== undefined ? { username: template.username } : {}),
    ...(template.password !== undefined ? { password: template.password } : {}),
  };
}

/**
 * Why a webhook URL cannot be stored, or undefined when it can: it must be an absolute http(s) URL
 * whose scheme, host and port hold no parameters (a templated host would let whoever publishes a pact
 * choose where the broker sends requests).
 *
 * @example webhookUrlProblem('https://${pactbroker.consumerName}.ci/x') // → 'the host of … cannot …'
 */
export function webhookUrlProblem(url: string): string | undefined {
  const invalid = `Invalid URL '${url}'. Expected format: http://example.org`;
  // the URL parser silently drops tabs and newlines; a stored URL must be what was checked
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return invalid;
  const origin = (filler: string) => {
    try {
      const parsed = new URL(url.replace(PLACEHOLDER, filler));
      return { protocol: parsed.protocol, host: parsed.host, username: parsed.username };
    } catch {
      return undefined;
    }
  };
  const first = origin('placeholder');
  if (!first || first.host === '') return invalid;
  if (first.protocol !== 'http:' && first.protocol !== 'https:')
    return `the URL must use http or https, not ${first.protocol.replace(/:$/, '')}`;
  const second = origin('other.placeholder:1@x');
  if (!second || second.host !== first.host || second.protocol !== first.protocol)
    return 'the host of the URL cannot contain template parameters';
  return undefined;
}

/** Whether a text has a `${pactbroker.x}` placeholder (a header holding one has no secret yet). */
export function hasPlaceholder(text: string): boolean {
  return HAS_PLACEHOLDER.test(text);
}
