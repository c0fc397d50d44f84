import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { BrokerDatabase } from '../db/connect.js';
import { triggeredWebhooksStoredIn } from '../db/triggered-webhooks-repo.js';
import type { WebhookPolicy } from '../webhooks/policy.js';
import type { AuthOptions, RouteAccess } from './auth.js';

export interface AppOptions {
  database: BrokerDatabase;
  auth?: AuthOptions;
  /** The broker's public base URL; default: taken from each request. */
  baseUrl?: string;
  /** Largest request body accepted, in bytes. Default 10 MB. */
  bodyLimit?: number;
  /**
   * Longest time, in milliseconds, a client may take to send a whole request (headers and body)
   * before it is answered 408 and its connection closed. Default 120000.
   */
  requestTimeout?: number;
  /** Let a new pact replace different content published for the same consumer version. */
  allowContractModification?: boolean;
  logger?: boolean;
  /**
   * Webhook delivery: the policy execute runs under, and the worker told after each committed write
   * that stored triggered webhooks. Absent: webhooks are stored but never sent.
   */
  webhooks?: { policy: WebhookPolicy; notify(): void };
  /** Told of every route as it is registered (the OpenAPI and access tests list them with it). */
  onRoute?: (route: { method: string | string[]; url: string; config?: { access?: RouteAccess } }) => void;
}

/**
 * What every route plugin is given: the broker's options and the base URL its links start with.
 * It lives apart from app.ts so that the routes and the UI depend on it and app.ts on them, never
 * the other way round.
 */
export interface RouteContext {
  options: AppOptions;
  baseUrlOf(request: FastifyRequest): string;
}

/** The context for an app with these options. */
export function createRouteContext(options: AppOptions): RouteContext {
  return {
    options,
    baseUrlOf(request) {
      if (options.baseUrl) return options.baseUrl.replace(/\/+$/, '');
      const proto =
        (request.headers['x-forwarded-proto'] as string | undefined)?.split(',')[0] ?? request.protocol;
      const host =
        (request.headers['x-forwarded-host'] as string | undefined) ?? request.headers.host ?? 'localhost';
      return `${proto}://${host}`;
    },
  };
}

/** Runs a write in one transaction: all of it lands or none of it. */
export async function inTransaction<T>(
  context: RouteContext,
  work: (db: BrokerDatabase['db']) => Promise<T>,
): Promise<T> {
  let triggered = false;
  const result = await context.options.database.write(async (trx) => {
    // counted before and after: on SQLite the writes committed together share one trx
    const before = triggeredWebhooksStoredIn(trx);
    const value = await work(trx);
    triggered = triggeredWebhooksStoredIn(trx) > before;
    return value;
  });
  // after the commit, and only when this write stored triggered webhooks: the worker sends them at
  // once (a wake-up after every write cost each publish two outbox reads that found nothing)
  if (triggered) context.options.webhooks?.notify();
  return result;
}

/**
 * A resource family's routes, as a Fastify plugin given the request context. createApp registers
 * each one; the plugin inherits the app's hooks, error handler and validator.
 *
 * @example
 * export const labelRoutes: RoutePlugin = async (app, { context }) => {
 *   app.get('/labels', { schema: labelSchemas.getLabels, config: { access: 'read' } }, async () => …);
 * };
 */
export type RoutePlugin = FastifyPluginAsyncTypebox<{ context: RouteContext }>;
