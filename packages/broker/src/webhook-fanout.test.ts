import { createServer } from 'node:http';
import { brokerHarness, close, databaseKinds, listen, pactFixture } from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker } from './server.js';
import { webhookPolicyFromEnv } from './webhooks/policy.js';

// A verification published through a for-verification (metadata) URL reaches every consumer version
// the selectors chose with that content, so each consumer commit gets its status. Real broker, real
// database, a real receiver on loopback.

interface Hit {
  path: string;
  body: Record<string, string>;
}

async function receiver() {
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      hits.push({ path: req.url ?? '', body: JSON.parse(body) as Record<string, string> });
      res.writeHead(200).end();
    });
  });
  const url = await listen(server);
  return { url, hits, close: () => close(server) };
}

/** Waits until `count` hits matched, then a little longer, so that a surplus delivery shows too. */
async function hitsSettled(hits: Hit[], match: (h: Hit) => boolean, count: number): Promise<Hit[]> {
  const end = Date.now() + 5000;
  while (hits.filter(match).length < count) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${count} deliveries`);
    await new Promise((r) => setTimeout(r, 10));
  }
  await new Promise((r) => setTimeout(r, 300));
  return hits.filter(match);
}

const decode = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));

describe.each(databaseKinds())('verification fan-out to selected consumer versions (%s)', (kind) => {
  const policy = webhookPolicyFromEnv({
    PACT_BROKER_WEBHOOK_HOST_WHITELIST: '127.0.0.1',
    PACT_BROKER_WEBHOOK_SCHEME_WHITELIST: 'http https',
  });
  const broker = brokerHarness((database) => startBroker({ port: 0, database, webhookPolicy: policy }));
  const { call } = broker;
  broker.runOn(kind);
  let target: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    target = await receiver();
  });
  afterAll(() => target.close());

  const publish = async (version: string, branch: string) =>
    expect(
      (
        await call('POST', '/contracts/publish', {
          pacticipantName: 'Web',
          pacticipantVersionNumber: version,
          branch,
          contracts: [
            {
              consumerName: 'Web',
              providerName: 'Api',
              specification: 'pact',
              contentType: 'application/json',
              content: Buffer.from(JSON.stringify(pactFixture())).toString('base64'),
            },
          ],
        })
      ).status,
    ).toBe(200);

  it('delivers one webhook per selected consumer version, with that version in the template', async () => {
    for (const event of ['provider_verification_published', 'provider_verification_succeeded'])
      expect(
        (
          await call('POST', '/webhooks', {
            events: [{ name: event }],
            request: {
              method: 'POST',
              url: `${target.url}/${event}/\${pactbroker.consumerVersionNumber}`,
              headers: { 'Content-Type': 'application/json' },
              body: {
                consumerVersionNumber: '${pactbroker.consumerVersionNumber}',
                consumerVersionBranch: '${pactbroker.consumerVersionBranch}',
                providerVersionNumber: '${pactbroker.providerVersionNumber}',
                githubVerificationStatus: '${pactbroker.githubVerificationStatus}',
              },
            },
          })
        ).status,
      ).toBe(201);
    expect((await call('PATCH', '/pacticipants/Web', { mainBranch: 'main' })).status).toBeLessThan(300);
    // the same content from the deployed release and from main's head
    await publish('r1', 'release');
    await publish('m2', 'main');
    const production = await call('POST', '/environments', { name: 'production', production: true });
    expect(production.status).toBe(201);
    expect(
      (
        await call(
          'POST',
          `/pacticipants/Web/versions/r1/deployed-versions/environment/${production.json.uuid}`,
          {},
        )
      ).status,
    ).toBe(201);

    const selected = await call('POST', '/pacts/provider/Api/for-verification', {
      consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }],
      providerVersionBranch: 'main',
    });
    expect(selected.status).toBe(200);
    const pacts = selected.json._embedded.pacts;
    expect(pacts).toHaveLength(1); // one entry: the content is the same
    const pactUrl: string = pacts[0]._links.self.href;
    const segment = /\/metadata\/([^/]+)$/.exec(pactUrl)?.[1];
    expect(segment).toBeDefined();
    expect([...decode(segment!).cv].sort()).toEqual(['m2', 'r1']);

    // the pact fetched through that URL keeps the metadata in the link a verifier publishes to
    const pact = await call('GET', new URL(pactUrl).pathname);
    expect(pact.status).toBe(200);
    const publishHref: string = pact.json._links['pb:publish-verification-results'].href;
    expect(publishHref).toBe(`${pactUrl}/verification-results`);

    const verified = await call('POST', new URL(publishHref).pathname, {
      success: true,
      providerApplicationVersion: 'p1',
    });
    expect(verified.status).toBe(201);
    for (const event of ['provider_verification_published', 'provider_verification_succeeded']) {
      const hits = await hitsSettled(target.hits, (h) => h.path.startsWith(`/${event}/`), 2);
      expect(hits.map((h) => h.path).sort()).toEqual([`/${event}/m2`, `/${event}/r1`]);
      const byVersion = Object.fromEntries(hits.map((h) => [h.body.consumerVersionNumber, h.body]));
      expect(byVersion.m2).toMatchObject({
        consumerVersionBranch: 'main',
        providerVersionNumber: 'p1',
        githubVerificationStatus: 'success',
      });
      expect(byVersion.r1).toMatchObject({ consumerVersionBranch: 'release', providerVersionNumber: 'p1' });
    }

    // each delivery is listed under its own consumer version's pact
    for (const version of ['r1', 'm2']) {
      const triggered = await call(
        'GET',
        `/pacts/provider/Api/consumer/Web/version/${version}/triggered-webhooks`,
      );
      expect(triggered.status).toBe(200);
      expect(JSON.stringify(triggered.json)).toContain('provider_verification_succeeded');
    }
  });

  it('without metadata, or with versions that did not publish the content, reaches the newest only', async () => {
    target.hits.length = 0;
    const sha = (await call('GET', '/pacts/provider/Api/consumer/Web/latest')).json._links['pb:pact-version']
      .name as string;
    const permalink = `/pacts/provider/Api/consumer/Web/pact-version/${sha}`;
    expect(
      (
        await call('POST', `${permalink}/verification-results`, {
          success: false,
          providerApplicationVersion: 'p2',
        })
      ).status,
    ).toBe(201);
    const plain = await hitsSettled(
      target.hits,
      (h) => h.path.startsWith('/provider_verification_published/'),
      1,
    );
    expect(plain.map((h) => h.path)).toEqual(['/provider_verification_published/m2']);

    target.hits.length = 0;
    const forged = Buffer.from(JSON.stringify({ p: false, w: false, cv: ['nope', 42] })).toString(
      'base64url',
    );
    expect(
      (
        await call('POST', `${permalink}/metadata/${forged}/verification-results`, {
          success: false,
          providerApplicationVersion: 'p3',
        })
      ).status,
    ).toBe(201);
    const fallback = await hitsSettled(
      target.hits,
      (h) => h.path.startsWith('/provider_verification_published/'),
      1,
    );
    expect(fallback.map((h) => h.path)).toEqual(['/provider_verification_published/m2']);
  });
});
