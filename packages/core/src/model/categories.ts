import type { GeneratorCategoryName } from './types.js';

/**
 * The category each key of a `matchingRules` or `generators` object names, across the Pact
 * versions' spellings (V2's `headers`, V3 messages' `content`, V4's `contents`). Matching rules also
 * read the V3 messages' `metaData`.
 */
export const CATEGORY_BY_KEY: Readonly<Record<string, GeneratorCategoryName>> = {
  method: 'method',
  path: 'path',
  header: 'header',
  headers: 'header',
  query: 'query',
  body: 'body',
  content: 'body',
  contents: 'body',
  status: 'status',
  metadata: 'metadata',
};
