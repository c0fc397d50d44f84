// The seed's consumer in plain JavaScript: a tiny client for UserService, shared by the smoke tests.
export class UserServiceClient {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
  }

  async getUser(name) {
    const response = await fetch(`${this.baseUrl}/users/${encodeURIComponent(name)}`);
    if (response.status === 404) return undefined;
    return response.json();
  }
}
