/**
 * Credentials written into a URL (`https://user:secret@host/…`): split out, or hidden for display.
 * Plain string work on the URL's authority, so the rest of the URL keeps the form it was given in
 * (no trailing slash added, no case folded), and any scheme works (`http`, `postgres`, …).
 */

/** A URL without its user info, and the credentials that were in it (percent-decoded). */
export interface UrlCredentials {
  /** The URL with `user:password@` removed; the given string itself when it had none. */
  url: string;
  /** The user name, when the URL had user info. */
  username?: string;
  /** The password, when the URL's user info had a `:`; an empty string for `user:@host`. */
  password?: string;
}

/** Where the user info sits: the index after `scheme://`, and the `@` that ends it, or undefined. */
function userInfoSpan(url: string): { start: number; at: number } | undefined {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  if (!scheme) return undefined;
  const start = scheme[0].length;
  const rest = url.slice(start);
  const end = rest.search(/[/?#\\]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  // the last @ ends the user info, as in WHATWG URL parsing: an unencoded @ in a password stays in it
  const at = authority.lastIndexOf('@');
  return at === -1 ? undefined : { start, at: start + at };
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Splits the credentials out of a URL: `fetch` refuses a URL with user info, so callers send
 * them as basic auth instead and use the returned `url`.
 *
 * @example
 * urlCredentials('https://ci:s%40cret@broker.example/pacts')
 * // → { url: 'https://broker.example/pacts', username: 'ci', password: 's@cret' }
 * urlCredentials('https://broker.example') // → { url: 'https://broker.example' }
 */
export function urlCredentials(url: string): UrlCredentials {
  const span = userInfoSpan(url);
  if (!span) return { url };
  const info = url.slice(span.start, span.at);
  const stripped = url.slice(0, span.start) + url.slice(span.at + 1);
  const colon = info.indexOf(':');
  if (colon === -1) return { url: stripped, username: decode(info) };
  return { url: stripped, username: decode(info.slice(0, colon)), password: decode(info.slice(colon + 1)) };
}

/**
 * A URL as it may be shown in messages and logs: its password, if it has one, as `***`.
 * The user name stays, so the reader can tell which account was used. Strings that are
 * not `scheme://` URLs come back unchanged.
 *
 * @example
 * redactUrl('postgres://app:s3cret@db:5432/pacts') // → 'postgres://app:***@db:5432/pacts'
 * redactUrl('https://broker.example/pacts')       // → unchanged
 */
export function redactUrl(url: string): string {
  const span = userInfoSpan(url);
  if (!span) return url;
  const info = url.slice(span.start, span.at);
  const colon = info.indexOf(':');
  if (colon === -1) return url;
  return `${url.slice(0, span.start + colon)}:***${url.slice(span.at)}`;
}

/**
 * Whether a string is an absolute `http://` or `https://` URL. `localhost:9292` is not: it parses
 * as a URL of scheme `localhost:`, which fails only later, as an unreachable server.
 *
 * @example
 * isHttpUrl('http://localhost:9292') // → true
 * isHttpUrl('localhost:9292')        // → false
 */
export function isHttpUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { protocol } = new URL(url);
  return protocol === 'http:' || protocol === 'https:';
}
