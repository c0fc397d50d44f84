// The auth table: every registered route × every kind of caller × basic and bearer, checked on a
// running broker. Shared by the broker's access.test.ts and the reliability bench, so both run the
// same table from the routes the app registers.

/** A route's access level, as the broker's routes declare it in `config.access`. */
export type RouteAccess = 'public' | 'badge' | 'read' | 'write';
export type Caller = 'anonymous' | 'wrong credentials' | 'read-only' | 'read-write';
export type Scheme = 'basic' | 'bearer';

export interface RegisteredRoute {
  method: string;
  url: string;
  access: RouteAccess;
}

/** The credentials the table's broker must be started with (plus `publicRead`). */
export const accessTableAuth = {
  readWrite: { username: 'writer', password: 'writer-secret' },
  readOnly: { username: 'reader', password: 'reader-secret' },
  tokens: { readWrite: ['rw-token'], readOnly: ['ro-token'] },
};

const basic = ({ username, password }: { username: string; password: string }) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** The `Authorization` header `caller` sends with `scheme` (none when anonymous). */
export function authorizationFor(caller: Caller, scheme: Scheme): string | undefined {
  const { readWrite, readOnly, tokens } = accessTableAuth;
  if (caller === 'anonymous') return undefined;
  if (scheme === 'basic')
    return caller === 'read-write'
      ? basic(readWrite)
      : caller === 'read-only'
        ? basic(readOnly)
        : basic({ username: readOnly.username, password: 'not-the-password' });
  return `Bearer ${caller === 'read-write' ? tokens.readWrite[0] : caller === 'read-only' ? tokens.readOnly[0] : 'not-a-token'}`;
}

/**
 * What the broker must answer: let the call through, or refuse it with 401 or 403. With public read
 * on, an anonymous caller reads as read-only credentials do (and is refused a write with 403). A
 * badge is read like any resource (the table's broker has no public badge access).
 */
export function expectedAccess(
  access: RouteAccess,
  caller: Caller,
  publicRead: boolean,
): 'allowed' | 401 | 403 {
  if (access === 'public' || caller === 'read-write') return 'allowed';
  if (caller === 'wrong credentials' || (caller === 'anonymous' && !publicRead)) return 401;
  return access === 'write' ? 403 : 'allowed';
}

/** A concrete URL for a route pattern: each parameter gets a plain name. */
export const concreteUrl = (url: string): string =>
  url.replace(/:(\w+)/g, (_m, name: string) => `sample-${name}`);

/**
 * Calls every route as every caller over `baseUrl` and returns the calls answered otherwise than
 * the table says (empty when all is right) and how many calls were made.
 *
 * @example expect((await checkAccessTable(url, routes, false)).wrong).toEqual([]);
 */
export async function checkAccessTable(
  baseUrl: string,
  routes: RegisteredRoute[],
  publicRead: boolean,
): Promise<{ wrong: string[]; calls: number }> {
  const wrong: string[] = [];
  let calls = 0;
  for (const route of routes)
    for (const caller of ['anonymous', 'wrong credentials', 'read-only', 'read-write'] as const)
      for (const scheme of ['basic', 'bearer'] as const) {
        if (caller === 'anonymous' && scheme === 'bearer') continue; // no credentials, no scheme
        const header = authorizationFor(caller, scheme);
        const hasBody = route.method !== 'GET' && route.method !== 'HEAD' && route.method !== 'DELETE';
        const response = await fetch(`${baseUrl}${concreteUrl(route.url)}`, {
          method: route.method,
          headers: {
            accept: 'application/hal+json',
            ...(header ? { authorization: header } : {}),
            ...(hasBody ? { 'content-type': 'application/json' } : {}),
          },
          ...(hasBody ? { body: '{}' } : {}),
        });
        await response.arrayBuffer();
        calls++;
        const want = expectedAccess(route.access, caller, publicRead);
        const got = response.status === 401 || response.status === 403 ? response.status : 'allowed';
        if (got !== want)
          wrong.push(
            `${route.method} ${route.url} (${route.access}) as ${caller}/${scheme}: ${got}, not ${want}`,
          );
      }
  return { wrong, calls };
}
