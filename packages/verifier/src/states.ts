import type { JsonObject, JsonValue, ProviderState } from '@covenant/core';
import { verifierError } from './errors.js';
import type { HttpClient } from './http-client.js';

/** What a state handler may return: values that `fromProviderState` expressions can use. */
// biome-ignore lint/suspicious/noConfusingVoidType: handlers written as `() => { db.reset() }` return void
export type StateValues = Record<string, JsonValue> | undefined | void;

/** Sets up a provider state (and optionally tears it down). */
export type StateHandler =
  | ((params: JsonObject) => StateValues | Promise<StateValues>)
  | {
      setup?: (params: JsonObject) => StateValues | Promise<StateValues>;
      teardown?: (params: JsonObject) => unknown;
    };

export interface StateOptions {
  /** In-process handlers by state name. */
  handlers?: Record<string, StateHandler>;
  /** A URL that takes `POST {state, params, action}` (the seed's `/_pact/provider_states`). */
  url?: string;
  /** Call the URL for teardown too (default true). */
  teardown?: boolean;
  /** Send `state`, `action` and the params as query parameters, with no body (default false). */
  asQuery?: boolean;
}

export interface StateOutcome {
  values: Record<string, JsonValue>;
  warnings: string[];
}

export class StateChangeError extends Error {
  constructor(
    readonly state: string,
    readonly action: 'setup' | 'teardown',
    message: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Runs provider state changes: an in-process handler when one is registered for the state,
 * else the state-change URL, else a warning (the interaction still runs).
 */
export class ProviderStates {
  constructor(
    private readonly options: StateOptions,
    private readonly http: HttpClient,
  ) {}

  /**
   * An interaction without provider states still gets one state-change call, with the empty
   * state '', when a state-change URL is set, as the official verifiers do (a provider may reset
   * its data there).
   */
  private statesToCall(states: readonly ProviderState[]): readonly ProviderState[] {
    return states.length === 0 && this.options.url ? [{ name: '' }] : states;
  }

  /**
   * Sets up the states in order. Each state whose setup succeeded is appended to `setUp` as it
   * succeeds, so when a later state fails (a {@link StateChangeError}) the caller still knows
   * exactly which states to give {@link teardown}: the failed one is not among them.
   */
  async setup(states: readonly ProviderState[], setUp: ProviderState[] = []): Promise<StateOutcome> {
    const values: Record<string, JsonValue> = {};
    const warnings: string[] = [];
    for (const state of this.statesToCall(states)) {
      Object.assign(values, await this.setupOne(state, warnings));
      setUp.push(state);
    }
    return { values, warnings };
  }

  private async setupOne(state: ProviderState, warnings: string[]): Promise<Record<string, JsonValue>> {
    const params = state.params ?? {};
    const handler = this.options.handlers?.[state.name];
    if (handler) {
      const setup = typeof handler === 'function' ? handler : handler.setup;
      // a handler with only a teardown has nothing to set up, and counts as set up
      if (!setup) return {};
      try {
        return (await setup(params)) ?? {};
      } catch (error) {
        throw new StateChangeError(
          state.name,
          'setup',
          `the state handler for '${state.name}' failed: ${describe(error)}`,
          { cause: error },
        );
      }
    }
    if (this.options.url) return this.callUrl(state, 'setup');
    warnings.push(
      `no state handler for '${state.name}' (register one in stateHandlers, or give a stateChangeUrl)`,
    );
    return {};
  }

  /**
   * Tears down, in reverse order, the states {@link setup} recorded as set up (exactly those: the
   * empty state of an interaction without states is already among them when it was called).
   */
  async teardown(setUp: readonly ProviderState[]): Promise<string[]> {
    const problems: string[] = [];
    for (const state of [...setUp].reverse()) {
      const handler = this.options.handlers?.[state.name];
      try {
        if (handler && typeof handler !== 'function' && handler.teardown)
          await handler.teardown(state.params ?? {});
        else if (!handler && this.options.url && this.options.teardown !== false)
          await this.callUrl(state, 'teardown');
      } catch (error) {
        problems.push(`teardown of '${state.name}' failed: ${describe(error)}`);
      }
    }
    return problems;
  }

  private async callUrl(
    state: ProviderState,
    action: 'setup' | 'teardown',
  ): Promise<Record<string, JsonValue>> {
    const params = state.params ?? {};
    let response: Awaited<ReturnType<HttpClient['send']>>;
    try {
      response = await this.http.send(
        this.options.asQuery
          ? stateChangeQueryUrl(this.options.url!, state.name, params, action)
          : this.options.url!,
        this.options.asQuery
          ? { method: 'POST', headers: {}, body: undefined }
          : {
              method: 'POST',
              headers: { 'content-type': ['application/json'] },
              body: Buffer.from(JSON.stringify({ state: state.name, params, action })),
            },
      );
    } catch (error) {
      throw new StateChangeError(
        state.name,
        action,
        // the reason alone: the unreachable provider's hint is about providerBaseUrl, not this URL
        `the state change URL ${this.options.url} failed for '${state.name}': ${reasonOf(error)}`,
        { cause: error },
      );
    }
    if (response.status >= 400) {
      throw new StateChangeError(
        state.name,
        action,
        `the state change URL answered ${response.status} for '${state.name}' (${action}): ${response.body.toString('utf8').slice(0, 300)}`,
      );
    }
    try {
      const parsed = JSON.parse(response.body.toString('utf8')) as unknown;
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Record<string, JsonValue>)
        : {};
    } catch {
      return {};
    }
  }
}

/**
 * The state change URL carrying the change as query parameters, as the official verifier's
 * `--state-change-as-query` sends it: `state`, `action`, then each param (text as is, other values
 * as JSON), after any query the URL already has.
 *
 * @example stateChangeQueryUrl('http://p/_states', 'an order', { id: 7 }, 'setup') // 'http://p/_states?state=an+order&action=setup&id=7'
 */
export function stateChangeQueryUrl(
  url: string,
  state: string,
  params: JsonObject,
  action: 'setup' | 'teardown',
): string {
  const target = new URL(url);
  target.searchParams.append('state', state);
  target.searchParams.append('action', action);
  for (const [name, value] of Object.entries(params))
    target.searchParams.append(name, typeof value === 'string' ? value : JSON.stringify(value));
  return target.toString();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Why a request failed: a coded error's reason without its code and hint, else its message. */
function reasonOf(error: unknown): string {
  const reason = (error as { details?: { reason?: unknown } }).details?.reason;
  return typeof reason === 'string' ? reason : describe(error);
}

/**
 * Checks the shape of `stateHandlers` up front: a value that is neither a function nor
 * `{ setup?, teardown? }` of functions would otherwise count as a state set up, silently.
 */
export function validateStateHandlers(handlers: unknown): void {
  if (typeof handlers !== 'object' || handlers === null || Array.isArray(handlers)) {
    throw verifierError(
      'COV_VERIFIER_OPTIONS_INVALID',
      'stateHandlers must be an object of handlers by state name',
    );
  }
  for (const [state, handler] of Object.entries(handlers)) {
    if (typeof handler === 'function') continue;
    const { setup, teardown } = (handler ?? {}) as { setup?: unknown; teardown?: unknown };
    const valid =
      typeof handler === 'object' &&
      handler !== null &&
      (setup !== undefined || teardown !== undefined) &&
      (setup === undefined || typeof setup === 'function') &&
      (teardown === undefined || typeof teardown === 'function');
    if (!valid) {
      throw verifierError(
        'COV_VERIFIER_OPTIONS_INVALID',
        `stateHandlers['${state}'] must be a function, or { setup?: function, teardown?: function } with at least one`,
      );
    }
  }
}
