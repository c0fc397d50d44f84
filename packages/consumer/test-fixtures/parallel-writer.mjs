// A test worker that writes interactions to a shared pact file: its own, plus some every worker shares.
import { writeInteractions } from '@covenant/consumer';
import { readPact as read } from '@covenant/core';

const [dir, worker, count, shared] = process.argv.slice(2);
const make = (description, status) =>
  read(
    JSON.stringify({
      consumer: { name: 'c' },
      provider: { name: 'p' },
      interactions: [
        {
          type: 'Synchronous/HTTP',
          description,
          request: { method: 'GET', path: `/${encodeURIComponent(description)}` },
          response: { status },
        },
      ],
      metadata: { pactSpecification: { version: '4.0' } },
    }),
  ).interactions[0];
for (let i = 0; i < Number(count); i++) {
  await writeInteractions({ consumer: 'Parallel Consumer', provider: 'Parallel Provider', dir }, [
    make(`worker ${worker} interaction ${i}`, 200),
  ]);
  if (i < Number(shared))
    await writeInteractions({ consumer: 'Parallel Consumer', provider: 'Parallel Provider', dir }, [
      make(`shared ${i}`, 201),
    ]);
}
