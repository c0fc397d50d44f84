import { consumerError } from './errors.js';
import type { RequestBuilder } from './http-builders.js';
import { regex, type Template } from './matchers.js';

// GraphQL's insignificant tokens (spec §2.1.7): white space, line terminators, commas, comments
const IGNORED = String.raw`(?:[\s,]|#[^\n\r]*)`;
const TOKEN =
  /"""(?:\\"""|[\s\S])*?"""|"(?:\\.|[^"\\\n\r])*"|\.\.\.|[!$&():=@[\]{}|]|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[_A-Za-z][_0-9A-Za-z]*/y;

/**
 * The tokens of a GraphQL document, its comments and insignificant characters dropped. Throws
 * COV_CONSUMER_INTERACTION_INVALID at a character GraphQL does not have (an unterminated string).
 */
function tokensOf(query: string): string[] {
  const tokens: string[] = [];
  let at = 0;
  while (at < query.length) {
    const skipped = /(?:[\s,\uFEFF]|#[^\n\r]*)+/y;
    skipped.lastIndex = at;
    if (skipped.exec(query)) {
      at = skipped.lastIndex;
      continue;
    }
    TOKEN.lastIndex = at;
    const match = TOKEN.exec(query);
    if (!match) {
      throw consumerError(
        'COV_CONSUMER_INTERACTION_INVALID',
        `the GraphQL query has '${query.slice(at, at + 10)}' at offset ${at}, which is not GraphQL (an unterminated string?)`,
        { offset: at },
      );
    }
    tokens.push(match[0]);
    at = TOKEN.lastIndex;
  }
  return tokens;
}

const isWord = (token: string) => /^[-_0-9A-Za-z]/.test(token);

/**
 * A parsed GraphQL document, as graphql-tag's `gql` and graphql-js's `parse` make it: its source
 * text is kept in `loc.source.body`, which is all Covenant reads (so it needs neither package).
 */
export interface GraphQLDocument {
  loc?: { source: { body: string } } | undefined;
}

/** The query's text: the string given, or a parsed document's source. */
function documentText(query: string | GraphQLDocument): string {
  if (typeof query === 'string') return query;
  const body = (query as GraphQLDocument | null)?.loc?.source?.body;
  if (typeof body !== 'string') {
    throw consumerError(
      'COV_CONSUMER_INTERACTION_INVALID',
      'the GraphQL document has no source text (loc.source.body): give the query as a string, or a document from gql`…` or parse() without noLocation',
    );
  }
  return body;
}

/**
 * A regular expression (Java/pact dialect, anchored) that matches `query` however it is laid
 * out: any white space, commas and comments between tokens, at least one where two names or
 * numbers meet; the tokens themselves (names, strings, punctuation) exactly.
 *
 * @example graphQLQueryPattern('query { hello }') // matches 'query{hello}' and 'query {\n  hello\n}'
 */
export function graphQLQueryPattern(query: string): string {
  const tokens = tokensOf(query);
  if (tokens.length === 0) {
    throw consumerError('COV_CONSUMER_INTERACTION_INVALID', 'the GraphQL query is empty');
  }
  let pattern = `^${IGNORED}*`;
  tokens.forEach((token, i) => {
    if (i > 0) pattern += isWord(tokens[i - 1]!) && isWord(token) ? `${IGNORED}+` : `${IGNORED}*`;
    pattern += token.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
  });
  return `${pattern}${IGNORED}*$`;
}

/**
 * A GraphQL request (pact-js's `GraphQLInteraction` names): the operation, the query or
 * mutation, the variables. The body is `{operationName, query, variables}` as JSON; the query
 * is matched with its layout normalised (white space, commas, comments), the variables may hold
 * matchers.
 *
 * @example
 * await pact.addInteraction()
 *   .uponReceiving('a query for order 7')
 *   .withRequest('POST', '/graphql', (req) =>
 *     new GraphQLRequest()
 *       .withOperation('Order')
 *       .withQuery('query Order($id: ID!) { order(id: $id) { id total } }')
 *       .withVariables({ id: like('7') })
 *       .applyTo(req),
 *   )
 *   .willRespondWith(200, (res) => res.jsonBody({ data: { order: { id: like('7'), total: decimal(9.5) } } }))
 *   .executeTest(async (server) => client(server.url).order('7'));
 */
export class GraphQLRequest {
  private operation: string | undefined;
  private document: string | undefined;
  private variables: Template<Record<string, unknown>> | undefined;

  /** The operation's name, sent as `operationName`; the query must define it. */
  withOperation(name: string): this {
    this.operation = name;
    return this;
  }

  /** The query document (text, or parsed by `gql`/`parse`), compared with its layout normalised. */
  withQuery(query: string | GraphQLDocument): this {
    this.document = documentText(query);
    return this;
  }

  /** The same as {@link withQuery}, for a mutation. */
  withMutation(mutation: string | GraphQLDocument): this {
    return this.withQuery(mutation);
  }

  /** The variables (values or matchers); omitted from the body when not given. */
  withVariables(variables: Template<Record<string, unknown>>): this {
    this.variables = variables;
    return this;
  }

  /** The JSON body template: `query` as a regex matcher, the rest as given. */
  body(): Record<string, unknown> {
    if (this.document === undefined) {
      throw consumerError(
        'COV_CONSUMER_INTERACTION_INVALID',
        'a GraphQL request needs its query: call withQuery(...) or withMutation(...)',
      );
    }
    const tokens = tokensOf(this.document);
    if (
      this.operation !== undefined &&
      !tokens.some((t, i) => /^(?:query|mutation|subscription)$/.test(t) && tokens[i + 1] === this.operation)
    ) {
      throw consumerError(
        'COV_CONSUMER_INTERACTION_INVALID',
        `the GraphQL operation '${this.operation}' is not defined by the query: write 'query ${this.operation} …' (or mutation, subscription), or leave withOperation out`,
        { operation: this.operation },
      );
    }
    return {
      ...(this.operation !== undefined ? { operationName: this.operation } : {}),
      query: regex(graphQLQueryPattern(this.document), this.document),
      ...(this.variables !== undefined ? { variables: this.variables } : {}),
    };
  }

  /** Sets the request's JSON body (Content-Type application/json) and returns the builder. */
  applyTo<B extends Pick<RequestBuilder, 'jsonBody'>>(request: B): B {
    request.jsonBody(this.body());
    return request;
  }
}
