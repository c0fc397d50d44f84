// Case 4: secrets. The broker runs with basic auth, tokens and (on PostgreSQL) a database URL with
// a password, and stores a webhook with an Authorization header and a basic-auth password; no
// secret may appear in any log line, API answer or page the case gathers.
import { createTestDatabase, request, spawnBroker } from './lib.mjs';

const marker = () => `s3cret-${Math.random().toString(36).slice(2, 10)}`;

export async function secrets({ kind, log = () => {} }) {
  const database = await createTestDatabase(kind);
  const secret = {
    writerPassword: marker(),
    readerPassword: marker(),
    token: marker(),
    hookHeader: marker(),
    hookPassword: marker(),
  };
  const databasePassword = kind === 'postgres' ? new URL(database.location).password : undefined;
  const broker = spawnBroker({
    database: database.location,
    logger: true,
    auth: {
      readWrite: { username: 'writer', password: secret.writerPassword },
      readOnly: { username: 'reader', password: secret.readerPassword },
      tokens: { readWrite: [secret.token], readOnly: [] },
    },
  });
  const answers = [];
  try {
    const url = await broker.ready;
    const writer = `Basic ${Buffer.from(`writer:${secret.writerPassword}`).toString('base64')}`;
    const call = async (method, path, { body, accept = 'application/hal+json', auth = writer } = {}) => {
      const answer = await request(url, {
        method,
        path,
        headers: { accept, authorization: auth, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      answers.push(`${method} ${path} ${answer.status} ${JSON.stringify(answer.headers)} ${answer.text}`);
      return answer;
    };
    await call('PUT', '/pacticipants/secret-consumer', { body: {} });
    const created = await call('POST', '/webhooks', {
      body: {
        description: 'hook with credentials',
        events: [{ name: 'contract_content_changed' }],
        request: {
          method: 'POST',
          url: 'http://127.0.0.1:9/hook',
          headers: { Authorization: `Bearer ${secret.hookHeader}` },
          username: 'hook-user',
          password: secret.hookPassword,
        },
      },
    });
    const hook =
      created.status < 300 ? new URL(JSON.parse(created.text)._links.self.href).pathname : '/webhooks';
    for (const accept of ['application/hal+json', 'text/html'])
      for (const path of ['/', '/webhooks', hook, '/pacticipants', '/diagnostic/status/heartbeat'])
        await call('GET', path, { accept });
    // wrong and right credentials of every kind, so that the log records refusals too
    await call('GET', '/pacticipants', { auth: `Bearer ${secret.token}` });
    await call('GET', '/pacticipants', { auth: `Bearer ${secret.token}x` });
    await call('GET', '/pacticipants', {
      auth: `Basic ${Buffer.from(`reader:${secret.readerPassword}x`).toString('base64')}`,
    });
    await broker.kill('SIGTERM');
    const haystacks = [...broker.logs.map((l) => `log: ${l}`), ...answers.map((a) => `answer: ${a}`)];
    const needles = Object.entries(secret).flatMap(([name, value]) => [
      [name, value],
      [`${name} (base64 in basic auth)`, Buffer.from(`writer:${value}`).toString('base64')],
    ]);
    if (databasePassword && databasePassword.length >= 6)
      needles.push(['database password', databasePassword]);
    const failures = [];
    for (const [name, value] of needles)
      for (const text of haystacks)
        if (text.includes(value)) failures.push(`${name} appears in ${text.slice(0, 160)}`);
    // the control: the scan did see the webhook (its description) and the log did record requests
    if (!answers.some((a) => a.includes('hook with credentials')))
      failures.push('no answer showed the webhook');
    if (!broker.logs.some((l) => l.includes('"reqId"'))) failures.push('the broker logged no request');
    for (const f of failures.slice(0, 10)) log(`  ${f}`);
    return {
      case: `secrets in logs, answers and pages (${kind})`,
      ok: failures.length === 0 && created.status === 201,
      figure: `${broker.logs.length} log lines and ${answers.length} answers scanned for ${needles.length} secrets: ${failures.length} found${created.status === 201 ? '' : `; the webhook was not created (${created.status})`}`,
      failures,
    };
  } finally {
    await broker.kill();
    await database.drop();
  }
}
