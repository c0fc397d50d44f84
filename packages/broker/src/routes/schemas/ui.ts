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
};
