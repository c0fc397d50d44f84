import { consumerError } from './errors.js';
import { type GraphQLDocument, GraphQLRequest } from './graphql.js';
import type { RequestBuilder } from './http-builders.js';
import type { Matcher, Template } from './matchers.js';
import type { InteractionStart, InteractionWithRequest } from './pact.js';

/** What a GraphQL interaction's request may still add: query parameters and headers (the body is the GraphQL one). */
export type GraphQLRequestBuilder = Pick<RequestBuilder, 'query' | 'headers'>;

/** The first steps of a GraphQL interaction, in any order (pact-js's `V4UnconfiguredGraphQLInteraction`). */
export interface GraphQLInteractionStart {
  /** Adds a provider state (repeatable). Parameters must be JSON. */
  given(state: string, params?: Record<string, unknown>): GraphQLInteractionStart;
  uponReceiving(description: string): GraphQLInteractionStart;
  /** The operation's name, sent as `operationName`; the query must define it. */
  withOperation(operation: string): GraphQLInteractionStart;
  /** The variables (values or matchers). */
  withVariables(variables: Template<Record<string, unknown>>): GraphQLInteractionStart;
  /** The HTTP request the GraphQL document travels in (usually `POST /graphql`). */
  withRequest(
    method: string,
    path: string | Matcher<string>,
    build?: (request: GraphQLRequestBuilder) => unknown,
  ): GraphQLInteractionWithRequest;
}

/** The document: a query or a mutation, then the response as for any interaction. */
export interface GraphQLInteractionWithRequest {
  /** The query (text, or parsed by `gql`/`parse`), compared with its layout (white space, commas, comments) normalised. */
  withQuery(query: string | GraphQLDocument): InteractionWithRequest;
  /** The same as {@link withQuery}, for a mutation. */
  withMutation(mutation: string | GraphQLDocument): InteractionWithRequest;
}

/**
 * The steps of `pact.addGraphQLInteraction()`, collected until the document is known, then played
 * onto an ordinary interaction whose JSON body a {@link GraphQLRequest} makes: one path to the pact
 * file for GraphQL and plain HTTP alike.
 */
export class GraphQLInteractionBuilder implements GraphQLInteractionStart, GraphQLInteractionWithRequest {
  private readonly states: Array<[string, Record<string, unknown> | undefined]> = [];
  private description: string | undefined;
  private readonly graphQL = new GraphQLRequest();
  private request:
    | { method: string; path: string | Matcher<string>; build?: (request: GraphQLRequestBuilder) => unknown }
    | undefined;

  constructor(private readonly start: () => InteractionStart) {}

  given(state: string, params?: Record<string, unknown>): GraphQLInteractionStart {
    this.states.push([state, params]);
    return this;
  }

  uponReceiving(description: string): GraphQLInteractionStart {
    this.description = description;
    return this;
  }

  withOperation(operation: string): GraphQLInteractionStart {
    this.graphQL.withOperation(operation);
    return this;
  }

  withVariables(variables: Template<Record<string, unknown>>): GraphQLInteractionStart {
    this.graphQL.withVariables(variables);
    return this;
  }

  withRequest(
    method: string,
    path: string | Matcher<string>,
    build?: (request: GraphQLRequestBuilder) => unknown,
  ): GraphQLInteractionWithRequest {
    this.request = { method, path, ...(build ? { build } : {}) };
    return this;
  }

  withQuery(query: string | GraphQLDocument): InteractionWithRequest {
    this.graphQL.withQuery(query);
    return this.describe();
  }

  withMutation(mutation: string | GraphQLDocument): InteractionWithRequest {
    this.graphQL.withMutation(mutation);
    return this.describe();
  }

  private describe(): InteractionWithRequest {
    if (this.description === undefined) {
      throw consumerError(
        'COV_CONSUMER_INTERACTION_INVALID',
        'a GraphQL interaction needs a description: call uponReceiving(...) before withQuery(...)',
      );
    }
    // the body is checked here, so a query that doesn't define the operation fails at this step
    this.graphQL.body();
    let interaction = this.start();
    for (const [state, params] of this.states) interaction = interaction.given(state, params);
    const { method, path, build } = this.request!;
    return interaction.uponReceiving(this.description).withRequest(method, path, (request) => {
      build?.(request);
      this.graphQL.applyTo(request);
    });
  }
}
