// A test worker that writes interactions to a shared pact file: its own, plus some every worker shares.
import { writeInteractions } from '@covenant/consumer';
import { readPact as read } from '@covenant/core';
import { pactFixture } from '@covenant/test-support';

const [dir, worker, count, shared] = process.argv.slice(2);
const make = (description, status) => {
  const path = `/${encodeURIComponent(description)}`;
  const pact = pactFixture({ consumer: 'c', provider: 'p', interactions: [{ description, path, status }] });
  return read(JSON.stringify(pact)).interactions[0];
};
for (let i = 0; i < Number(count); i++) {
  await writeInteractions({ consumer: 'Parallel Consumer', provider: 'Parallel Provider', dir }, [
    make(`worker ${worker} interaction ${i}`, 200),
  ]);
  if (i < Number(shared))
    await writeInteractions({ consumer: 'Parallel Consumer', provider: 'Parallel Provider', dir }, [
      make(`shared ${i}`, 201),
    ]);
}
