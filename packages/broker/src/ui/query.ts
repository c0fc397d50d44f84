import type { FastifyRequest } from 'fastify';

const queryOf = (request: FastifyRequest) => (request.query ?? {}) as Record<string, unknown>;

/** `?page=N` (1-based); anything else is the first page. */
export function pageNumber(request: FastifyRequest): number {
  const raw = queryOf(request).page;
  const n = typeof raw === 'string' ? Number(raw) : Number.NaN;
  return Number.isInteger(n) && n >= 1 && n <= 1_000_000 ? n : 1;
}

/** `?q=` trimmed and at most 200 characters; '' when absent or given twice. */
export function searchText(request: FastifyRequest): string {
  const q = queryOf(request).q;
  return typeof q === 'string' ? q.trim().slice(0, 200) : '';
}
