/**
 * The reference broker's paging: `?page=&size=` (or the older `?pageNumber=&pageSize=`), pages
 * numbered from 1, `_links.next`/`previous` and a `page` summary; and `?q=`, a case-insensitive
 * substring filter on names. Invalid numbers fall back to the defaults rather than failing.
 */
export interface PageRequest {
  number: number;
  size: number;
  /** Whether the client asked for a page (a list unasked keeps the reference's unpaged shape). */
  asked: boolean;
  q: string | undefined;
}

const positive = (value: unknown) => {
  const n = typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

/** The page a query asks for (size at most 1000, default 100). */
export function pageRequest(query: Record<string, unknown>): PageRequest {
  const number = positive(query.page) ?? positive(query.pageNumber);
  const size = positive(query.size) ?? positive(query.pageSize);
  return {
    number: number ?? 1,
    size: Math.min(size ?? 100, 1000),
    asked: number !== undefined || size !== undefined,
    q: typeof query.q === 'string' && query.q !== '' ? query.q : undefined,
  };
}

/** Whether `name` matches the `?q=` filter. */
export const matchesQuery = (name: string, q: string | undefined) =>
  q === undefined || name.toLowerCase().includes(q.toLowerCase());

/** The `page` summary and next/previous links (on `selfUrl`) of a page of `total` items. */
export function pageLinks(request: PageRequest, total: number, selfUrl: string) {
  const totalPages = Math.max(1, Math.ceil(total / request.size));
  const link = (number: number) => {
    const params = new URLSearchParams({ page: String(number), size: String(request.size) });
    if (request.q !== undefined) params.set('q', request.q);
    return { href: `${selfUrl}?${params}` };
  };
  return {
    page: { number: request.number, size: request.size, totalElements: total, totalPages },
    links: {
      ...(request.number < totalPages ? { next: link(request.number + 1) } : {}),
      ...(request.number > 1 ? { previous: link(Math.min(request.number - 1, totalPages)) } : {}),
    },
  };
}

/** The offset of a page's first item. */
export const pageOffset = (request: PageRequest) => (request.number - 1) * request.size;

/**
 * A list held in memory, filtered by `?q=` (on any of `namesOf` an item) and, when the client asked
 * for a page, cut to it, with the `page` summary and next/previous links; unasked, the whole
 * filtered list and no summary, as the reference answers.
 *
 * @example
 * const { items, page, links } = pagedList(pageRequest(request.query), rows, (e) => [e.name], `${b}/environments`);
 */
export function pagedList<T>(
  request: PageRequest,
  all: T[],
  namesOf: (item: T) => string[],
  selfUrl: string,
) {
  const matching = all.filter((item) => namesOf(item).some((name) => matchesQuery(name, request.q)));
  if (!request.asked) return { items: matching, page: undefined, links: {} };
  const paging = pageLinks(request, matching.length, selfUrl);
  const start = pageOffset(request);
  return { items: matching.slice(start, start + request.size), page: paging.page, links: paging.links };
}
