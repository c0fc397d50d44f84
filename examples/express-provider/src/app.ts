import express, { type Express } from 'express';

/** A user as UserService serves it. */
export interface User {
  name: string;
  id: string;
  created_on: string;
  ip_address: string;
  admin: boolean;
}

/** UserService's data: an in-memory store standing in for its database. */
export class UserStore {
  private readonly users = new Map<string, User>();

  get(name: string): User | undefined {
    return this.users.get(name);
  }

  save(user: User): void {
    this.users.set(user.name, user);
  }

  delete(name: string): void {
    this.users.delete(name);
  }
}

/**
 * UserService on Express: `GET /users/:name` answers the user as JSON, or 404. This is the
 * production app; the contract tests add their provider-state route to it (test/provider-states.ts).
 *
 * @example
 * const app = createApp(new UserStore());
 * app.listen(5001);
 */
export function createApp(users: UserStore): Express {
  const app = express();
  app.get('/users/:name', (request, response) => {
    const user = users.get(request.params.name);
    if (user) response.json(user);
    else response.status(404).json({ error: `no user called '${request.params.name}'` });
  });
  return app;
}
