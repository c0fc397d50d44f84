// One pact fixture for the tests that publish, verify or read a pact: who is in it, which spec
// version, and what each interaction asks and answers; everything else takes a plain default.

/** One HTTP interaction: a GET of `path` answered with `status` (and `body`, as JSON, when given). */
export interface InteractionFixture {
  description: string;
  /** `/` and the description with every non-word character a `-`, unless given. */
  path?: string;
  status?: number;
  body?: unknown;
}

export interface PactFixtureOptions {
  consumer?: string;
  provider?: string;
  /** The interactions, or only their descriptions. One `a request` by default. */
  interactions?: ReadonlyArray<string | InteractionFixture>;
  /** The pact specification: 2 (`2.0.0`), 3 (`3.0.0`) or 4 (`4.0`, the default, typed interactions). */
  spec?: 2 | 3 | 4;
}

const specVersions = { 2: '2.0.0', 3: '3.0.0', 4: '4.0' } as const;

/**
 * A pact between `consumer` and `provider` (`Web` and `Api` by default) as JSON, ready to publish.
 *
 * @example call('PUT', '/pacts/provider/Api/consumer/Web/version/1', pactFixture({ interactions: ['a', 'b'] }))
 */
export function pactFixture(options: PactFixtureOptions = {}) {
  const spec = options.spec ?? 4;
  return {
    consumer: { name: options.consumer ?? 'Web' },
    provider: { name: options.provider ?? 'Api' },
    interactions: (options.interactions ?? ['a request']).map((given) => {
      const { description, path, status, body } = typeof given === 'string' ? { description: given } : given;
      return {
        ...(spec === 4 ? { type: 'Synchronous/HTTP' } : {}),
        description,
        request: { method: 'GET', path: path ?? `/${description.replace(/\W/g, '-')}` },
        response:
          body === undefined
            ? { status: status ?? 200 }
            : { status: status ?? 200, headers: { 'Content-Type': 'application/json' }, body },
      };
    }),
    metadata: { pactSpecification: { version: specVersions[spec] } },
  };
}
