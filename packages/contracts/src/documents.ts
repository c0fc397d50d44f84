import { parseDocument } from 'yaml';
import { contractsError } from './errors.js';
import { isObject, type Json } from './json.js';

/** A provider contract, read and recognised. */
export type ProviderContract =
  | { kind: 'openapi'; version: string; document: Json }
  | { kind: 'asyncapi'; version: string; document: Json };

/**
 * Reads a provider contract from its text, JSON or YAML (JSON is YAML, so one parser reads both),
 * and says what it is: OpenAPI 3.x, Swagger 2.0 (both `kind: 'openapi'`) or AsyncAPI 3.x.
 * Throws `COV_CONTRACTS_SPEC_SYNTAX` for text that is neither JSON nor YAML and
 * `COV_CONTRACTS_SPEC_INVALID` for a document of another kind.
 *
 * @example
 * const contract = readProviderContract(readFileSync('openapi.yaml', 'utf8'), 'openapi.yaml');
 * contract.kind // 'openapi'
 */
export function readProviderContract(text: string, source = 'the document'): ProviderContract {
  const parsed = parseDocument(text, { uniqueKeys: false });
  const [first] = parsed.errors;
  const syntaxError = (message: string, at?: { line: number; col: number }) =>
    contractsError(
      'COV_CONTRACTS_SPEC_SYNTAX',
      `${source} is not valid JSON or YAML${at ? ` at line ${at.line}, column ${at.col}` : ''}: ${message.split('\n')[0]}`,
      { source, ...(at ? { line: at.line, column: at.col } : {}) },
    );
  if (first) throw syntaxError(first.message, first.linePos?.[0]);
  let document: unknown;
  try {
    document = parsed.toJS({ maxAliasCount: -1 });
  } catch (error) {
    // a document the parser accepts can still fail to resolve, e.g. an alias to an anchor never set
    throw syntaxError(error instanceof Error ? error.message : String(error));
  }
  return recogniseProviderContract(document, source);
}

/**
 * Says what kind of provider contract an already-parsed document is (see {@link readProviderContract}).
 *
 * @example
 * recogniseProviderContract({ asyncapi: '3.0.0', info: {…} }).kind // 'asyncapi'
 */
export function recogniseProviderContract(document: unknown, source = 'the document'): ProviderContract {
  if (isObject(document)) {
    if (typeof document.openapi === 'string' && document.openapi.startsWith('3.')) {
      return { kind: 'openapi', version: document.openapi, document };
    }
    if (String(document.swagger) === '2.0') return { kind: 'openapi', version: '2.0', document };
    if (typeof document.asyncapi === 'string' && document.asyncapi.startsWith('3.')) {
      return { kind: 'asyncapi', version: document.asyncapi, document };
    }
  }
  const found = isObject(document)
    ? (['openapi', 'swagger', 'asyncapi'] as const)
        .filter((k) => document[k] !== undefined)
        .map((k) => `${k}: ${JSON.stringify(document[k])}`)
        .join(', ') || 'no "openapi", "swagger" or "asyncapi" field'
    : `a ${Array.isArray(document) ? 'list' : typeof document}, not an object`;
  throw contractsError(
    'COV_CONTRACTS_SPEC_INVALID',
    `${source} is not an OpenAPI 3.x, Swagger 2.0 or AsyncAPI 3.x document (found ${found})`,
    {
      source,
    },
  );
}
