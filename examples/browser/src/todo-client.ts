// The front end's client for TodoService, as a browser app would have it: fetch, JSON, and a
// small render into the page.

export interface Todo {
  id: number;
  title: string;
  done: boolean;
}

export class TodoClient {
  constructor(private readonly baseUrl: string) {}

  async list(): Promise<Todo[]> {
    const res = await fetch(`${this.baseUrl}/todos`, { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(`TodoService answered ${res.status}`);
    return (await res.json()) as Todo[];
  }

  async add(title: string): Promise<Todo> {
    const res = await fetch(`${this.baseUrl}/todos`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ title }),
    });
    if (res.status !== 201) throw new Error(`TodoService answered ${res.status}`);
    return (await res.json()) as Todo;
  }
}

/** Renders the list into `root`: one item per todo, done ones struck through. */
export function renderTodos(root: HTMLElement, todos: readonly Todo[]): void {
  root.replaceChildren(
    ...todos.map((todo) => {
      const item = document.createElement('li');
      item.textContent = todo.title;
      if (todo.done) item.style.textDecoration = 'line-through';
      return item;
    }),
  );
}
