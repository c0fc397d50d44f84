/**
 * `publish --validate`: what a pact file holds that Pact implementations do not read — fields the
 * specification does not define (a typo such as `respones` loses what was meant) and an empty
 * list of interactions — found in the JSON as written. Files that are not pacts at all are
 * refused earlier, by core's reader.
 */
import { type JsonObject, type JsonValue, parseJson } from '@covenant/core';

/** One finding, at a JSON pointer into the file, as the official CLI reports it. */
export interface PactFinding {
  path: string;
  message: string;
}

const metadataFields = ['metadata', 'metaData', 'matchingRules', 'generators'];
const interactionFields = [
  'description',
  'providerState',
  'provider_state',
  'providerStates',
  'key',
  'pending',
  'comments',
  'type',
  '_id',
  'interactionMarkup',
  'pluginConfiguration',
  'transport',
  'request',
  'response',
  // a V3 message, or a V4 asynchronous one
  'contents',
  ...metadataFields,
];

/** The fields the Pact specifications (V1 to V4) define, by where they appear. */
const known = {
  pact: ['consumer', 'provider', 'interactions', 'messages', 'metadata'],
  interaction: interactionFields,
  request: [
    'method',
    'path',
    'query',
    'headers',
    'body',
    'matchingRules',
    'generators',
    'contents',
    ...metadataFields,
  ],
  response: ['status', 'headers', 'body', 'matchingRules', 'generators', 'contents', ...metadataFields],
};

const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function unexpected(value: JsonValue | undefined, fields: string[], path: string): PactFinding[] {
  if (!isObject(value)) return [];
  return Object.keys(value)
    .filter((key) => !fields.includes(key))
    .map((key) => ({ path, message: `unexpected attribute '${key}'` }));
}

/**
 * The findings in a pact file's text (which core's reader has accepted), in file order.
 *
 * @example pactFindings('{"consumer":{"name":"Web"},"provider":{"name":"Orders"},"interactions":[]}')
 * // [{ path: '/interactions', message: 'there are no interactions' }]
 */
export function pactFindings(text: string): PactFinding[] {
  const parsed = parseJson(text);
  if (!parsed.ok || !isObject(parsed.value)) return [];
  const pact = parsed.value;
  const findings = unexpected(pact, known.pact, '');
  const lists = (['interactions', 'messages'] as const).filter((key) => Array.isArray(pact[key]));
  if (lists.every((key) => (pact[key] as JsonValue[]).length === 0))
    findings.push({ path: `/${lists[0] ?? 'interactions'}`, message: 'there are no interactions' });
  for (const key of lists)
    (pact[key] as JsonValue[]).forEach((interaction, index) => {
      const at = `/${key}/${index}`;
      findings.push(...unexpected(interaction, known.interaction, at));
      if (!isObject(interaction)) return;
      findings.push(...unexpected(interaction.request, known.request, `${at}/request`));
      // a V4 synchronous message has a list of responses
      const many = Array.isArray(interaction.response);
      const responses = many ? (interaction.response as JsonValue[]) : [interaction.response];
      for (const [n, response] of responses.entries())
        findings.push(
          ...unexpected(response, known.response, many ? `${at}/response/${n}` : `${at}/response`),
        );
    });
  return findings;
}
