/** A user as UserService returns it. */
export interface User {
  name: string;
  id: string;
  created_on: string;
  ip_address: string;
  admin: boolean;
}

/**
 * The code under test: a small typed client for UserService.
 *
 * @example
 * const user = await new UserServiceClient('http://localhost:5001').getUser('UserA');
 */
export class UserServiceClient {
  constructor(private readonly baseUrl: string) {}

  /** The user called `name`, or undefined when UserService has no such user. */
  async getUser(name: string): Promise<User | undefined> {
    const response = await fetch(`${this.baseUrl}/users/${encodeURIComponent(name)}`, {
      headers: { Accept: 'application/json' },
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`UserService answered ${response.status} for user '${name}'`);
    return (await response.json()) as User;
  }
}
