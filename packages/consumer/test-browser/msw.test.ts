import { HttpResponse, http } from 'msw';
import { setupWorker } from 'msw/browser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { integer, like, matchedJson, setupPactMswAdapter } from '../src/browser.js';

const dir = `.browser-pacts/msw-${crypto.randomUUID()}`;
const worker = setupWorker();
const adapter = setupPactMswAdapter({
  worker,
  options: { consumer: 'WebApp', providers: { UserService: ['/users'] }, pactOutDir: dir },
});

beforeAll(async () => {
  await worker.start({ quiet: true, onUnhandledRequest: 'bypass' });
});
afterAll(async () => {
  worker.stop();
  await commands.removeProjectDir(dir);
});

it('records requests answered by msw handlers in Chromium, with their matchers', async () => {
  adapter.newTest();
  worker.use(
    http.get('https://api.example.test/users/1', () => matchedJson(like({ id: integer(1), name: 'Ann' }))),
    http.get('https://api.example.test/users/2', () => HttpResponse.json({ id: 2 })),
  );
  expect(await (await fetch('https://api.example.test/users/1')).json()).toEqual({ id: 1, name: 'Ann' });
  expect(await (await fetch('https://api.example.test/users/2')).json()).toEqual({ id: 2 });
  await adapter.verifyTest();
  await adapter.writeToFile();
  const written = JSON.parse((await commands.readProjectFile(`${dir}/WebApp-UserService.json`))!);
  const byDescription = Object.fromEntries(
    written.interactions.map((i: { description: string }) => [i.description, i]),
  );
  expect(Object.keys(byDescription).sort()).toEqual(['GET /users/1', 'GET /users/2']);
  expect(byDescription['GET /users/1'].response.matchingRules.body['$.id']).toEqual({
    combine: 'AND',
    matchers: [{ match: 'integer' }],
  });
  expect(byDescription['GET /users/2'].response.body.content).toEqual({ id: 2 });
});
