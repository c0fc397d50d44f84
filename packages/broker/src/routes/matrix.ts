import {
  type IgnoreSelector,
  type LatestBy,
  type MatrixOptions,
  type MatrixQuery,
  type MatrixResult,
  type MatrixRow,
  type MatrixSelector,
  type MatrixVersion,
  runMatrix,
} from '../domain/matrix.js';
import { compareContracts } from '../domain/provider-contracts.js';
import { inTransaction, type RoutePlugin } from '../http/context.js';
import { consumerVersionPactUrl, enc, pacticipantUrl, pactVersionUrl, versionUrl } from '../http/hal.js';
import { HttpProblem } from '../http/problem.js';
import { matrixSchemas } from './schemas/matrix.js';

const HAL = 'application/hal+json;charset=utf-8';
const MAX_LIMIT = 1000;
const MAX_PARAMETERS = 1000;
const MAX_DEPTH = 8;

/** A value in a Rack-style nested query string. */
export type QueryValue = string | QueryValue[] | QueryObject;
export interface QueryObject {
  [key: string]: QueryValue;
}

const invalid = (field: string, message: string) =>
  new HttpProblem(
    400,
    'Validation errors',
    message,
    { [field]: [message] },
    {
      legacyErrors: 'list',
    },
  );

// null-prototype objects: a `__proto__` or `constructor` key is then just a key
const newObject = (): QueryObject => Object.create(null) as QueryObject;
const isObject = (v: QueryValue | undefined): v is QueryObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    throw invalid('query', 'the query string is not valid percent-encoding');
  }
}

/** Rack's `params_hash_has_key?`: whether `key` (possibly `a][b`-nested) is already set in `hash`. */
function hasKey(hash: QueryObject, key: string): boolean {
  if (key.includes('[]')) return false;
  let node: QueryValue = hash;
  for (const part of key.split(/[[\]]+/)) {
    if (part === '') continue;
    if (!isObject(node) || !Object.hasOwn(node, part)) return false;
    node = node[part]!;
  }
  return true;
}

/**
 * Rack's `normalize_params`: `a=1`, `a[]=1`, `a[b]=1`, and `a[][b]=1&a[][c]=2&a[][b]=3`, where a
 * key already present in the last hash of a list starts a new hash. That rule is what turns
 * `q[][pacticipant]=A&q[][version]=1&q[][pacticipant]=B` into two selectors.
 */
function assign(params: QueryObject, name: string, value: string, depth: number): QueryObject {
  if (depth > MAX_DEPTH) throw invalid('query', 'the query string nests parameters too deeply');
  const head = /^[[\]]*([^[\]]+)\]*/.exec(name);
  if (!head) return params;
  const key = head[1]!;
  const after = name.slice(head[0].length);
  const clash = () => invalid(key, `the parameter ${key} is given with conflicting shapes`);
  if (after === '') {
    // Rack keeps the last of a repeated parameter; answering for one of two versions or
    // pacticipants the client named would be a silent wrong answer
    if (Object.hasOwn(params, key))
      throw invalid(key, `${key} is given more than once; give it once (repeat selectors as q[][…])`);
    params[key] = value;
  } else if (after === '[') params[name] = value;
  else if (after === '[]') {
    const list = (params[key] ??= []);
    if (!Array.isArray(list)) throw clash();
    list.push(value);
  } else if (after.startsWith('[]')) {
    const child = /^\[\]\[([^[\]]+)\]$/.exec(after)?.[1] ?? after.slice(2);
    const list = (params[key] ??= []);
    if (!Array.isArray(list)) throw clash();
    const last = list[list.length - 1];
    if (isObject(last) && !hasKey(last, child)) assign(last, child, value, depth + 1);
    else list.push(assign(newObject(), child, value, depth + 1));
  } else {
    const nested = (params[key] ??= newObject());
    if (!isObject(nested)) throw clash();
    assign(nested, after, value, depth + 1);
  }
  return params;
}

/**
 * Parses a query string the way Rack (and so the reference broker) does, e.g.
 * `q[][pacticipant]=Foo&q[][version]=1&ignore[][pacticipant]=Bar` →
 * `{ q: [{ pacticipant: 'Foo', version: '1' }], ignore: [{ pacticipant: 'Bar' }] }`.
 */
export function parseNestedQuery(query: string): QueryObject {
  const params = newObject();
  const pairs = query.split('&').filter((pair) => pair !== '');
  if (pairs.length > MAX_PARAMETERS)
    throw invalid('query', `the query string has more than ${MAX_PARAMETERS} parameters`);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const name = decode(eq === -1 ? pair : pair.slice(0, eq));
    assign(params, name, eq === -1 ? '' : decode(pair.slice(eq + 1)), 0);
  }
  return params;
}

/** A single string parameter; blank counts as absent, as in the reference broker. */
function text(value: QueryValue | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(field, `${field} must be a single value`);
  return value === '' ? undefined : value;
}

/** A `true`/`false` parameter; blank counts as absent. */
function flag(value: QueryValue | undefined, field: string): boolean | undefined {
  const raw = text(value, field);
  if (raw === undefined) return undefined;
  if (raw !== 'true' && raw !== 'false') throw invalid(field, `${field} must be true or false, not '${raw}'`);
  return raw === 'true';
}

/** A repeated parameter as a list; a lone `q[pacticipant]=…` hash counts as a list of one. */
function list(value: QueryValue | undefined): QueryValue[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function selectorFrom(entry: QueryValue, index: number): MatrixSelector {
  if (!isObject(entry)) throw invalid('q', `q[${index}] must be given as q[][pacticipant]=…`);
  const selector: MatrixSelector = { pacticipant: text(entry.pacticipant, 'q') ?? '' };
  const version = text(entry.version, 'q');
  const tag = text(entry.tag, 'q');
  const branch = text(entry.branch, 'q');
  const environment = text(entry.environment, 'q');
  if (version !== undefined) selector.version = version;
  if (flag(entry.latest, 'q')) selector.latest = true;
  if (tag !== undefined) selector.tag = tag;
  if (branch !== undefined) selector.branch = branch;
  if (flag(entry.mainBranch, 'q')) selector.mainBranch = true;
  if (environment !== undefined) selector.environment = environment;
  return selector;
}

/** `ignore[]=Name` (can-i-deploy) or `ignore[][pacticipant]=Name&ignore[][version]=1`. */
function ignoreFrom(entry: QueryValue): IgnoreSelector {
  if (typeof entry === 'string') return { pacticipant: entry };
  if (!isObject(entry)) throw invalid('ignore', 'ignore must be given as ignore[][pacticipant]=…');
  const ignore: IgnoreSelector = { pacticipant: text(entry.pacticipant, 'ignore') ?? '' };
  const version = text(entry.version, 'ignore');
  if (version !== undefined) ignore.version = version;
  return ignore;
}

function limitFrom(value: QueryValue | undefined): number | undefined {
  const raw = text(value, 'limit');
  if (raw === undefined) return undefined;
  const limit = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT))
    throw invalid('limit', `limit must be a whole number from 1 to ${MAX_LIMIT}`);
  return limit;
}

/** The `/matrix` query: `q[]` selectors plus latestby, latest, tag, environment, mainBranch, success[], ignore[], limit. */
export function matrixQueryFromParams(params: QueryObject): MatrixQuery {
  const options: MatrixOptions = {};
  const latestby = text(params.latestby, 'latestby');
  if (latestby !== undefined) {
    if (!['cvpv', 'cvp', 'cp'].includes(latestby))
      throw invalid('latestby', 'latestby must be one of cvpv, cvp and cp');
    options.latestby = latestby as LatestBy;
  }
  const limit = limitFrom(params.limit);
  if (limit !== undefined) options.limit = limit;
  if (flag(params.latest, 'latest')) options.latest = true;
  const tag = text(params.tag, 'tag');
  if (tag !== undefined) options.tag = tag;
  const environment = text(params.environment, 'environment');
  if (environment !== undefined) options.environment = environment;
  if (flag(params.mainBranch, 'mainBranch')) options.mainBranch = true;
  if (params.success !== undefined)
    options.success = list(params.success).map((value) => {
      if (value === '') return null;
      if (value === 'true' || value === 'false') return value === 'true';
      throw invalid('success', 'success[] values must be true, false or empty');
    });
  const ignore = list(params.ignore).map(ignoreFrom);
  if (ignore.length > 0) options.ignore = ignore;
  return { selectors: list(params.q).map(selectorFrom), options };
}

/**
 * The `/can-i-deploy` query: one pacticipant version, checked against the latest versions with
 * tag `to`, or the versions in `environment` (each deployed/released version on its own row,
 * `cvpv`, so one failing version can't hide behind a newer passing one), or the latest versions.
 */
export function canIDeployQueryFromParams(params: QueryObject): MatrixQuery {
  const pacticipant = text(params.pacticipant, 'pacticipant');
  const version = text(params.version, 'version');
  const to = text(params.to, 'to');
  const environment = text(params.environment, 'environment');
  const errors: Record<string, string[]> = {};
  if (!pacticipant) errors.pacticipant = ['pacticipant is required'];
  if (!version) errors.version = ['version is required'];
  if (to && environment) errors.to = ['Use only one of to and environment'];
  if (Object.keys(errors).length > 0)
    throw new HttpProblem(400, 'Validation errors', Object.values(errors).flat().join('; '), errors, {
      legacyErrors: 'list',
    });
  const options: MatrixOptions = environment
    ? { environment, latestby: 'cvpv' }
    : { latest: true, latestby: 'cvp', ...(to ? { tag: to } : {}) };
  const ignore = list(params.ignore).map(ignoreFrom);
  if (ignore.length > 0) options.ignore = ignore;
  const limit = limitFrom(params.limit);
  if (limit !== undefined) options.limit = limit;
  return { selectors: [{ pacticipant: pacticipant!, version: version! }], options };
}

function versionJson(b: string, pacticipant: string, v: MatrixVersion) {
  const self = versionUrl(b, pacticipant, v.number);
  const branchUrl = (name: string) => `${pacticipantUrl(b, pacticipant)}/branches/${enc(name)}`;
  return {
    number: v.number,
    branch: v.branch,
    branches: v.branches.map((br) => ({
      name: br.name,
      latest: br.latest,
      _links: { self: { href: branchUrl(br.name) } },
    })),
    branchVersions: v.branches.map((br) => ({
      name: br.name,
      latest: br.latest,
      _links: { self: { href: `${branchUrl(br.name)}/versions/${enc(v.number)}` } },
    })),
    environments: v.environments.map((e) => ({
      uuid: e.uuid,
      name: e.name,
      displayName: e.display_name ?? e.name,
      production: e.production === 1,
      _links: { self: { href: `${b}/environments/${e.uuid}` } },
    })),
    tags: v.tags.map((t) => ({
      name: t.name,
      latest: t.latest,
      _links: { self: { href: `${self}/tags/${enc(t.name)}` } },
    })),
    _links: { self: { href: self } },
  };
}

function rowJson(b: string, r: MatrixRow) {
  const consumer = r.consumerName;
  const provider = r.providerName;
  return {
    consumer: {
      name: consumer,
      version: versionJson(b, consumer, r.consumerVersion),
      _links: { self: { href: pacticipantUrl(b, consumer) } },
    },
    provider: {
      name: provider,
      version: r.providerVersion && versionJson(b, provider, r.providerVersion),
      _links: { self: { href: pacticipantUrl(b, provider) } },
    },
    pact: {
      createdAt: r.pact.createdAt,
      _links: { self: { href: consumerVersionPactUrl(b, provider, consumer, r.consumerVersion.number) } },
    },
    verificationResult: r.verification && {
      success: r.verification.success,
      ...(r.verification.pending ? { pending: true } : {}),
      verifiedAt: r.verification.verifiedAt,
      _links: {
        self: {
          href: `${pactVersionUrl(b, provider, consumer, r.pact.sha)}/verification-results/${r.verification.id}`,
        },
      },
    },
    ...(r.ignored ? { ignored: true } : {}),
  };
}

/** The reference broker's matrix body: summary, notices and one entry per row. */
export function matrixJson(b: string, result: MatrixResult) {
  return { summary: result.summary, notices: result.notices, matrix: result.rows.map((r) => rowJson(b, r)) };
}

const queryOf = (url: string) => {
  const at = url.indexOf('?');
  return at === -1 ? '' : url.slice(at + 1);
};

/** `GET /matrix` and `GET /can-i-deploy`. */
export const matrixRoutes: RoutePlugin = async (app, { context }) => {
  const db = () => context.options.database.db;
  // a provider version the query names is judged on its contract too (bi-directional testing)
  const compareNamedContracts = (contractIds: number[]) =>
    inTransaction(context, (trx) => compareContracts(trx, contractIds));

  // the query is read from the raw URL: Fastify's parser doesn't do Rack's `q[][pacticipant]`
  app.get(
    '/matrix',
    { schema: matrixSchemas.getMatrix, config: { access: 'read' } },
    async (request, reply) => {
      const query = matrixQueryFromParams(parseNestedQuery(queryOf(request.url)));
      const result = await runMatrix(db(), query, context.options.database.dialect, compareNamedContracts);
      reply.type(HAL);
      return matrixJson(context.baseUrlOf(request), result);
    },
  );

  app.get(
    '/can-i-deploy',
    { schema: matrixSchemas.getCanIDeploy, config: { access: 'read' } },
    async (request, reply) => {
      const query = canIDeployQueryFromParams(parseNestedQuery(queryOf(request.url)));
      const result = await runMatrix(db(), query, context.options.database.dialect, compareNamedContracts);
      reply.type(HAL);
      return matrixJson(context.baseUrlOf(request), result);
    },
  );
};
