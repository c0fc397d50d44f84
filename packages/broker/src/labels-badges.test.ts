import { brokerHarness, databaseKinds, pactFixture } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';
import { renderBadge } from './routes/labels-badges.js';
import { startBroker } from './server.js';

const writer = `Basic ${Buffer.from('pactbroker:pactbroker').toString('base64')}`;

const pact = (consumer: string, provider: string, description: string) =>
  pactFixture({ consumer, provider, spec: 2, interactions: [{ description, path: '/' }] });

describe.each(databaseKinds())('labels and badges (%s)', (kind) => {
  const broker = brokerHarness(
    (database) =>
      startBroker({
        port: 0,
        database,
        auth: { readWrite: { username: 'pactbroker', password: 'pactbroker' } },
      }),
    // redirects (the badge of a missing pact) are answers to look at, not to follow
    { headers: { Authorization: writer }, redirect: 'manual' },
  );
  const { call } = broker;
  broker.runOn(kind);

  describe('labels', () => {
    it('puts a label (201, then 200), reads it, and lists pacticipants by label', async () => {
      expect((await call('PUT', '/pacticipants/Billing', {})).status).toBe(201);
      const created = await call('PUT', '/pacticipants/Billing/labels/team-a', {});
      expect(created.status).toBe(201);
      expect(created.headers.get('content-type')).toBe('application/hal+json;charset=utf-8');
      expect(created.headers.get('location')).toBe(`${broker.url}/pacticipants/Billing/labels/team-a`);
      expect(created.json).toMatchObject({
        name: 'team-a',
        _links: {
          self: { href: `${broker.url}/pacticipants/Billing/labels/team-a`, name: 'team-a' },
          pacticipant: { href: `${broker.url}/pacticipants/Billing`, name: 'Billing' },
        },
      });
      expect(typeof created.json.createdAt).toBe('string');
      const again = await call('PUT', '/pacticipants/Billing/labels/team-a');
      expect(again.status).toBe(200);
      expect(again.json.createdAt).toBe(created.json.createdAt);

      // labelling a pacticipant that does not exist yet creates it, as the reference broker does
      expect((await call('PUT', '/pacticipants/Accounts%20UI/labels/team-a', {})).status).toBe(201);
      expect((await call('GET', '/pacticipants/Accounts%20UI')).status).toBe(200);
      expect((await call('PUT', '/pacticipants/Accounts%20UI/labels/frontend', {})).status).toBe(201);

      const read = await call('GET', '/pacticipants/Billing/labels/team-a');
      expect(read.status).toBe(200);
      expect(read.json).toEqual(created.json);

      const teamA = await call('GET', '/pacticipants/label/team-a');
      expect(teamA.status).toBe(200);
      expect(teamA.json._embedded.pacticipants.map((p: { name: string }) => p.name)).toEqual([
        'Accounts UI',
        'Billing',
      ]);
      expect(teamA.json._links['pb:pacticipants'][0].href).toBe(`${broker.url}/pacticipants/Accounts%20UI`);
      const nobody = await call('GET', '/pacticipants/label/unused');
      expect(nobody.status).toBe(200);
      expect(nobody.json._embedded.pacticipants).toEqual([]);

      const labels = await call('GET', '/labels');
      expect(labels.json._embedded.labels.map((l: { name: string }) => l.name)).toEqual([
        'frontend',
        'team-a',
      ]);
    });

    it('deletes a label, and answers 404 for missing labels or pacticipants, 400 for a blank label', async () => {
      expect((await call('DELETE', '/pacticipants/Billing/labels/team-a')).status).toBe(204);
      expect((await call('GET', '/pacticipants/Billing/labels/team-a')).status).toBe(404);
      expect((await call('DELETE', '/pacticipants/Billing/labels/team-a')).status).toBe(404);
      expect((await call('GET', '/pacticipants/Nobody/labels/team-a')).status).toBe(404);
      expect((await call('DELETE', '/pacticipants/Nobody/labels/team-a')).status).toBe(404);
      const blank = await call('PUT', '/pacticipants/Billing/labels/%20', {});
      expect(blank.status).toBe(400);
      const labelled = await call('GET', '/pacticipants/label/team-a');
      expect(labelled.json._embedded.pacticipants.map((p: { name: string }) => p.name)).toEqual([
        'Accounts UI',
      ]);
      // deleting a pacticipant takes its labels with it
      expect((await call('DELETE', '/pacticipants/Accounts%20UI')).status).toBe(204);
      expect((await call('GET', '/pacticipants/label/team-a')).json._embedded.pacticipants).toEqual([]);
    });
  });

  describe('badges', () => {
    const badge = (path: string, query = '') =>
      call('GET', `/pacts/provider/Pricing%20Service/consumer/Condor/${path}/badge${query}`, undefined, {
        Accept: 'image/svg+xml',
      });
    const expectBadge = (response: Awaited<ReturnType<typeof call>>, status: string, colour: string) => {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('image/svg+xml');
      expect(response.headers.get('location')).toBeNull();
      expect(response.text.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(response.text).toContain(`>${status}</text>`);
      expect(response.text).toContain(`fill="${colour}"`);
    };

    async function publish(version: string, description: string, tag?: string) {
      const published = await call(
        'PUT',
        `/pacts/provider/Pricing%20Service/consumer/Condor/version/${version}`,
        pact('Condor', 'Pricing Service', description),
      );
      expect(published.status).toBeLessThan(300);
      if (tag)
        expect((await call('PUT', `/pacticipants/Condor/versions/${version}/tags/${tag}`, {})).status).toBe(
          201,
        );
      return new URL(published.json._links['pb:publish-verification-results'].href).pathname;
    }
    const verify = async (resultsPath: string, success: boolean, providerVersion: string) =>
      expect(
        (await call('POST', resultsPath, { success, providerApplicationVersion: providerVersion })).status,
      ).toBe(201);

    it('is unknown (grey) without a pact or a verification, never a redirect or a 404', async () => {
      expectBadge(await badge('latest'), 'unknown', '#9f9f9f');
      expectBadge(await badge('latest/prod'), 'unknown', '#9f9f9f');
      await publish('1.0.0', 'first');
      const unverified = await badge('latest');
      expectBadge(unverified, 'unknown', '#9f9f9f');
      expect(unverified.text).toContain('>condor/pricing service pact</text>');
    });

    it('follows the latest pact’s latest verification, per tag too', async () => {
      const first = await publish('1.0.1', 'first', 'prod');
      await verify(first, true, 'p1');
      expectBadge(await badge('latest'), 'verified', '#4c1');
      expectBadge(await badge('latest/prod'), 'verified', '#4c1');

      // a later failure of the same content turns it red
      await verify(first, false, 'p2');
      expectBadge(await badge('latest'), 'failed', '#e05d44');

      // new content nobody has verified: the latest badge is unknown, the prod one still red
      await publish('2.0.0', 'second', 'dev');
      expectBadge(await badge('latest'), 'unknown', '#9f9f9f');
      expectBadge(await badge('latest/prod'), 'failed', '#e05d44');
      expectBadge(await badge('latest/dev'), 'unknown', '#9f9f9f');

      // republishing content already verified shares its verification (same pact version)
      const again = await publish('3.0.0', 'first');
      expect(again).toBe(first);
      expectBadge(await badge('latest'), 'failed', '#e05d44');
      await verify(first, true, 'p3');
      expectBadge(await badge('latest'), 'verified', '#4c1');
    });

    it('titles by ?label= and ?initials=, escaping names', async () => {
      expect((await badge('latest', '?label=consumer')).text).toContain('>condor pact</text>');
      expect((await badge('latest', '?label=provider&initials=true')).text).toContain('>ps pact</text>');
      const odd = await call(
        'GET',
        `/pacts/provider/${encodeURIComponent('<P&"Q">')}/consumer/C/latest/badge`,
      );
      expectBadge(odd, 'unknown', '#9f9f9f');
      expect(odd.text).toContain('c/&lt;p&amp;&quot;q&quot;&gt; pact');
      expect(odd.text).not.toContain('<p&');
    });
  });

  it('renders a badge whose parts fit their text', () => {
    const svg = renderBadge('a/b pact', 'verified', '#4c1');
    const widths = [...svg.matchAll(/<rect (?:x="\d+" )?width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(widths[0]).toBeGreaterThan(40);
    expect(svg).toMatch(/^<svg[^>]+width="(\d+)"/);
    expect(Number(/width="(\d+)"/.exec(svg)![1])).toBe(widths[1]! + widths[2]!);
  });
});
