// One consumer test worker for the pact-writer kill case: runs contract tests one after another
// through the public API (Pact, executeTest against the mock server), all writing one pact file,
// and says `PASSED <description>` on stdout once a test has passed (its interaction written).
// argv: pact folder, worker name, body size in bytes (each response body is about that big).
import { Pact } from '@covenant/consumer';

const [dir, worker, bodyBytes] = process.argv.slice(2);
const pact = new Pact({ consumer: 'Killed Consumer', provider: 'Killed Provider', dir, logLevel: 'error' });
const filler = 'x'.repeat(Number(bodyBytes));

for (let n = 0; ; n++) {
  const description = `${worker} test ${n}`;
  const path = `/things/${description.replace(/\W/g, '-')}`;
  await pact
    .addInteraction()
    .uponReceiving(description)
    .withRequest('GET', path)
    .willRespondWith(200, (res) => res.jsonBody({ description, filler }))
    .executeTest(async (mock) => {
      const answer = await fetch(`${mock.url}${path}`);
      const body = await answer.json();
      if (body.description !== description) throw new Error(`the mock answered ${body.description}`);
    });
  process.stdout.write(`PASSED ${description}\n`);
}
