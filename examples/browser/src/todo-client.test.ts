// TodoClient's contract with TodoService, tested in Chromium with `@covenant/consumer`'s
// browser export; transport: 'intercept' answers the page's fetch calls in the page.
import { boolean, eachLike, integer, like, Pact, string } from '@covenant/consumer/browser';
import { expect, it } from 'vitest';
import { renderTodos, TodoClient } from './todo-client.js';

const pact = new Pact({ consumer: 'TodoWeb', provider: 'TodoService', transport: 'intercept' });

it('lists the todos and renders them', async () => {
  await pact
    .addInteraction()
    .given('there are todos')
    .uponReceiving('a request for the todos')
    .withRequest('GET', '/todos', (req) => req.headers({ Accept: 'application/json' }))
    .willRespondWith(200, (res) =>
      res.jsonBody(eachLike({ id: integer(1), title: string('Buy milk'), done: boolean(false) })),
    )
    .executeTest(async (mock) => {
      const todos = await new TodoClient(mock.url).list();
      const list = document.createElement('ul');
      renderTodos(list, todos);
      expect(list.querySelectorAll('li')).toHaveLength(1);
      expect(list.textContent).toBe('Buy milk');
    });
});

it('adds a todo', async () => {
  await pact
    .addInteraction()
    .uponReceiving('a request to add a todo')
    .withRequest('POST', '/todos', (req) =>
      req.headers({ 'Content-Type': 'application/json' }).jsonBody({ title: like('Buy milk') }),
    )
    .willRespondWith(201, (res) => res.jsonBody(like({ id: 2, title: 'Buy milk', done: false })))
    .executeTest(async (mock) => {
      const todo = await new TodoClient(mock.url).add('Buy milk');
      expect(todo).toEqual({ id: 2, title: 'Buy milk', done: false });
    });
});
