import Fastify, { type FastifyInstance } from 'fastify';

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
 * UserService on Fastify: `GET /users/:name` answers the user as JSON, or 404. This is the
 * production app; the contract tests register their provider-state route on it
 * (test/provider-states.ts) before it starts listening.
 *
 * @example
 * const app = createApp(new UserStore());
 * await app.listen({ port: 5001 });
 */
export function createApp(users: UserStore): FastifyInstance {
  const app = Fastify();
  app.get<{ Params: { name: string } }>('/users/:name', async (request, reply) => {
    const user = users.get(request.params.name);
    if (user) return user;
    return reply.code(404).send({ error: `no user called '${request.params.name}'` });
  });
  return app;
}
