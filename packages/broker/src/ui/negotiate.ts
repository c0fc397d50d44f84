/** Media types that mean "I am an API client" (the reference broker's list, `rack/pact_broker/request_target.rb`). */
const API_TYPES = [
  'application/hal+json',
  'application/problem+json',
  'application/json',
  'text/csv',
  'application/yaml',
  'text/plain',
];
const HTML_TYPES = ['text/html', 'application/xhtml+xml'];

interface MediaRange {
  type: string;
  q: number;
}

function parseAccept(accept: string): MediaRange[] {
  return accept
    .split(',')
    .map((part) => {
      const [type = '', ...params] = part.split(';').map((s) => s.trim());
      let q = 1;
      for (const param of params) {
        const [key, value] = param.split('=').map((s) => s.trim());
        if (key?.toLowerCase() === 'q' && value !== undefined) {
          const n = Number(value);
          q = Number.isFinite(n) ? Math.min(Math.max(n, 0), 1) : 0;
        }
      }
      return { type: type.toLowerCase(), q };
    })
    .filter((range) => range.type !== '');
}

/**
 * True when the Accept header prefers HTML, as a browser's does: it names `text/html` (or XHTML)
 * explicitly, and no API media type at least as strongly. No Accept, `*\/*`, `application/json`,
 * `application/hal+json` and ties all keep the API.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = parseAccept(accept);
  const best = (types: string[]) =>
    Math.max(0, ...ranges.filter((r) => types.includes(r.type)).map((r) => r.q));
  const htmlQ = best(HTML_TYPES);
  if (htmlQ <= 0) return false;
  // a type ending in +json (HAL, problem, vendor types) is an API client's
  const apiQ = Math.max(best(API_TYPES), ...ranges.filter((r) => r.type.endsWith('+json')).map((r) => r.q));
  return htmlQ > apiQ;
}
