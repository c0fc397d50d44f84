/**
 * Hiding a webhook's secrets wherever its request is shown: logs, triggered-webhook logs and API
 * answers. Credential headers, the basic-auth password, credentials and token parameters in URLs,
 * and any of those values echoed elsewhere (a body, a response) become stars.
 */
import type { OutgoingRequest } from './deliver.js';

export const REDACTED = '**********';

/** Header names that carry credentials (the reference's Authorization and token, and the usual others). */
const SECRET_HEADER =
  /^(authorization|proxy-authorization|cookie|set-cookie)$|token|secret|passw|api[-_]?key|auth|credential|signature|session/i;

/** Query parameters that carry credentials (`?token=`, `?private_token=`, `?sig=`…). */
const SECRET_PARAMETER = /token|secret|passw|api[-_]?key|^key$|^sig$|signature|credential|^code$|^auth/i;

/** Whether a header's value is a credential. @example isSecretHeader('X-Api-Key') // → true */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/**
 * The headers with credential values starred.
 *
 * @example redactHeaders({ Authorization: 'Bearer abc', Accept: '*\/*' }) // → { Authorization: '**********', Accept: '*\/*' }
 */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, isSecretHeader(name) ? REDACTED : value]),
  );
}

function splitUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** The secret values a URL holds: its user info and its credential query parameters. */
function urlSecrets(url: string): string[] {
  const parsed = splitUrl(url);
  if (!parsed) return [];
  const secrets = [parsed.password, parsed.password ? '' : parsed.username].filter(Boolean);
  for (const [name, value] of parsed.searchParams)
    if (SECRET_PARAMETER.test(name) && value) secrets.push(value);
  return secrets.flatMap((secret) => [secret, decodeSafely(secret)]);
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A URL as it may be shown: the password in its user info (or a lone user name, often a token) and
 * credential query parameters starred; the rest as written.
 *
 * @example redactWebhookUrl('https://ci:s3cret@ci.example.com/build?token=abc&job=x')
 * // → 'https://ci:**********@ci.example.com/build?token=**********&job=x'
 */
export function redactWebhookUrl(url: string): string {
  const parsed = splitUrl(url);
  if (!parsed) return url;
  if (parsed.password) parsed.password = REDACTED;
  else if (parsed.username) parsed.username = REDACTED;
  const query = [...parsed.searchParams].map(([name, value]) =>
    SECRET_PARAMETER.test(name)
      ? `${encodeURIComponent(name)}=${REDACTED}`
      : `${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
  );
  parsed.search = '';
  const base = parsed.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED);
  const hash = base.indexOf('#');
  if (query.length === 0) return base;
  return hash === -1
    ? `${base}?${query.join('&')}`
    : `${base.slice(0, hash)}?${query.join('&')}${base.slice(hash)}`;
}

/**
 * Every secret a request carries, as it could appear in text: the password, the basic-auth token,
 * credential header values (and their token after a scheme word such as `Bearer`), URL secrets.
 */
export function secretsOf(request: OutgoingRequest): string[] {
  const secrets: string[] = [];
  if (request.password) secrets.push(request.password);
  if (request.username && request.password !== undefined)
    secrets.push(Buffer.from(`${request.username}:${request.password}`).toString('base64'));
  for (const [name, value] of Object.entries(request.headers ?? {}))
    if (isSecretHeader(name) && value) {
      secrets.push(value);
      const token = /^\S+\s+(\S.*)$/.exec(value)?.[1];
      if (token) secrets.push(token);
    }
  secrets.push(...urlSecrets(request.url));
  // longest first, so a secret holding another is replaced whole; very short values would star ordinary text
  return [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}

/**
 * The text with each secret replaced by stars.
 *
 * @example redactText('echo: token abc123', ['abc123']) // → 'echo: token **********'
 */
export function redactText(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join(REDACTED), text);
}

/**
 * A request as it may be shown: no password, credential headers starred, URL secrets starred, and
 * any of its secrets that appear in the body starred too.
 *
 * @example redactRequest({ method: 'POST', url, headers: { Authorization: 'Bearer x' }, password: 'p' })
 */
export function redactRequest(request: OutgoingRequest): Omit<OutgoingRequest, 'password'> {
  const secrets = secretsOf(request);
  const { password: _hidden, ...rest } = request;
  return {
    ...rest,
    url: redactWebhookUrl(request.url),
    ...(request.headers ? { headers: redactHeaders(request.headers) } : {}),
    ...(request.body !== undefined ? { body: redactText(request.body, secrets) } : {}),
  };
}
