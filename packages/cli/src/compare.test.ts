import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** `covenant compare`: pacts against OpenAPI and AsyncAPI documents, run as the real binary. */
const dir = tempDir();
const cli = (...args: string[]) => runCli(args, { cwd: dir.path });

const openapi = `
openapi: 3.0.3
info: { title: Orders, version: '1' }
paths:
  /orders/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]
      responses:
        '200':
          description: an order
          content:
            application/json:
              schema:
                type: object
                properties: { id: { type: integer }, status: { type: string, enum: [open, shipped] } }
`;

const asyncapi = JSON.stringify({
  asyncapi: '3.0.0',
  info: { title: 'Orders', version: '1' },
  channels: {
    orders: {
      messages: { created: { payload: { type: 'object', properties: { id: { type: 'integer' } } } } },
    },
  },
  operations: {
    onOrderCreated: {
      action: 'receive',
      channel: { $ref: '#/channels/orders' },
      messages: [{ $ref: '#/channels/orders/messages/created' }],
    },
  },
});

const httpPact = (status: unknown) => ({
  consumer: { name: 'Web' },
  provider: { name: 'Orders' },
  interactions: [
    {
      description: 'an order',
      providerState: 'order 1 exists',
      request: { method: 'GET', path: '/orders/1' },
      response: { status: 200, headers: { 'Content-Type': 'application/json' }, body: { id: 1, status } },
    },
  ],
  metadata: { pactSpecification: { version: '2.0.0' } },
});

const messagePact = {
  consumer: { name: 'Audit' },
  provider: { name: 'Orders' },
  interactions: [
    {
      type: 'Asynchronous/Messages',
      description: 'an order created event',
      contents: { content: { id: 7 }, contentType: 'application/json', encoded: false },
      comments: { references: { AsyncAPI: { operationId: 'onOrderCreated' } } },
    },
  ],
  metadata: { pactSpecification: { version: '4.0' } },
};

beforeAll(() => {
  writeFileSync(join(dir.path, 'openapi.yaml'), openapi);
  writeFileSync(join(dir.path, 'asyncapi.json'), asyncapi);
  writeFileSync(join(dir.path, 'good.json'), JSON.stringify(httpPact('open')));
  writeFileSync(join(dir.path, 'bad.json'), JSON.stringify(httpPact('lost')));
  writeFileSync(join(dir.path, 'events.json'), JSON.stringify(messagePact));
  writeFileSync(join(dir.path, 'broken.yaml'), 'openapi: 3.0.0\npaths: [\n');
});
afterAll(() => dir.remove());

describe('covenant compare', () => {
  it('exits 0 for a compatible pact', async () => {
    const run = await cli('compare', '--openapi', 'openapi.yaml', 'good.json');
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('good.json: compatible');
    expect(run.stdout).toContain('0 errors, 0 warnings');
    expect(run.code).toBe(0);
  });

  it('prints errors grouped by interaction and exits 1', async () => {
    const run = await cli('compare', '--openapi', 'openapi.yaml', 'bad.json');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('bad.json: not compatible');
    expect(run.stdout).toMatch(/an order \(given order 1 exists\)\n.*error\s+response\.body\.incompatible/);
    expect(run.stdout).toContain('[root].interactions[0].response.body.status');
    expect(run.stdout).toContain('1 error, 0 warnings');
  });

  it('prints the results as a JSON array with --output json', async () => {
    const run = await cli(
      'compare',
      '--openapi',
      'openapi.yaml',
      '--asyncapi',
      'asyncapi.json',
      'bad.json',
      'events.json',
      '--output',
      'json',
    );
    expect(run.code).toBe(1);
    const results = JSON.parse(run.stdout);
    expect(results.map((r: { code: string; pact: string }) => [r.code, r.pact])).toEqual([
      ['response.body.incompatible', 'bad.json'],
      ['message.matched', 'events.json'],
    ]);
    expect(results[0]).toMatchObject({
      type: 'error',
      interaction: { description: 'an order', state: 'order 1 exists' },
    });
  });

  it('says the spec is missing for messages compared without an AsyncAPI document', async () => {
    const run = await cli('compare', 'events.json', '--output', 'json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject([{ code: 'message.spec.missing', type: 'error' }]);
  });

  it('gives coded errors, not stack traces, for documents it cannot use', async () => {
    const missing = await cli('compare', '--openapi', 'nope.yaml', 'good.json');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^COV_CLI_SPEC_UNREADABLE: cannot read nope\.yaml \(--openapi\)/);
    const broken = await cli('compare', '--openapi', 'broken.yaml', 'good.json');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(
      /^COV_CONTRACTS_SPEC_SYNTAX: broken\.yaml is not valid JSON or YAML at line \d+/,
    );
    const swapped = await cli('compare', '--openapi', 'asyncapi.json', 'good.json');
    expect(swapped.stderr).toMatch(
      /^COV_CLI_OPTIONS_INVALID: asyncapi\.json is an AsyncAPI document: pass it with --asyncapi/,
    );
    const notSpec = await cli('compare', '--openapi', 'good.json', 'good.json');
    expect(notSpec.stderr).toMatch(/^COV_CONTRACTS_SPEC_INVALID/);
    for (const run of [missing, broken, swapped, notSpec]) expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});
