import { operation } from './shared.js';

const text = {
  200: {
    description: 'The changes in plain words, one interaction a paragraph',
    schema: 'Text',
    media: 'text/plain',
  },
};

export const pactDiffsSchemas = {
  previousDistinct: operation({
    method: 'GET',
    path: '/pacts/provider/:provider/consumer/:consumer/version/:version/diff/previous-distinct',
    tag: 'Pacts',
    summary:
      'What changed since the previous pact with different content, each change marked "may break the provider" or "relaxed"',
    ok: text,
    errors: [404],
  }),
  versions: operation({
    method: 'GET',
    path: '/pacts/provider/:provider/consumer/:consumer/version/:version/diff/version/:other',
    tag: 'Pacts',
    summary: "What changed from consumer version {other}'s pact to {version}'s, each change marked",
    ok: text,
    errors: [404],
  }),
};
