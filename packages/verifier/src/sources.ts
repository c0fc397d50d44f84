import { stat } from 'node:fs/promises';
import {
  type BrokerClient,
  type BrokerTls,
  failureReason,
  fetchWith,
  type HalResource,
  linkOf,
  type PactsForVerificationRequest,
} from '@covenant/broker-client';
import {
  type JsonValue,
  type Pact,
  pactFromJson,
  parseJson,
  redactUrl,
  urlCredentials,
} from '@covenant/core';
import { verifierError } from './errors.js';
import { pactFilesInDirectory, readPactText } from './pact-files.js';

/** A pact to verify, with where it came from and what the broker said about it. */
export interface PactToVerify {
  pact: Pact;
  /** File path or URL. */
  source: string;
  /** A pending pact's failures don't fail the run. */
  pending: boolean;
  wip: boolean;
  /** Broker notices to print before and after verification. */
  notices: Array<{ when: string; text: string }>;
  /** The pact's HAL resource when it came from a broker (needed to publish results). */
  hal: HalResource | undefined;
  /** The credentials a pact given by URL was fetched with (its results are published with them). */
  auth?: UrlAuth;
}

export interface UrlAuth {
  username?: string;
  password?: string;
  token?: string;
}

function fromText(text: string, source: string): { pact: Pact; json: JsonValue } {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    throw verifierError(
      'COV_VERIFIER_PACT_SOURCE_FAILED',
      `${source} is not valid JSON: ${parsed.message} at line ${parsed.line}, column ${parsed.column}`,
      { source },
    );
  }
  return { pact: pactFromJson(parsed.value, source), json: parsed.value };
}

/**
 * Where to fetch a pact URL and with which credentials: those given (pactUrlAuth) win over those
 * written in the URL (`https://user:secret@broker/…`, which fetch refuses), which win over the
 * environment's.
 */
function pactUrlTarget(
  given: string,
  auth: UrlAuth | undefined,
  fallback: UrlAuth,
): { url: string; auth: UrlAuth } {
  const inUrl = urlCredentials(given);
  if (auth && (auth.token || auth.username)) return { url: inUrl.url, auth };
  if (inUrl.username)
    return { url: inUrl.url, auth: { username: inUrl.username, password: inUrl.password ?? '' } };
  return { url: inUrl.url, auth: auth ?? fallback };
}

type Fetch = Awaited<ReturnType<typeof fetchWith>>;

async function fetchText(
  fetchPact: Fetch,
  shown: string,
  url: string,
  auth: UrlAuth,
  timeoutMs: number,
): Promise<string> {
  const headers: Record<string, string> = { Accept: 'application/hal+json, application/json' };
  if (auth.token) headers.Authorization = `Bearer ${auth.token}`;
  else if (auth.username)
    headers.Authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64')}`;
  const failed = (error: unknown) =>
    verifierError(
      'COV_VERIFIER_PACT_SOURCE_FAILED',
      `cannot fetch the pact at ${shown}: ${failureReason(error, timeoutMs)}`,
      { source: shown },
      error,
    );
  let response: Response;
  try {
    response = await fetchPact(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw failed(error);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw verifierError(
      'COV_VERIFIER_PACT_SOURCE_FAILED',
      `cannot fetch the pact at ${shown}: the server answered ${response.status}${response.status === 401 || response.status === 403 ? ' (check the credentials)' : ''}`,
      { source: shown, status: response.status },
    );
  }
  try {
    // the timeout covers the body too: a server that stops half-way is a failed source, not a hang
    return await response.text();
  } catch (error) {
    throw failed(error);
  }
}

async function expandPaths(path: string): Promise<string[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    throw verifierError(
      'COV_VERIFIER_PACT_SOURCE_FAILED',
      `no pact file or directory at ${path}`,
      { source: path },
      error,
    );
  }
  if (!info.isDirectory()) return [path];
  try {
    return await pactFilesInDirectory(path);
  } catch (error) {
    throw verifierError(
      'COV_VERIFIER_PACT_SOURCE_FAILED',
      `cannot list the pact directory ${path}: ${(error as Error).message}`,
      { source: path },
      error,
    );
  }
}

/**
 * Reads pacts from files, directories (every `*.json` in them) and http(s) URLs, the URLs over
 * TLS with `tls` (a CA to trust, a client certificate) when given.
 * A pact served by a broker keeps its HAL links, so results can be published for it.
 */
export async function loadPactSources(
  sources: readonly string[],
  auth: UrlAuth | undefined,
  timeoutMs: number,
  fallbackAuth: UrlAuth = {},
  tls: BrokerTls = {},
): Promise<PactToVerify[]> {
  const out: PactToVerify[] = [];
  let fetchPact: Fetch | undefined;
  for (const source of sources) {
    if (/^https?:\/\//i.test(source)) {
      const shown = redactUrl(source);
      const target = pactUrlTarget(source, auth, fallbackAuth);
      fetchPact ??= Object.keys(tls).length > 0 ? await fetchWith(tls) : fetch;
      const text = await fetchText(fetchPact, shown, target.url, target.auth, timeoutMs);
      const { pact, json } = fromText(text, shown);
      out.push({
        pact,
        source: shown,
        pending: false,
        wip: false,
        notices: [],
        hal: halOf(json),
        auth: target.auth,
      });
      continue;
    }
    for (const file of await expandPaths(source)) {
      let text: string;
      try {
        text = await readPactText(file);
      } catch (error) {
        throw verifierError(
          'COV_VERIFIER_PACT_SOURCE_FAILED',
          `cannot read ${file}: ${(error as Error).message}`,
          { source: file },
          error,
        );
      }
      out.push({
        pact: fromText(text, file).pact,
        source: file,
        pending: false,
        wip: false,
        notices: [],
        hal: undefined,
      });
    }
  }
  return out;
}

function halOf(json: JsonValue): HalResource | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const resource = json as unknown as HalResource;
  return linkOf(resource, 'pb:publish-verification-results') ? resource : undefined;
}

/** Asks the broker which pacts to verify and fetches each, with its pending/WIP status and notices. */
export async function loadBrokerPacts(
  broker: BrokerClient,
  provider: string,
  request: PactsForVerificationRequest,
): Promise<PactToVerify[]> {
  const { pacts } = await broker.pactsForVerification(provider, request);
  const out: PactToVerify[] = [];
  for (const p of pacts) {
    const json = await broker.request<JsonValue>('GET', p.url);
    const pact = pactFromJson(json, p.url);
    out.push({
      pact,
      source: p.url,
      pending: p.pending,
      wip: p.wip,
      notices: p.notices,
      hal: json as unknown as HalResource,
    });
  }
  return out;
}
