import type { Json } from './json.js';

/** One operation of an OpenAPI document, as the router finds it. */
export interface RouteTarget {
  /** The path template as the document writes it (`/pets/{id}`). */
  path: string;
  /** The method as the document writes it (`get`). */
  method: string;
  operation: Json;
}

interface Route {
  target: RouteTarget;
  segments: SegmentMatcher[];
}

type SegmentMatcher = { kind: 'static'; text: string } | { kind: 'param'; pattern: RegExp; names: string[] };

/**
 * Finds the operation a request path names. Templates are matched segment by segment; at each
 * segment a literal beats a parameter (so `/pets/mine` wins over `/pets/{id}`), and parameters need
 * at least one character. Parameter names lose their dashes, as the comparator's router does.
 *
 * @example
 * const router = new Router(false);
 * router.add('GET', '/pets/{id}', target);
 * router.find('GET', '/pets/42') // { target, params: { id: '42' } }
 */
export class Router {
  readonly #routes = new Map<string, Route[]>();
  readonly #wildcards: (Route & { method: string })[] = [];

  constructor(private readonly caseInsensitive: boolean) {}

  add(method: string, template: string, target: RouteTarget): void {
    const parts = template.split('/');
    const segments = parts.map((part): SegmentMatcher => {
      if (!part.includes('{')) return { kind: 'static', text: this.fold(part) };
      const names: string[] = [];
      let source = '';
      let rest = part;
      for (let m = /\{([.;]?)([^}*]+?)\*?\}/.exec(rest); m; m = /\{([.;]?)([^}*]+?)\*?\}/.exec(rest)) {
        source += escapeRegex(this.fold(rest.slice(0, m.index))) + escapeRegex(m[1]!) + '(.+)';
        names.push(m[2]!.replaceAll('-', ''));
        rest = rest.slice(m.index + m[0].length);
      }
      source += escapeRegex(this.fold(rest));
      return { kind: 'param', pattern: new RegExp(`^${source}$`, this.caseInsensitive ? 'i' : ''), names };
    });
    const last = parts[parts.length - 1]!;
    if (/^\*+$/.test(last)) {
      // A trailing `*` matches the rest of the path, slashes included.
      this.#wildcards.push({ method: method.toUpperCase(), target, segments: segments.slice(0, -1) });
      return;
    }
    // Routes are grouped by method, length and first segment, so a lookup tries only a few.
    const lead = segments[1]?.kind === 'static' ? segments[1].text : DYNAMIC;
    const key = `${method.toUpperCase()} ${segments.length} ${lead}`;
    const list = this.#routes.get(key) ?? [];
    list.push({ target, segments });
    this.#routes.set(key, list);
  }

  find(method: string, path: string): { target: RouteTarget; params: Record<string, string> } | undefined {
    const raw = path.split('/');
    const segments: string[] = [];
    for (const segment of raw) {
      try {
        segments.push(decodeURIComponent(segment));
      } catch {
        return undefined;
      }
    }
    const group = `${method.toUpperCase()} ${segments.length}`;
    const lead = segments.length > 1 ? this.fold(segments[1]!) : DYNAMIC;
    const exact = this.bestMatch(
      [...(this.#routes.get(`${group} ${lead}`) ?? []), ...(this.#routes.get(`${group} ${DYNAMIC}`) ?? [])],
      segments,
    );
    if (exact) return exact;
    const upper = method.toUpperCase();
    const wildcards = this.#wildcards.filter(
      (r) => r.method === upper && r.segments.length < segments.length,
    );
    return this.bestMatch(wildcards, segments);
  }

  private bestMatch(
    candidates: Route[],
    segments: string[],
  ): { target: RouteTarget; params: Record<string, string> } | undefined {
    let best: { route: Route; params: Record<string, string>; rank: number[] } | undefined;
    for (const route of candidates) {
      const params: Record<string, string> = {};
      const rank: number[] = [];
      let matched = true;
      for (let i = 0; i < route.segments.length && matched; i++) {
        const matcher = route.segments[i]!;
        const segment = segments[i]!;
        if (matcher.kind === 'static') {
          matched = matcher.text === this.fold(segment);
          rank.push(0);
        } else {
          const m = matcher.pattern.exec(segment);
          matched = m !== null;
          if (m)
            matcher.names.forEach((name, j) => {
              params[name] = m[j + 1]!;
            });
          rank.push(1);
        }
      }
      if (matched && (!best || isBetter(rank, best.rank))) best = { route, params, rank };
    }
    return best && { target: best.route.target, params: best.params };
  }

  private fold(text: string): string {
    return this.caseInsensitive ? text.toLowerCase() : text;
  }
}

/** The group key of routes whose first segment is a parameter (no literal segment can be this). */
const DYNAMIC = '/';

function isBetter(rank: number[], than: number[]): boolean {
  for (let i = 0; i < rank.length; i++) {
    if (rank[i] !== than[i]) return rank[i]! < than[i]!;
  }
  return false;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
