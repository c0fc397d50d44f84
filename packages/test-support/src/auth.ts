// The credentials tests start brokers with, and the header a client sends for them.

export interface TestUser {
  username: string;
  password: string;
}

/**
 * The users a test broker knows: the reference image's default writer (`pactbroker`) and a reader.
 *
 * @example startBroker({ port: 0, database, auth: testUsers })
 */
export const testUsers: { readonly readWrite: TestUser; readonly readOnly: TestUser } = {
  readWrite: { username: 'pactbroker', password: 'pactbroker' },
  readOnly: { username: 'reader', password: 'r' },
};

/**
 * The `Authorization` value for HTTP basic auth as `user`.
 *
 * @example caller(url, { headers: { Authorization: basicAuth(testUsers.readWrite) } })
 */
export function basicAuth(user: TestUser): string {
  return `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
}
