// A small HTTP client for the broker under test: JSON requests and HAL relations. The state
// handlers create their data with it, and the placeholder mappings follow the broker's relations
// with it, so both go through the broker's public API and nothing else.

export type JsonObject = Record<string, unknown>;

export interface HalLink {
  href: string;
  name?: string;
  title?: string;
  templated?: boolean;
}

export interface BrokerAnswer {
  status: number;
  body: unknown;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `value[key1][key2]…`, or undefined when some step is missing. */
export function dig(value: unknown, ...keys: (string | number)[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof key === 'number') current = Array.isArray(current) ? current[key] : undefined;
    else current = isObject(current) ? current[key] : undefined;
  }
  return current;
}

/** Fills in `{name}` template values (URL-encoded); unknown names stay as they are. */
export function expand(href: string, values: Record<string, string>): string {
  return href.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? encodeURIComponent(values[key]!) : whole,
  );
}

const sameName = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

export class BrokerHttp {
  /** @param origin where the broker listens, e.g. `http://127.0.0.1:50123` */
  constructor(readonly origin: string) {}

  /**
   * The broker's own address for an href it wrote. The broker runs with the base URL
   * `http://example.org` (as the reference broker does in its own verification, so the contracts'
   * literal hrefs match), so its links name that host rather than the port it listens on.
   */
  local(href: string): string {
    const url = new URL(href, this.origin);
    return `${this.origin}${url.pathname}${url.search}`;
  }

  async send(method: string, href: string, body?: unknown): Promise<BrokerAnswer> {
    const response = await fetch(this.local(href), {
      method,
      headers: {
        accept: 'application/hal+json, application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text for the error message
    }
    return { status: response.status, body: parsed };
  }

  /** Like `send`, but an answer of 400 or more throws, quoting the broker. */
  async call(method: string, href: string, body?: unknown): Promise<unknown> {
    const answer = await this.send(method, href, body);
    if (answer.status >= 400) {
      const path = new URL(this.local(href)).pathname;
      const said = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      throw new Error(`${method} ${path} answered ${answer.status}: ${(said ?? '').slice(0, 300)}`);
    }
    return answer.body;
  }

  /**
   * The link for `rel` in the resource at `from` (the index by default), with template values
   * filled in, as an address on this broker. For a list of links, `name` picks one
   * (case-insensitively).
   */
  async relation(
    rel: string,
    values: Record<string, string> = {},
    options: { from?: string; name?: string } = {},
  ): Promise<string> {
    const from = options.from ?? '/';
    const resource = await this.call('GET', from);
    const found = dig(resource, '_links', rel);
    const links = (Array.isArray(found) ? found : found === undefined ? [] : [found]) as HalLink[];
    const link =
      options.name === undefined ? links[0] : links.find((l) => sameName(l.name ?? l.title, options.name!));
    if (!link?.href) {
      const what = options.name === undefined ? rel : `${rel} named '${options.name}'`;
      throw new Error(`the resource at ${new URL(this.local(from)).pathname} has no ${what} link`);
    }
    return this.local(expand(link.href, values));
  }

  /**
   * The name the broker knows, given one spelt in another case (the old contract's deployment
   * placeholders are upper-cased): looked up in the list a relation points at.
   */
  async properName(listHref: string, listKey: string, field: string, wanted: string): Promise<string> {
    const resource = await this.call('GET', listHref);
    // the list may be embedded (`_embedded.versions`) or top-level (`pacticipants`, as the reference has it)
    const list = dig(resource, '_embedded', listKey) ?? dig(resource, listKey);
    const names = (Array.isArray(list) ? list : []).map((item) => dig(item, field)).map(String);
    const found = names.find((n) => sameName(n, wanted));
    if (found === undefined) throw new Error(`no ${field} '${wanted}' (any case) in ${listHref}`);
    return found;
  }
}
