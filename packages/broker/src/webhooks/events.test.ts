import { describe, expect, it } from 'vitest';
import {
  contractPublishedTriggers,
  type PactPublication,
  planDeliveries,
  verificationPublishedTriggers,
  versionsRequiringVerification,
  type WebhookSubscription,
  webhookApplies,
} from './events.js';

const consumer = { name: 'Web', labels: ['team-a'] };
const provider = { name: 'Orders', labels: ['core', 'team-b'] };

const publication = (changes: Partial<PactPublication> = {}): PactPublication => ({
  consumer,
  provider,
  consumerVersion: { number: 'c2', branch: 'main' },
  pactUrl: 'http://broker/pact',
  pactVersionSha: 'sha-2',
  previousShas: ['sha-1'],
  ...changes,
});

const hook = (uuid: string, changes: Partial<WebhookSubscription> = {}): WebhookSubscription => ({
  uuid,
  enabled: true,
  events: ['contract_published', 'contract_content_changed'],
  ...changes,
});

describe('webhookApplies', () => {
  it('matches by name, by label, or globally, and only enabled webhooks subscribed to the event', () => {
    const applies = (w: WebhookSubscription) => webhookApplies(w, 'contract_published', consumer, provider);
    expect(applies(hook('global'))).toBe(true);
    expect(applies(hook('by-name', { consumer: { name: 'Web' }, provider: { name: 'Orders' } }))).toBe(true);
    expect(applies(hook('by-label', { consumer: { label: 'team-a' }, provider: { label: 'core' } }))).toBe(
      true,
    );
    expect(applies(hook('other-consumer', { consumer: { name: 'Mobile' } }))).toBe(false);
    expect(applies(hook('other-label', { provider: { label: 'team-a' } }))).toBe(false);
    expect(applies(hook('disabled', { enabled: false }))).toBe(false);
    expect(applies(hook('other-event', { events: ['provider_verification_published'] }))).toBe(false);
  });
});

describe('contractPublishedTriggers', () => {
  const events = (p: PactPublication) => contractPublishedTriggers(p).map((t) => t.eventName);

  it('fires contract_published always and contract_content_changed when the content is new on a line', () => {
    expect(events(publication())).toEqual(['contract_published', 'contract_content_changed']);
    expect(events(publication({ previousShas: [] }))).toEqual([
      'contract_published',
      'contract_content_changed',
    ]);
    expect(events(publication({ previousShas: ['sha-2', undefined] }))).toEqual([
      'contract_published',
      'contract_content_changed',
    ]);
    expect(events(publication({ previousShas: ['sha-2', 'sha-2'] }))).toEqual(['contract_published']);
  });

  it('fires contract_requiring_verification_published once per provider version that must verify', () => {
    const triggers = contractPublishedTriggers(
      publication({
        providerVersions: {
          latestMainBranchVersion: { number: 'p3', branch: 'main' },
          deployed: [
            { version: { number: 'p2', branch: 'main' }, environment: 'production' },
            { version: { number: 'p3', branch: 'main' }, environment: 'test' },
          ],
          releasedAndSupported: [{ version: { number: 'p1' }, environment: 'production' }],
          alreadyVerified: ['p1'],
        },
      }),
    ).filter((t) => t.eventName === 'contract_requiring_verification_published');
    expect(
      triggers.map((t) => [
        t.data.providerVersion?.number,
        t.data.providerVersion?.branch,
        t.data.providerVersionDescriptions,
      ]),
    ).toEqual([
      ['p3', 'main', ['latest version from main branch', 'currently deployed version (test)']],
      ['p2', 'main', ['currently deployed version (production)']],
    ]);
    expect(
      triggers.every(
        (t) => t.data.consumerVersion?.number === 'c2' && t.data.pactUrl === 'http://broker/pact',
      ),
    ).toBe(true);
  });
});

describe('versionsRequiringVerification', () => {
  it('is empty when the provider has no versions in play, or all verified the content', () => {
    expect(versionsRequiringVerification({})).toEqual([]);
    expect(
      versionsRequiringVerification({
        latestMainBranchVersion: { number: 'p1' },
        releasedAndSupported: [{ version: { number: 'p0' }, environment: 'production' }],
        alreadyVerified: new Set(['p1', 'p0']),
      }),
    ).toEqual([]);
  });
});

describe('verificationPublishedTriggers', () => {
  const base = {
    consumer,
    provider,
    consumerVersion: { number: 'c1' },
    providerVersion: { number: 'p9', branch: 'main' },
    pactUrl: 'http://broker/pact',
  };

  it('fires published and succeeded (or failed) for the pact consumer version', () => {
    const ok = verificationPublishedTriggers({ ...base, verification: { success: true, url: 'v/1' } });
    expect(ok.map((t) => [t.eventName, t.data.consumerVersion?.number])).toEqual([
      ['provider_verification_published', 'c1'],
      ['provider_verification_succeeded', 'c1'],
    ]);
    const failed = verificationPublishedTriggers({ ...base, verification: { success: false, url: 'v/2' } });
    expect(failed.map((t) => t.eventName)).toEqual([
      'provider_verification_published',
      'provider_verification_failed',
    ]);
    expect(failed[1]!.data.verification).toEqual({ success: false, url: 'v/2' });
  });

  it('fans out one delivery per selected consumer version, each once', () => {
    const triggers = verificationPublishedTriggers({
      ...base,
      selectedConsumerVersions: [{ number: 'c1' }, { number: 'c2', branch: 'feat' }, { number: 'c1' }],
      verification: { success: true, url: 'v/3' },
    });
    expect(triggers.map((t) => `${t.eventName}:${t.data.consumerVersion?.number}`)).toEqual([
      'provider_verification_published:c1',
      'provider_verification_published:c2',
      'provider_verification_succeeded:c1',
      'provider_verification_succeeded:c2',
    ]);
  });
});

describe('planDeliveries', () => {
  it('gives each trigger one delivery per webhook that applies to it', () => {
    const triggers = contractPublishedTriggers(publication({ previousShas: ['sha-2'] }));
    const planned = planDeliveries(
      [
        hook('a'),
        hook('b', { events: ['contract_content_changed'] }),
        hook('c', { provider: { label: 'core' } }),
        hook('d', { consumer: { name: 'Mobile' } }),
      ],
      triggers,
    );
    expect(planned.map((p) => `${p.webhookUuid}:${p.eventName}`)).toEqual([
      'a:contract_published',
      'c:contract_published',
    ]);
    expect(planned[0]!.data.eventName).toBe('contract_published');
  });
});
