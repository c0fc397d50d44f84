import { randomUUID } from 'node:crypto';
import { type Db, findPacticipant } from '../db/pacticipants-repo.js';
import {
  deleteWebhookRow,
  findWebhookRow,
  insertWebhookRow,
  listWebhookRows,
  updateWebhookRow,
  type WebhookColumns,
  type WebhookRow,
} from '../db/webhooks-repo.js';
import { requestError } from '../errors.js';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../webhooks/events.js';
import { isSecretHeader, REDACTED } from '../webhooks/redact.js';
import { hasPlaceholder, webhookUrlProblem } from '../webhooks/template.js';

/** The events a webhook may subscribe to, as the reference broker names them (webhooks/events.ts). */
export const WEBHOOK_EVENT_NAMES = WEBHOOK_EVENTS;
export type WebhookEventName = WebhookEvent;

/** The reference broker's default when a webhook names no events. */
const DEFAULT_EVENT: WebhookEventName = 'contract_content_changed';

/** Methods a webhook request may use, in any case. */
export const WEBHOOK_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** The reference broker's rule for client-chosen uuids (PUT /webhooks/{uuid}). */
const UUID_PATTERN = /^[A-Za-z0-9_-]{16,}$/;

/** `${pactbroker.x}` template parameters, filled in when a webhook runs. */
const TEMPLATE_PARAMETER = /\$\{pactbroker\.[A-Za-z0-9_]+\}/g;

/** A value made only of stars stands for "keep the stored secret" on update. */
const STARRED = /^\*+$/;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** Which consumer or provider a webhook applies to: one named pacticipant, or all with a label. */
export type PacticipantScope = { name: string } | { label: string };

/** The HTTP request a webhook would send; stored as JSON, password included. */
export interface WebhookRequestTemplate {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  username?: string;
  password?: string;
}

export interface Webhook {
  uuid: string;
  description: string | null;
  /** Absent: the webhook applies to every consumer. */
  consumer?: PacticipantScope;
  /** Absent: the webhook applies to every provider. */
  provider?: PacticipantScope;
  enabled: boolean;
  events: WebhookEventName[];
  request: WebhookRequestTemplate;
  createdAt: string;
  updatedAt: string;
}

export type WebhookInput = Omit<Webhook, 'uuid' | 'createdAt' | 'updatedAt'>;

/** Pacticipants fixed by the URL (`/webhooks/provider/{p}/consumer/{c}`), already known to exist. */
export interface PathScope {
  consumer?: string;
  provider?: string;
}

/**
 * A webhook body as Fastify validated it against WebhookInput (routes/schemas/webhooks.ts): each
 * field of the right type (an optional one may be null). What a schema cannot say is left to
 * validateWebhook.
 */
export interface WebhookBody {
  description?: string | null;
  enabled?: boolean;
  consumer?: ScopeBody | null;
  provider?: ScopeBody | null;
  request: RequestBody;
  /** Each item an object with a known event name, or something that is not an object. */
  events?: unknown[] | null;
}
interface ScopeBody {
  name?: string | null;
  label?: string | null;
}
interface RequestBody {
  /** Empty counts as missing. */
  method: string;
  /** Empty counts as missing. */
  url: string;
  headers?: Record<string, unknown> | null;
  body?: unknown;
  username?: string | null;
  password?: string | null;
}

type Fail = (field: string, message: string) => void;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A fresh uuid for a webhook created by POST. */
export function newWebhookUuid(): string {
  return randomUUID();
}

/**
 * Checks what Fastify's schema could not of a webhook body (the uuid, a pacticipant that exists,
 * one field against another or the URL, what is missing, a safe URL, header names and values) and
 * returns it normalised. Every problem is collected and thrown as one 400 whose `errors` are keyed
 * by field (`request.url`, `consumer.name`…), the shape the official client reads and the schema's
 * errors have (`keyedByPath`).
 */
export async function validateWebhook(
  db: Db,
  body: WebhookBody,
  path: PathScope = {},
  uuid?: string,
): Promise<WebhookInput> {
  const errors: Record<string, string[]> = {};
  const fail: Fail = (field, message) => {
    errors[field] = [...(errors[field] ?? []), message];
  };
  if (uuid !== undefined && !UUID_PATTERN.test(uuid))
    fail('uuid', 'the uuid must be at least 16 characters of letters, digits, "-" and "_"');
  const consumer = await scopeOf(db, 'consumer', body.consumer, path.consumer, fail);
  const provider = await scopeOf(db, 'provider', body.provider, path.provider, fail);
  const request = requestOf(body.request, fail);
  const events = eventsOf(body.events, fail);
  if (Object.keys(errors).length > 0 || !request)
    throw requestError('COV_BROKER_REQUEST_INVALID', Object.values(errors).flat().join('; '), { errors });
  return {
    description: body.description ?? null,
    ...(consumer ? { consumer } : {}),
    ...(provider ? { provider } : {}),
    enabled: body.enabled !== false,
    events,
    request,
  };
}

async function scopeOf(
  db: Db,
  role: 'consumer' | 'provider',
  value: ScopeBody | null | undefined,
  fromPath: string | undefined,
  fail: Fail,
): Promise<PacticipantScope | undefined> {
  // an empty name or label counts as left out, as null does
  const { name, label } = value ?? {};
  if (fromPath !== undefined) {
    // the URL decides; a body that says otherwise is a mistake worth reporting
    if (name && name !== fromPath)
      fail(`${role}.name`, `${role}.name does not match the ${role} in the URL ('${fromPath}')`);
    if (label) fail(`${role}.label`, `${role}.label cannot be given when the URL names the ${role}`);
    return { name: fromPath };
  }
  if (!value) return undefined;
  if (name && label) {
    fail(`${role}.label`, `${role}.label cannot be given together with ${role}.name`);
    return undefined;
  }
  if (label) return { label };
  if (!name) {
    fail(role, `${role} needs a name or a label`);
    return undefined;
  }
  if (!(await findPacticipant(db, name))) {
    fail(`${role}.name`, `no pacticipant named '${name}' exists`);
    return undefined;
  }
  return { name };
}

function requestOf(value: RequestBody, fail: Fail): WebhookRequestTemplate | undefined {
  let ok = true;
  const bad: Fail = (field, message) => {
    ok = false;
    fail(field, message);
  };
  const { method, url, headers, body, username, password } = value;
  if (!method) bad('request.method', 'request.method is missing');
  else if (!WEBHOOK_METHODS.includes(method.toUpperCase()))
    bad('request.method', `request.method must be one of ${WEBHOOK_METHODS.join(', ')}`);
  if (!url) bad('request.url', 'request.url is missing');
  else {
    const problem = urlProblem(url);
    if (problem) bad('request.url', problem);
  }
  // the names and values are in their messages, which a schema cannot word
  for (const [name, headerValue] of Object.entries(headers ?? {})) {
    if (!HEADER_NAME.test(name)) bad('request.headers', `'${name}' is not a valid header name`);
    else if (typeof headerValue !== 'string' || CONTROL_CHARACTERS.test(headerValue))
      bad('request.headers', `the value of header '${name}' must be a single-line string`);
  }
  if (!ok) return undefined;
  return {
    method: method.toUpperCase(),
    url,
    ...(headers && Object.keys(headers).length > 0
      ? { headers: { ...(headers as Record<string, string>) } }
      : {}),
    ...(body !== undefined && body !== null ? { body } : {}),
    ...(typeof username === 'string' && username !== '' ? { username } : {}),
    ...(typeof password === 'string' ? { password } : {}),
  };
}

/** Why a webhook URL is unacceptable (webhooks/template.ts), in the request's field names. */
const urlProblem = (url: string) => webhookUrlProblem(url)?.replace('the URL', 'request.url');

function eventsOf(value: unknown[] | null | undefined, fail: Fail): WebhookEventName[] {
  if (value === undefined || value === null) return [DEFAULT_EVENT];
  if (value.length === 0) {
    fail('events', 'events must contain at least one event');
    return [];
  }
  const names: WebhookEventName[] = [];
  value.forEach((event, index) => {
    const name = isObject(event) ? event.name : undefined;
    if (typeof name !== 'string' || !(WEBHOOK_EVENT_NAMES as readonly string[]).includes(name)) {
      fail(`events[${index}].name`, `events[${index}].name must be one of ${WEBHOOK_EVENT_NAMES.join(', ')}`);
      return;
    }
    if (!names.includes(name as WebhookEventName)) names.push(name as WebhookEventName);
  });
  return names;
}

function columnsOf(input: WebhookInput): WebhookColumns {
  const scope = (s: PacticipantScope | undefined) => ({
    name: s && 'name' in s ? s.name : null,
    label: s && 'label' in s ? s.label : null,
  });
  const consumer = scope(input.consumer);
  const provider = scope(input.provider);
  return {
    description: input.description,
    consumer_name: consumer.name,
    consumer_label: consumer.label,
    provider_name: provider.name,
    provider_label: provider.label,
    events: JSON.stringify(input.events),
    request: JSON.stringify(input.request),
    enabled: input.enabled ? 1 : 0,
  };
}

function fromRow(row: WebhookRow): Webhook {
  const scope = (name: string | null, label: string | null): PacticipantScope | undefined =>
    name !== null ? { name } : label !== null ? { label } : undefined;
  const consumer = scope(row.consumer_name, row.consumer_label);
  const provider = scope(row.provider_name, row.provider_label);
  return {
    uuid: row.uuid,
    description: row.description,
    ...(consumer ? { consumer } : {}),
    ...(provider ? { provider } : {}),
    enabled: row.enabled === 1,
    events: JSON.parse(row.events) as WebhookEventName[],
    request: JSON.parse(row.request) as WebhookRequestTemplate,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The webhook with this uuid, if any. */
export async function findWebhook(db: Db, uuid: string): Promise<Webhook | undefined> {
  const row = await findWebhookRow(db, uuid);
  return row ? fromRow(row) : undefined;
}

/** Stores a new webhook under the uuid. */
export async function createWebhook(db: Db, uuid: string, input: WebhookInput): Promise<Webhook> {
  await insertWebhookRow(db, uuid, columnsOf(input));
  return (await findWebhook(db, uuid))!;
}

/**
 * Creates the webhook with a client-chosen uuid, or replaces the one stored under it. On replace, a
 * password left out or sent as stars, and header values sent as stars, keep their stored values: the
 * API never shows them, so a client that read the webhook cannot send them back.
 */
export async function putWebhook(
  db: Db,
  uuid: string,
  input: WebhookInput,
): Promise<{ webhook: Webhook; created: boolean }> {
  const existing = await findWebhook(db, uuid);
  if (!existing) {
    // a concurrent PUT of the same uuid won the insert: replace its webhook instead
    if (!(await insertWebhookRow(db, uuid, columnsOf(input), { unlessTaken: true })))
      return putWebhook(db, uuid, input);
    return { webhook: (await findWebhook(db, uuid))!, created: true };
  }
  const request = keepSecrets(input.request, existing.request);
  await updateWebhookRow(db, uuid, columnsOf({ ...input, request }));
  return { webhook: (await findWebhook(db, uuid))!, created: false };
}

function keepSecrets(next: WebhookRequestTemplate, before: WebhookRequestTemplate): WebhookRequestTemplate {
  const { password: _dropped, ...rest } = next;
  const password =
    next.password === undefined || next.password === '' || STARRED.test(next.password)
      ? before.password
      : next.password;
  let headers = next.headers;
  if (headers) {
    const stored = Object.entries(before.headers ?? {});
    headers = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => {
        if (!STARRED.test(value)) return [name, value];
        const previous = stored.find(([key]) => key.toLowerCase() === name.toLowerCase());
        return [name, previous ? previous[1] : value];
      }),
    );
  }
  return { ...rest, ...(headers ? { headers } : {}), ...(password !== undefined ? { password } : {}) };
}

/** Deletes the webhook; false when there was none. */
export async function deleteWebhook(db: Db, uuid: string): Promise<boolean> {
  return deleteWebhookRow(db, uuid);
}

/**
 * Webhooks, oldest first: all of them, or (with a scope) those whose consumer and provider names are
 * exactly the scope's, a side the scope leaves out meaning "not tied to a named pacticipant" — the
 * reference broker's rule for `/webhooks/provider/{p}[/consumer/{c}]`.
 */
export async function listWebhooks(db: Db, scope?: PathScope): Promise<Webhook[]> {
  return (await listWebhookRows(db, scope)).map(fromRow);
}

/** The request as the API shows it: no password, secret-looking header values starred. */
export function displayedRequest(request: WebhookRequestTemplate): Omit<WebhookRequestTemplate, 'password'> {
  const { password: _hidden, headers, ...rest } = request;
  return {
    ...rest,
    ...(headers
      ? {
          headers: Object.fromEntries(
            Object.entries(headers).map(([name, value]) => [
              name,
              // a value that is only a template parameter holds no secret yet
              isSecretHeader(name) && !hasPlaceholder(value) ? REDACTED : value,
            ]),
          ),
        }
      : {}),
  };
}

/** "POST example.org": the reference broker's title for a webhook without a description. */
export function displayDescription(webhook: Webhook): string {
  if (webhook.description && webhook.description.trim() !== '') return webhook.description;
  let host = '';
  try {
    host = new URL(webhook.request.url.replace(TEMPLATE_PARAMETER, 'placeholder')).host;
  } catch {
    host = webhook.request.url;
  }
  return `${webhook.request.method} ${host}`;
}

/** What the webhook applies to, in words. */
export function scopeDescription(webhook: Webhook): string {
  const side = (role: 'consumer' | 'provider', scope: PacticipantScope | undefined) =>
    !scope ? undefined : 'name' in scope ? `${role} ${scope.name}` : `${role}s labelled '${scope.label}'`;
  const consumer = side('consumer', webhook.consumer);
  const provider = side('provider', webhook.provider);
  if (webhook.consumer && 'name' in webhook.consumer && webhook.provider && 'name' in webhook.provider)
    return `A webhook for the pact between ${webhook.consumer.name} and ${webhook.provider.name}`;
  if (consumer && provider) return `A webhook for all pacts between ${consumer} and ${provider}`;
  if (consumer) return `A webhook for all pacts with ${consumer}`;
  if (provider) return `A webhook for all pacts with ${provider}`;
  return 'A webhook for all pacts';
}
