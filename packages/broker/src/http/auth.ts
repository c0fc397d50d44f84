import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpProblem } from './problem.js';

export interface Credentials {
  username: string;
  password: string;
}

/** Who may read and write. With nothing configured the broker is open (as the reference broker is). */
export interface AuthOptions {
  /** Basic-auth user allowed to read and write (the seed's `pactbroker`/`pactbroker`). */
  readWrite?: Credentials;
  /** Basic-auth user allowed to read only. */
  readOnly?: Credentials;
  /** Let anonymous clients read. */
  publicRead?: boolean;
  /**
   * Let anonymous clients fetch the badges (and nothing else), so README badges show while auth is
   * on: the reference broker's `PACT_BROKER_ENABLE_PUBLIC_BADGE_ACCESS`.
   */
  publicBadges?: boolean;
  /** Bearer tokens, read-write and read-only. */
  tokens?: { readWrite?: string[]; readOnly?: string[] };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

type Access = 'none' | 'read' | 'write';

function accessOf(request: FastifyRequest, auth: AuthOptions): Access {
  const header = request.headers.authorization ?? '';
  const [scheme, value = ''] = header.split(' ', 2) as [string, string?];
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    if (auth.readWrite && same(user, auth.readWrite.username) && same(password, auth.readWrite.password))
      return 'write';
    if (auth.readOnly && same(user, auth.readOnly.username) && same(password, auth.readOnly.password))
      return 'read';
    return 'none';
  }
  if (/^bearer$/i.test(scheme)) {
    if (auth.tokens?.readWrite?.some((t) => same(t, value))) return 'write';
    if (auth.tokens?.readOnly?.some((t) => same(t, value))) return 'read';
    return 'none';
  }
  return auth.publicRead ? 'read' : 'none';
}

/** True when some authentication is configured. */
export function authEnabled(auth: AuthOptions | undefined): auth is AuthOptions {
  return (
    !!auth &&
    !!(auth.readWrite || auth.readOnly || auth.tokens?.readWrite?.length || auth.tokens?.readOnly?.length)
  );
}

/**
 * What a route lets through: `public` anyone, `read` read-only and read-write credentials (and
 * anonymous clients when public read is on), `badge` as `read`, or anyone when public badges are
 * on, `write` read-write credentials only. Every route
 * declares one in its config (`{ config: { access: 'read' } }`); a POST that only reads, such as
 * pacts for verification, is `read`.
 */
export type RouteAccess = 'public' | 'badge' | 'read' | 'write';

export const ROUTE_ACCESS_LEVELS: readonly RouteAccess[] = ['public', 'badge', 'read', 'write'];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

/**
 * The access a request needs: its route's declared level; a request no route matched (answered 404
 * or 405) needs read access for GET, HEAD and OPTIONS and write access otherwise.
 */
export function accessNeeded(request: FastifyRequest): RouteAccess {
  const declared = request.routeOptions.config?.access;
  if (declared) return declared;
  return request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS'
    ? 'read'
    : 'write';
}

/** Throws 401 (no or wrong credentials) or 403 (read-only credentials on a `write` route). */
export function authorize(request: FastifyRequest, auth: AuthOptions, needed: RouteAccess): void {
  if (needed === 'public' || (needed === 'badge' && auth.publicBadges)) return;
  const access = accessOf(request, auth);
  if (access === 'write' || (access === 'read' && needed !== 'write')) return;
  if (access === 'read')
    throw new HttpProblem(403, 'Forbidden', 'these credentials may only read from this broker');
  const scheme = (request.headers.authorization ?? '').split(' ', 1)[0]!;
  if (/^(basic|bearer)$/i.test(scheme))
    throw new HttpProblem(
      401,
      'Unauthorized',
      scheme.toLowerCase() === 'basic'
        ? 'the username and password sent are not accepted by this broker'
        : 'the bearer token sent is not accepted by this broker',
    );
  throw new HttpProblem(
    401,
    'Unauthorized',
    scheme
      ? `this broker needs basic auth or a bearer token, not '${scheme.slice(0, 20)}' credentials`
      : 'this broker needs credentials: basic auth or a bearer token',
  );
}
