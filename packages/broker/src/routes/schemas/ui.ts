import { component, described, operation, query, queryValue, string } from './shared.js';

// Pages the broker serves only as HTML (other pages share their URL with an API resource)
component('HtmlPage', described('A server-rendered HTML page', string));

export const uiSchemas = {
  networkPage: operation({
    method: 'GET',
    path: '/network',
    tag: 'Pacts',
    summary: 'Every pacticipant and integration drawn as a graph (an HTML page with SVG)',
    ok: { 200: { description: 'The page', schema: 'HtmlPage', media: 'text/html' } },
  }),
  integrationMatrixPage: operation({
    method: 'GET',
    path: '/matrix/provider/:provider/consumer/:consumer',
    tag: 'Matrix',
    summary: "The matrix of one integration as an HTML page (the reference broker's UI URL)",
    ok: { 200: { description: 'The page', schema: 'HtmlPage', media: 'text/html' } },
    query: query({ page: queryValue('The page of rows, from 1 (100 rows a page)') }),
  }),
  pacticipantInteractionsPage: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/interactions',
    tag: 'Pacticipants',
    summary:
      'Every interaction a pacticipant takes part in, as consumer and as provider, with its latest result (an HTML page)',
    ok: { 200: { description: 'The page', schema: 'HtmlPage', media: 'text/html' } },
    errors: [404],
  }),
  branchesAndTagsPage: operation({
    method: 'GET',
    path: '/branches-and-tags',
    tag: 'Versions',
    summary: "Every pacticipant's branches and tags with their latest versions (an HTML page)",
    ok: { 200: { description: 'The page', schema: 'HtmlPage', media: 'text/html' } },
    query: query({
      q: queryValue('Only pacticipants whose name contains this (any case)'),
      page: queryValue('The page of rows, from 1 (100 branches and 100 tags a page)'),
    }),
  }),
  apiBrowser: operation({
    method: 'GET',
    path: '/hal-browser',
    tag: 'Index',
    summary: 'The API browser: any resource of this broker drawn as HTML, its links followable',
    description:
      "Fetches `url` (a path on this broker) as HAL+JSON with the caller's credentials and shows its links, properties and embedded resources. A templated link is a GET form whose fields (`var-<name>`) are sent with `template`; the broker expands it and redirects (303) to the resource.",
    ok: {
      200: { description: 'The page', schema: 'HtmlPage', media: 'text/html' },
      303: { description: 'A template expanded: the browser page of the resource it names' },
    },
    query: query({
      url: queryValue('The path of the resource to show (default /), or a URL under the base URL'),
      template: queryValue('A templated link to expand with the var-<name> fields'),
    }),
  }),
  relationDocs: operation({
    method: 'GET',
    path: '/doc',
    tag: 'Index',
    summary:
      'Every link relation the broker uses, with what it leads to (HTML for a browser, otherwise markdown as text/plain)',
    ok: { 200: { description: 'The list', schema: 'HtmlPage', media: 'text/plain' } },
  }),
  relationDoc: operation({
    method: 'GET',
    path: '/doc/:rel',
    tag: 'Index',
    summary:
      "A link relation's documentation, where the curies lead (HTML for a browser, otherwise markdown as text/plain)",
    ok: { 200: { description: 'The documentation', schema: 'HtmlPage', media: 'text/plain' } },
    query: query({ context: queryValue('The resource the relation was found on (accepted, not used)') }),
    errors: [404],
  }),
};
