import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { reify } from './matchers.js';
import { Pact } from './pact-node.js';
import { fromSchema } from './schema.js';

const User = z.object({
  id: z.uuid(),
  email: z.email(),
  name: z.string().min(1).max(40),
  age: z.number().int(),
  role: z.enum(['admin', 'member']),
  nickname: z.string().nullable(),
  created: z.iso.datetime(),
  tags: z.array(z.string().min(1)).min(1).max(5),
  address: z.object({ city: z.string(), zip: z.string().length(5) }),
});
const Coded = z.object({ zip: z.string().regex(/^\d{5}$/), codes: z.array(z.string().regex(/^[A-Z]+$/)) });
type User = z.infer<typeof User>;

const silent = { onWarning: () => {} };

/** The pact's JSON for a response body built from these matchers. */
async function pactBody(body: unknown) {
  const dir = await mkdtemp(join(tmpdir(), 'covenant-schema-'));
  try {
    const pact = new Pact({
      consumer: 'Web',
      provider: 'Users',
      dir,
      logLevel: 'off',
      transport: 'intercept',
    });
    await pact
      .addInteraction()
      .uponReceiving('a request for a user')
      .withRequest('GET', '/users/1')
      .willRespondWith(200, (res) => res.jsonBody(body))
      .executeTest(async (mock) => {
        await fetch(`${mock.url}/users/1`);
      });
    return JSON.parse(await readFile(pact.pactFile, 'utf8')).interactions[0].response;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('fromSchema', () => {
  it('turns a zod schema into matchers, with a generated example that the schema accepts', async () => {
    const matcher = fromSchema(User, undefined, silent);
    expectTypeOf(matcher).toEqualTypeOf<ReturnType<typeof import('./matchers.js').like<User>>>();
    const example = reify(matcher);
    expect(User.safeParse(example).success).toBe(true);
    const response = await pactBody(matcher);
    const rules = response.matchingRules.body;
    expect(rules['$.id'].matchers[0].match).toBe('regex');
    expect(rules['$.age'].matchers).toEqual([{ match: 'integer' }]);
    expect(rules['$.role'].matchers).toEqual([{ match: 'regex', regex: '^(?:admin|member)$' }]);
    expect(rules['$.nickname']).toEqual({ combine: 'OR', matchers: [{ match: 'type' }, { match: 'null' }] });
    expect(rules['$.tags'].matchers).toEqual([{ match: 'type', min: 1, max: 5 }]);
    expect(rules['$.tags[*]'].matchers).toEqual([{ match: 'regex', regex: '^[\\s\\S]{1,}$' }]);
    expect(rules['$.address.zip'].matchers).toEqual([{ match: 'regex', regex: '^[\\s\\S]{5,5}$' }]);
    expect(rules['$.name'].matchers).toEqual([{ match: 'regex', regex: '^[\\s\\S]{1,40}$' }]);
  });

  it('checks a given example against the schema and keeps it as the example', () => {
    const given: User = {
      id: '0c9a1d2e-5b7f-4e3a-9c1d-2e5b7f4e3a9c',
      email: 'ann@example.com',
      name: 'Ann',
      age: 41,
      role: 'admin',
      nickname: 'annie',
      created: '2024-01-31T10:00:00Z',
      tags: ['a'],
      address: { city: 'Oslo', zip: '01234' },
    };
    expect(reify(fromSchema(User, given, silent))).toEqual(given);
    expect(() => fromSchema(User, { ...given, nickname: null }, silent)).not.toThrow();
    // a pattern with no known format needs an example; the given one is checked against it
    expect(() => fromSchema(Coded, undefined, silent)).toThrow(/cannot generate an example at \$\.zip/);
    const coded = fromSchema(Coded, { zip: '01234', codes: ['AB'] }, silent);
    expect(reify(coded)).toEqual({ zip: '01234', codes: ['AB'] });
    expect(() => fromSchema(Coded, { zip: '01234', codes: ['AB', 'x'] }, silent)).toThrow(
      expect.objectContaining({
        code: 'COV_CONSUMER_SCHEMA_EXAMPLE_INVALID',
        message: expect.stringContaining('$.codes[1]'),
      }),
    );
    expect(() => fromSchema(User, { ...given, role: 'owner' as 'admin' }, silent)).toThrow(
      expect.objectContaining({
        code: 'COV_CONSUMER_SCHEMA_EXAMPLE_INVALID',
        message: expect.stringContaining('$.role'),
      }),
    );
    expect(() => fromSchema(User, { ...given, address: { city: 'Oslo', zip: '12' } }, silent)).toThrow(
      expect.objectContaining({ message: expect.stringContaining('$.address.zip') }),
    );
    expect(() => fromSchema(User, { ...given, tags: [] }, silent)).toThrow(
      expect.objectContaining({ message: expect.stringContaining('$.tags has 0 items') }),
    );
  });

  it('maps JSON Schema formats to format matchers and array bounds to atLeastLike / atMostLike', async () => {
    const schema = {
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        day: { type: 'string', format: 'date' },
        at: { type: ['string', 'null'], format: 'date-time' },
        few: { type: 'array', items: { type: 'integer' }, maxItems: 3 },
        many: { type: 'array', items: { type: 'boolean' }, minItems: 2 },
      },
      required: ['id', 'day', 'at', 'few', 'many'],
    };
    const rules = (await pactBody(fromSchema(schema, undefined, silent))).matchingRules.body;
    expect(rules['$.id'].matchers[0].regex).toContain('[0-9a-fA-F]{8}');
    expect(rules['$.day'].matchers[0].regex).toBe('\\d{4}-[01]\\d-[0-3]\\d');
    expect(rules['$.at'].combine).toBe('OR');
    expect(rules['$.few'].matchers).toEqual([{ match: 'type', max: 3 }]);
    expect(rules['$.many'].matchers).toEqual([{ match: 'type', min: 2 }]);
  });

  it('refuses constructs with no matcher equivalent, naming the path', () => {
    const cases: [object, string][] = [
      [{ type: 'object', properties: { a: { not: { type: 'string' } } }, required: ['a'] }, "'not' at $.a"],
      [{ type: 'object', patternProperties: { '^x': { type: 'string' } } }, "'patternProperties' at $"],
      [
        // written as JSON text: an object literal with a then property reads as a promise to linters
        JSON.parse(
          '{"type":"object","properties":{"b":{"type":"string","if":{},"then":{}}},"required":["b"]}',
        ),
        "'if' at $.b",
      ],
      [{ type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'integer' }] } }, "'oneOf' at $[0]"],
      [
        z.object({ when: z.union([z.string(), z.number()]) }),
        'the union of types ["string","number"] (only X or null) at $.when',
      ],
    ];
    for (const [schema, where] of cases)
      expect(() => fromSchema(schema, undefined, silent)).toThrow(
        expect.objectContaining({
          code: 'COV_CONSUMER_SCHEMA_UNSUPPORTED',
          message: expect.stringContaining(where),
        }),
      );
  });

  it('says each documented fallback in a warning', () => {
    const warnings: string[] = [];
    fromSchema(z.object({ n: z.number().min(5) }), undefined, { onWarning: (w) => warnings.push(w) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('$.n: minimum not checked');
    expect(warnings[0]).toContain('$: extra properties are allowed');
  });
});
