/**
 * What webhooks may do, read from the reference broker's variables (PACT_BROKER_WEBHOOK_*): the
 * allowed methods, schemes and hosts, the retry schedule and the status codes that count as success.
 */
import { readFileSync } from 'node:fs';
import { brokerError } from '../errors.js';
import {
  blockedRangeOf,
  embeddedIPv4,
  type IpAddress,
  type IpRange,
  parseIp,
  parseRange,
  rangeContains,
} from './address.js';

/** One entry of the host allowlist. Names match the URL's host; IPs and CIDRs the resolved address. */
export type HostRule =
  | { kind: 'name'; name: string; text: string }
  | { kind: 'wildcard'; suffix: string; text: string }
  | { kind: 'regex'; pattern: RegExp; text: string }
  | { kind: 'range'; range: IpRange; text: string };

export interface WebhookPolicy {
  /** Upper-case methods, e.g. `['POST']`. */
  methods: string[];
  /** Schemes without the colon, e.g. `['https']`. */
  schemes: string[];
  /** Empty: any host whose address is not blocked. */
  hosts: HostRule[];
  /** Seconds to wait before each retry; its length is the number of retries. */
  retrySchedule: number[];
  /** Response statuses that count as a successful delivery. */
  successCodes: number[];
  /** Extra CA certificates (PEM) trusted for https targets, besides Node's own. */
  certificates: string[];
  /** Skip certificate checks for https targets (PACT_BROKER_DISABLE_SSL_VERIFICATION). */
  disableSslVerification: boolean;
  userAgent: string;
  connectTimeoutMs: number;
  /** Longest wait from sending the request to the end of the response. */
  responseTimeoutMs: number;
  /** Bytes of the response body read and kept; the rest is dropped. */
  maxResponseBytes: number;
}

export const DEFAULT_RETRY_SCHEDULE = [10, 60, 120, 300, 600, 1200];
export const DEFAULT_SUCCESS_CODES = [200, 201, 202, 203, 204, 205, 206];

/** The reference broker's defaults, with Covenant's blocked ranges (see docs/decisions). */
export const DEFAULT_WEBHOOK_POLICY: WebhookPolicy = {
  methods: ['POST'],
  schemes: ['https'],
  hosts: [],
  retrySchedule: DEFAULT_RETRY_SCHEDULE,
  successCodes: DEFAULT_SUCCESS_CODES,
  certificates: [],
  disableSslVerification: false,
  userAgent: 'Covenant Pact Broker',
  connectTimeoutMs: 5_000,
  responseTimeoutMs: 15_000,
  maxResponseBytes: 64 * 1024,
};

const invalid = (variable: string, message: string) =>
  brokerError('COV_BROKER_CONFIG_INVALID', `${variable}: ${message}`, { variable });

const words = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/**
 * Parses one host allowlist entry: `ci.example.com`, `*.example.com`, `/^ci-\d+\.example\.com$/`,
 * `10.1.2.3` or `10.0.0.0/8`.
 *
 * @example hostRule('*.example.com') // → { kind: 'wildcard', suffix: '.example.com', … }
 */
export function hostRule(text: string, variable = 'PACT_BROKER_WEBHOOK_HOST_WHITELIST'): HostRule {
  if (text.length > 2 && text.startsWith('/') && text.endsWith('/')) {
    try {
      return { kind: 'regex', pattern: new RegExp(text.slice(1, -1), 'i'), text };
    } catch (error) {
      throw invalid(variable, `'${text}' is not a valid regular expression: ${(error as Error).message}`);
    }
  }
  const range = parseRange(text);
  if (range) return { kind: 'range', range, text };
  if (/^[\d.:/[\]]+$/.test(text) || text.includes('/'))
    throw invalid(variable, `'${text}' is neither an IP address nor a CIDR range such as 10.0.0.0/8`);
  const name = text.toLowerCase();
  if (name.startsWith('*.') && /^[a-z0-9.-]+$/.test(name.slice(2)))
    return { kind: 'wildcard', suffix: name.slice(1), text };
  if (!/^[a-z0-9.-]+$/.test(name))
    throw invalid(variable, `'${text}' is not a host name, *.domain, /regex/, IP address or CIDR range`);
  return { kind: 'name', name, text };
}

function codes(text: string, variable: string): number[] {
  return words(text).map((word) => {
    const code = Number(word);
    if (!/^\d{3}$/.test(word) || code < 100 || code > 599)
      throw invalid(variable, `'${word}' is not an HTTP status code (100 to 599)`);
    return code;
  });
}

function seconds(text: string, variable: string): number[] {
  return words(text).map((word) => {
    if (!/^\d+$/.test(word)) throw invalid(variable, `'${word}' is not a whole number of seconds`);
    return Number(word);
  });
}

function flag(text: string, variable: string): boolean {
  if (/^(true|1|yes)$/i.test(text)) return true;
  if (/^(false|0|no|)$/i.test(text)) return false;
  throw invalid(variable, `'${text}' is not true or false`);
}

/** PEM text given inline, or read from the files named (separated by spaces). */
function certificates(text: string, variable: string): string[] {
  if (text.includes('-----BEGIN')) return [text];
  return words(text).map((path) => {
    let pem: string;
    try {
      pem = readFileSync(path, 'utf8');
    } catch (error) {
      throw invalid(
        variable,
        `cannot read '${path}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----'))
      throw invalid(variable, `'${path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    return pem;
  });
}

/**
 * The webhook policy from the environment (PACT_BROKER_WEBHOOK_HTTP_METHOD_WHITELIST,
 * _SCHEME_WHITELIST, _HOST_WHITELIST, _RETRY_SCHEDULE, _HTTP_CODE_SUCCESS, _CERTIFICATES,
 * PACT_BROKER_DISABLE_SSL_VERIFICATION, PACT_BROKER_USER_AGENT), lists space-separated, unset or
 * empty variables keeping the defaults. A bad value is COV_BROKER_CONFIG_INVALID naming the variable.
 *
 * @example webhookPolicyFromEnv({ PACT_BROKER_WEBHOOK_HOST_WHITELIST: '127.0.0.1', PACT_BROKER_WEBHOOK_SCHEME_WHITELIST: 'http https' })
 */
export function webhookPolicyFromEnv(
  env: Record<string, string | undefined>,
  base: WebhookPolicy = DEFAULT_WEBHOOK_POLICY,
): WebhookPolicy {
  const read = <T>(name: string, parse: (text: string, variable: string) => T, fallback: T): T => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? fallback : parse(value, name);
  };
  const methods = read(
    'PACT_BROKER_WEBHOOK_HTTP_METHOD_WHITELIST',
    (text) => words(text).map((m) => m.toUpperCase()),
    base.methods,
  );
  const schemes = read(
    'PACT_BROKER_WEBHOOK_SCHEME_WHITELIST',
    (text, variable) =>
      words(text).map((s) => {
        const scheme = s.toLowerCase();
        if (scheme !== 'http' && scheme !== 'https') throw invalid(variable, `'${s}' is not http or https`);
        return scheme;
      }),
    base.schemes,
  );
  return {
    ...base,
    methods,
    schemes,
    hosts: read(
      'PACT_BROKER_WEBHOOK_HOST_WHITELIST',
      (text, v) => words(text).map((w) => hostRule(w, v)),
      base.hosts,
    ),
    retrySchedule: read('PACT_BROKER_WEBHOOK_RETRY_SCHEDULE', seconds, base.retrySchedule),
    successCodes: read('PACT_BROKER_WEBHOOK_HTTP_CODE_SUCCESS', codes, base.successCodes),
    certificates: read('PACT_BROKER_WEBHOOK_CERTIFICATES', certificates, base.certificates),
    disableSslVerification: read('PACT_BROKER_DISABLE_SSL_VERIFICATION', flag, base.disableSslVerification),
    userAgent: read('PACT_BROKER_USER_AGENT', (text) => text, base.userAgent),
  };
}

/** Why a target is refused: which allowlist, or the blocked range. */
export interface Refusal {
  rule: 'method' | 'scheme' | 'host' | 'blocked-address';
  message: string;
}

/** Checks the method and scheme, before anything is resolved. */
export function requestRefusal(policy: WebhookPolicy, method: string, url: URL): Refusal | undefined {
  if (!policy.methods.includes(method.toUpperCase()))
    return {
      rule: 'method',
      message: `the method ${method} is not in the webhook method allowlist (${policy.methods.join(' ')}; PACT_BROKER_WEBHOOK_HTTP_METHOD_WHITELIST)`,
    };
  const scheme = url.protocol.replace(/:$/, '');
  if (!policy.schemes.includes(scheme))
    return {
      rule: 'scheme',
      message: `the scheme ${scheme} is not in the webhook scheme allowlist (${policy.schemes.join(' ')}; PACT_BROKER_WEBHOOK_SCHEME_WHITELIST)`,
    };
  return undefined;
}

const coversAddress = (rule: HostRule, address: IpAddress) => {
  if (rule.kind !== 'range') return false;
  const inner = embeddedIPv4(address);
  return rangeContains(rule.range, address) || (inner !== undefined && rangeContains(rule.range, inner));
};

function matchesName(rule: HostRule, host: string): boolean {
  if (rule.kind === 'name') return rule.name === host;
  if (rule.kind === 'wildcard') return host.endsWith(rule.suffix) && host.length > rule.suffix.length;
  if (rule.kind === 'regex') return rule.pattern.test(host);
  return false;
}

/**
 * Checks the host against the allowlist and the address it resolved to against the blocked ranges.
 * A blocked address passes only when an IP or CIDR entry covers it: a name entry never unblocks one,
 * so a name an attacker points at 127.0.0.1 stays refused.
 *
 * @example hostRefusal(policy, 'ci.example.com', '10.0.0.7') // → { rule: 'blocked-address', … }
 */
export function hostRefusal(policy: WebhookPolicy, host: string, address: string): Refusal | undefined {
  const ip = parseIp(address);
  if (!ip) return { rule: 'blocked-address', message: `'${address}' is not an IP address` };
  const name = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const shown = name === address ? address : `${name} (${address})`;
  if (
    policy.hosts.length > 0 &&
    !policy.hosts.some((rule) => matchesName(rule, name) || coversAddress(rule, ip))
  )
    return {
      rule: 'host',
      message: `${shown} is not in the webhook host allowlist (${policy.hosts.map((r) => r.text).join(' ')}; PACT_BROKER_WEBHOOK_HOST_WHITELIST)`,
    };
  const blocked = blockedRangeOf(ip);
  if (blocked && !policy.hosts.some((rule) => coversAddress(rule, ip)))
    return {
      rule: 'blocked-address',
      message: `${shown} is in ${blocked.text}, which webhooks may not reach unless PACT_BROKER_WEBHOOK_HOST_WHITELIST names the address or its range`,
    };
  return undefined;
}
