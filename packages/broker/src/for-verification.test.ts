import { brokerHarness, databaseKinds, pactFixture } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';
import { startBroker } from './server.js';

// Pending and WIP pacts by the reference broker's rules (pacts/pact_version.rb,
// pacts_for_verification_repository.rb#find_wip) and beyond them (pact_broker#515, #508), with its
// notices word for word. Each test has pacticipants of its own; the broker and database last a suite.

const broker = brokerHarness((database) => startBroker({ port: 0, database }));
const { call } = broker;

interface VerifiablePact {
  shortDescription: string;
  verificationProperties: { pending: boolean; wip?: boolean; notices: Array<{ when: string; text: string }> };
  _links: { self: { href: string; name: string } };
}

/** Publishes `consumer` version `version` with a pact whose content is `content`, on a branch and/or with tags. */
async function publish(
  consumer: string,
  provider: string,
  version: string,
  content: string,
  where: { branch?: string; tags?: string[] } = {},
) {
  const pact = pactFixture({
    consumer,
    provider,
    interactions: [{ description: content, path: '/orders', status: 200 }],
  });
  const answer = await call('POST', '/contracts/publish', {
    pacticipantName: consumer,
    pacticipantVersionNumber: version,
    ...where,
    contracts: [
      {
        consumerName: consumer,
        providerName: provider,
        specification: 'pact',
        contentType: 'application/json',
        content: Buffer.from(JSON.stringify(pact)).toString('base64'),
      },
    ],
  });
  expect(answer.status).toBe(200);
}

/** Makes a provider version, on a branch and/or with tags, before it verifies anything. */
async function providerVersion(
  provider: string,
  version: string,
  where: { branch?: string; tags?: string[] },
) {
  if (where.branch)
    await call('PUT', `/pacticipants/${provider}/branches/${where.branch}/versions/${version}`, {});
  else await call('PUT', `/pacticipants/${provider}/versions/${version}`, {});
  for (const tag of where.tags ?? [])
    await call('PUT', `/pacticipants/${provider}/versions/${version}/tags/${tag}`, {});
}

/**
 * Publishes a verification result of the pact `consumer` version `consumerVersion` has, through the
 * for-verification URL given (which records whether it was a WIP verification) or the pact's own link.
 */
async function verify(
  provider: string,
  consumer: string,
  consumerVersion: string,
  providerVersionNumber: string,
  success: boolean,
  viaUrl?: string,
) {
  const pact = await call(
    'GET',
    `/pacts/provider/${provider}/consumer/${consumer}/version/${consumerVersion}`,
  );
  const link = viaUrl
    ? `${new URL(viaUrl).pathname}/verification-results`
    : new URL(pact.json._links['pb:publish-verification-results'].href).pathname;
  const answer = await call('POST', link, {
    success,
    providerApplicationVersion: providerVersionNumber,
    testResults: [],
  });
  expect(answer.status).toBe(201);
}

async function forVerification(provider: string, body: Record<string, unknown>): Promise<VerifiablePact[]> {
  const answer = await call('POST', `/pacts/provider/${provider}/for-verification`, body);
  expect(answer.status).toBe(200);
  return answer.json._embedded.pacts;
}

/** The pact of `consumer` version `version` among the pacts, by the version its link names. */
const pactOf = (pacts: VerifiablePact[], consumer: string, version: string) =>
  pacts.find(
    (p) =>
      p._links.self.name ===
      `Pact between ${consumer} (${version}) and ${p._links.self.name.split(' and ').pop()}`,
  );

const noticeTexts = (pact: VerifiablePact | undefined, when = 'before_verification') =>
  pact?.verificationProperties.notices.filter((n) => n.when === when).map((n) => n.text);

/** Timestamps are to the millisecond: steps whose order the rule compares must not share one. */
const nextMillisecond = () => new Promise((resolve) => setTimeout(resolve, 3));

describe.each(databaseKinds())('pacts for verification: pending and WIP (%s)', (kind) => {
  broker.runOn(kind);

  it('a pact is pending for a provider branch until that branch verifies it, or another did before the branch was made', async () => {
    await publish('PendWeb', 'PendApi', '1', 'first', { branch: 'main' });
    // feat-old exists before main verifies the pact; feat-new will only exist afterwards
    await providerVersion('PendApi', 'p0', { branch: 'feat-old' });
    await nextMillisecond();
    await providerVersion('PendApi', 'p1', { branch: 'main' });
    await verify('PendApi', 'PendWeb', '1', 'p1', true);
    // a failed verification from feat-old proves nothing
    await verify('PendApi', 'PendWeb', '1', 'p0', false);

    const forBranch = async (branch: string) =>
      (
        await forVerification('PendApi', {
          consumerVersionSelectors: [{ mainBranch: true }],
          providerVersionBranch: branch,
        })
      )[0]!;
    const main = await forBranch('main');
    expect(main.verificationProperties.pending).toBe(false);
    expect(noticeTexts(main)![1]).toBe(
      "This pact has previously been successfully verified by a version of PendApi from branch 'main'. If this verification fails, it will fail the build. Read more at https://docs.pact.io/go/pending",
    );
    // a branch made after main's verification inherits it; one made before does not
    expect((await forBranch('feat-new')).verificationProperties.pending).toBe(false);
    const old = await forBranch('feat-old');
    expect(old.verificationProperties.pending).toBe(true);
    expect(noticeTexts(old)![1]).toBe(
      "This pact is in pending state for this version of PendApi because a successful verification result for a version of PendApi from branch 'feat-old' has not yet been published. If this verification fails, it will not cause the overall build to fail. Read more at https://docs.pact.io/go/pending",
    );
    expect(noticeTexts(old, 'after_verification:success_true_published_false')).toEqual([
      "This pact is still in pending state for any version of PendApi from branch 'feat-old' as the successful verification results have not yet been published.",
    ]);
    expect(noticeTexts(old, 'after_verification:success_true_published_true')).toEqual([
      "This pact is no longer in pending state for any version of PendApi from branch 'feat-old', as a successful verification result has been published. If a verification for a version of PendApi fails in the future, it will fail the build. Read more at https://docs.pact.io/go/pending",
    ]);
    // once feat-old verifies it, it is settled there too, and the after-verification notices go
    await providerVersion('PendApi', 'p3', { branch: 'feat-old' });
    await verify('PendApi', 'PendWeb', '1', 'p3', true);
    const settled = await forBranch('feat-old');
    expect(settled.verificationProperties.pending).toBe(false);
    expect(settled.verificationProperties.notices.map((n) => n.when)).toEqual([
      'before_verification',
      'before_verification',
    ]);
  });

  it('without a provider branch or tags, a pact is pending until any provider version verifies it', async () => {
    await publish('AnyWeb', 'AnyApi', '1', 'first');
    const ask = async () =>
      (await forVerification('AnyApi', { consumerVersionSelectors: [{ latest: true }] }))[0]!;
    const before = await ask();
    expect(before.verificationProperties.pending).toBe(true);
    expect(noticeTexts(before)![1]).toBe(
      'This pact is in pending state for this version of AnyApi because a successful verification result for AnyApi has not yet been published. If this verification fails, it will not cause the overall build to fail. Read more at https://docs.pact.io/go/pending',
    );
    await providerVersion('AnyApi', 'p1', {});
    await verify('AnyApi', 'AnyWeb', '1', 'p1', true);
    const after = await ask();
    expect(after.verificationProperties.pending).toBe(false);
    expect(noticeTexts(after)![1]).toBe(
      'This pact has previously been successfully verified by AnyApi. If this verification fails, it will fail the build. Read more at https://docs.pact.io/go/pending',
    );
  });

  it('with provider tags, a pact is pending while any tag has not verified it (nor another tag before it existed)', async () => {
    await providerVersion('TagApi', 'p0', { tags: ['prod'] });
    await nextMillisecond();
    await publish('TagWeb', 'TagApi', '1', 'first', { tags: ['main'] });
    await providerVersion('TagApi', 'p1', { tags: ['dev'] });
    await verify('TagApi', 'TagWeb', '1', 'p1', true);
    const ask = async (tags: string[]) =>
      (
        await forVerification('TagApi', {
          consumerVersionSelectors: [{ tag: 'main', latest: true }],
          providerVersionTags: tags,
        })
      )[0]!;
    const both = await ask(['dev', 'prod']);
    expect(both.verificationProperties.pending).toBe(true);
    expect(noticeTexts(both)![1]).toBe(
      "This pact is in pending state for this version of TagApi because a successful verification result for a version of TagApi with tag 'prod' has not yet been published. If this verification fails, it will not cause the overall build to fail. Read more at https://docs.pact.io/go/pending",
    );
    expect(noticeTexts(both, 'after_verification:success_false_published_false')).toEqual([
      "This pact is still in pending state for any version of TagApi with tag 'prod' as a successful verification result with this tag has not yet been published",
    ]);
    const dev = await ask(['dev']);
    expect(dev.verificationProperties.pending).toBe(false);
    expect(noticeTexts(dev)![1]).toBe(
      "This pact has previously been successfully verified by a version of TagApi with tag 'dev'. If this verification fails, it will fail the build. Read more at https://docs.pact.io/go/pending",
    );
    // a tag first used after dev's verification inherits it
    expect((await ask(['staging'])).verificationProperties.pending).toBe(false);
  });

  it("tells why each pact is verified, in the reference's words, with the pact's URL", async () => {
    await publish('WordsWeb', 'WordsApi', '1', 'same', { branch: 'main', tags: ['prod'] });
    const [pact] = await forVerification('WordsApi', {
      consumerVersionSelectors: [{ mainBranch: true }, { tag: 'prod', latest: true, consumer: 'WordsWeb' }],
      providerVersionBranch: 'main',
    });
    const sha = new URL(pact!._links.self.href).pathname.split('/')[7];
    expect(noticeTexts(pact)![0]).toBe(
      `The pact at ${broker.url}/pacts/provider/WordsApi/consumer/WordsWeb/pact-version/${sha} is being verified because the pact content belongs to the consumer versions matching the following criteria:\n    * latest version from branch 'main' (1)\n    * latest version of WordsWeb tagged 'prod' (1)`,
    );
    expect(pact!.shortDescription).toBe('latest from branch main, latest with tag prod');

    const [fallback] = await forVerification('WordsApi', {
      consumerVersionSelectors: [{ branch: 'feat-gone', fallbackBranch: 'main' }],
      providerVersionTags: ['dev', 'prod'],
    });
    expect(noticeTexts(fallback)).toEqual([
      expect.stringMatching(
        /criterion:\n {4}\* latest version from branch 'main' \(fallback branch used as no pact was found from branch 'feat-gone'\) \(1\)$/,
      ),
      "This pact is in pending state for this version of WordsApi because a successful verification result for a versions of WordsApi with tag 'dev' and 'prod' has not yet been published. If this verification fails, it will not cause the overall build to fail. Read more at https://docs.pact.io/go/pending",
    ]);
    expect(noticeTexts(fallback, 'after_verification:success_true_published_false')).toEqual([
      "This pact is still in pending state for any versions of WordsApi with tag 'dev' and 'prod' as the successful verification results with these tags have not yet been published.",
    ]);
  });

  it('offers the pacts of consumer branch and tag heads as WIP, except those selected, settled or superseded', async () => {
    const since = { includeWipPactsSince: '2020-01-01', providerVersionBranch: 'main' };
    // a provider branch made before main verifies anything
    await providerVersion('WipApi', 'p0', { branch: 'feat-early' });
    await nextMillisecond();
    await publish('WipWeb', 'WipApi', '1', 'main content', { branch: 'main' });
    await publish('WipWeb', 'WipApi', '2', 'branch content', { branch: 'feat-a' });
    await publish('WipWeb', 'WipApi', '3', 'tag content', { tags: ['feat-b'] });
    await publish('WipWeb', 'WipApi', '4', 'old head', { branch: 'feat-c' });
    await publish('WipWeb', 'WipApi', '5', 'new head', { branch: 'feat-c' });
    await publish('WipWeb', 'WipApi', '6', 'new head', { branch: 'feat-d' });
    const ask = (more: Record<string, unknown> = {}) =>
      forVerification('WipApi', { consumerVersionSelectors: [{ mainBranch: true }], ...since, ...more });

    const pacts = await ask();
    expect(pacts.map((p) => [p._links.self.name, p.verificationProperties.wip ?? false])).toEqual([
      ['Pact between WipWeb (1) and WipApi', false],
      ['Pact between WipWeb (2) and WipApi', true],
      ['Pact between WipWeb (3) and WipApi', true],
      ['Pact between WipWeb (6) and WipApi', true],
    ]);
    const fromBranch = pactOf(pacts, 'WipWeb', '2')!;
    expect(fromBranch.verificationProperties.pending).toBe(true);
    const sha = new URL(fromBranch._links.self.href).pathname.split('/')[7];
    expect(noticeTexts(fromBranch)![0]).toBe(
      `The pact at ${broker.url}/pacts/provider/WipApi/consumer/WipWeb/pact-version/${sha} is being verified because it is a 'work in progress' pact (ie. it is the pact for the latest version of WipWeb from branch 'feat-a' and is still in pending state). Read more at https://docs.pact.io/go/wip`,
    );
    expect(noticeTexts(pactOf(pacts, 'WipWeb', '3'))![0]).toContain(
      "the pact for the latest version of WipWeb tagged with 'feat-b' and is still in pending state",
    );
    // two branch heads with the same content: one pact to verify, both named
    expect(noticeTexts(pactOf(pacts, 'WipWeb', '6'))![0]).toContain(
      "the pact for the latest versions of WipWeb from branches 'feat-c' and 'feat-d' (both have the same content) and is still in pending state",
    );

    // selected explicitly: pending, not WIP
    const selected = await ask({ consumerVersionSelectors: [{ mainBranch: true }, { branch: 'feat-a' }] });
    expect(pactOf(selected, 'WipWeb', '2')!.verificationProperties).toMatchObject({ pending: true });
    expect(pactOf(selected, 'WipWeb', '2')!.verificationProperties.wip).toBeUndefined();

    // a WIP verification (through the WIP pact's URL) leaves it WIP; a verification of the pact as selected ends it
    await providerVersion('WipApi', 'p1', { branch: 'main' });
    await verify('WipApi', 'WipWeb', '2', 'p1', true, fromBranch._links.self.href);
    expect(pactOf(await ask(), 'WipWeb', '2')?.verificationProperties.wip).toBe(true);
    await verify('WipApi', 'WipWeb', '2', 'p1', true);
    expect(pactOf(await ask(), 'WipWeb', '2')).toBeUndefined();
    // main's verification settles it for a branch made later, not for one made before
    const wipFor = async (providerVersionBranch: string) =>
      pactOf(await ask({ providerVersionBranch }), 'WipWeb', '2')?.verificationProperties.wip;
    expect(await wipFor('feat-late')).toBeUndefined();
    expect(await wipFor('feat-early')).toBe(true);

    // none before the date, none without a provider branch or tags; with tags, WIP for the tags
    expect(
      (await ask({ includeWipPactsSince: '2999-01-01' })).filter((p) => p.verificationProperties.wip),
    ).toEqual([]);
    expect(
      (await ask({ providerVersionBranch: undefined })).filter((p) => p.verificationProperties.wip),
    ).toEqual([]);
    const byTag = await ask({ providerVersionBranch: undefined, providerVersionTags: ['dev'] });
    const tagged = pactOf(byTag, 'WipWeb', '3')!;
    expect(tagged.verificationProperties.wip).toBe(true);
    expect(noticeTexts(tagged)![1]).toBe(
      "This pact is in pending state for this version of WipApi because a successful verification result for a version of WipApi with tag 'dev' has not yet been published. If this verification fails, it will not cause the overall build to fail. Read more at https://docs.pact.io/go/pending",
    );
  });

  it('WIP pacts come only from the consumers the selectors name, when every selector names one (pact_broker#508)', async () => {
    await publish('OneWeb', 'NamedApi', '1', 'one', { branch: 'feat' });
    await publish('TwoWeb', 'NamedApi', '1', 'two', { branch: 'feat' });
    const wipConsumers = async (selectors: unknown[]) =>
      (
        await forVerification('NamedApi', {
          consumerVersionSelectors: selectors,
          providerVersionBranch: 'main',
          includeWipPactsSince: '2020-01-01',
        })
      )
        .filter((p) => p.verificationProperties.wip)
        .map((p) => p._links.self.name)
        .sort();
    expect(await wipConsumers([{ mainBranch: true, consumer: 'OneWeb' }])).toEqual([
      'Pact between OneWeb (1) and NamedApi',
    ]);
    expect(await wipConsumers([{ mainBranch: true, consumer: 'OneWeb' }, { mainBranch: true }])).toEqual([
      'Pact between OneWeb (1) and NamedApi',
      'Pact between TwoWeb (1) and NamedApi',
    ]);
  });

  it('a pact of a deployed or released consumer version is never pending, nor WIP (pact_broker#515)', async () => {
    const environment = await call('POST', '/environments', { name: `prod-${kind}`, production: true });
    expect(environment.status).toBe(201);
    await publish('LiveWeb', 'LiveApi', '7', 'live', { branch: 'hotfix' });
    const version = await call('GET', '/pacticipants/LiveWeb/versions/7');
    const record = (
      version.json._links['pb:record-deployment'] as Array<{ name: string; href: string }>
    ).find((l) => l.name === `prod-${kind}`)!;
    const ask = () =>
      forVerification('LiveApi', {
        consumerVersionSelectors: [{ deployedOrReleased: true }],
        providerVersionBranch: 'main',
        includeWipPactsSince: '2020-01-01',
      });
    // before the deployment: a WIP pact of the hotfix branch
    expect((await ask())[0]!.verificationProperties.wip).toBe(true);
    expect((await call('POST', new URL(record.href).pathname, {})).status).toBe(201);
    const [deployed, ...others] = await ask();
    expect(others).toEqual([]);
    expect(deployed!.verificationProperties.pending).toBe(false);
    expect(deployed!.shortDescription).toBe(`deployed to prod-${kind}`);
    expect(noticeTexts(deployed)).toEqual([
      expect.stringMatching(
        new RegExp(
          `matching the following criterion:\\n    \\* consumer version\\(s\\) currently deployed to prod-${kind} \\(7\\)$`,
        ),
      ),
      'This pact is not in pending state for LiveApi because its content belongs to a version of LiveWeb that is currently deployed or released (7). If this verification fails, it will fail the build. Read more at https://docs.pact.io/go/pending',
    ]);
  });
  it('lists deployments as recorded, and deployments with releases by consumer version', async () => {
    // created out of name order, so that neither ids nor recording order give the names' order
    for (const name of ['zz', 'aa', 'mm'])
      expect(
        (await call('POST', '/environments', { name: `${name}-${kind}`, production: false })).status,
      ).toBe(201);
    // the same content from two versions: one pact, with every reason it was chosen for
    await publish('OrderWeb', 'OrderApi', '1', 'ordered');
    await publish('OrderWeb', 'OrderApi', '2', 'ordered');
    const record = async (version: string, relation: 'deployment' | 'release', environment: string) => {
      const links = (await call('GET', `/pacticipants/OrderWeb/versions/${version}`)).json._links;
      const link = (links[`pb:record-${relation}`] as Array<{ name: string; href: string }>).find(
        (l) => l.name === `${environment}-${kind}`,
      )!;
      expect((await call('POST', new URL(link.href).pathname, {})).status).toBe(201);
    };
    await record('2', 'deployment', 'zz');
    await record('1', 'deployment', 'aa');
    await record('2', 'deployment', 'mm');
    await record('2', 'release', 'aa');
    const chosen = async (selector: Record<string, unknown>) => {
      const [pact, ...others] = await forVerification('OrderApi', { consumerVersionSelectors: [selector] });
      expect(others).toEqual([]);
      // the notice's bullet list, after 'matching the following criteria:'
      const notice = noticeTexts(pact)![0]!;
      return { short: pact!.shortDescription, criteria: notice.slice(notice.indexOf(':\n') + 2) };
    };
    expect(await chosen({ deployed: true })).toEqual({
      short: `deployed to zz-${kind}, deployed to aa-${kind}, deployed to mm-${kind}`,
      criteria: `    * consumer version(s) currently deployed to zz-${kind} (2), aa-${kind} (1) and mm-${kind} (2)`,
    });
    expect(await chosen({ deployedOrReleased: true })).toEqual({
      short: `deployed to aa-${kind}, released in aa-${kind}, deployed to mm-${kind}, deployed to zz-${kind}`,
      criteria:
        `    * consumer version(s) currently deployed to aa-${kind} (1), mm-${kind} (2) and zz-${kind} (2)` +
        `\n    * consumer version(s) released and supported in aa-${kind} (2)`,
    });
  });

  it('can-i-deploy names a failure while the pact was pending, and still says no', async () => {
    await providerVersion('GateApi', 'p1', { branch: 'main' });
    const matrix = async (consumerVersion: string) =>
      (
        await call(
          'GET',
          `/matrix?q[][pacticipant]=GateWeb&q[][version]=${consumerVersion}&q[][pacticipant]=GateApi&q[][version]=p1&latestby=cvpv`,
        )
      ).json;
    // version 1's pact fails while pending: published through the URL that says it is pending
    await publish('GateWeb', 'GateApi', '1', 'pending content', { branch: 'main' });
    const [pending] = await forVerification('GateApi', {
      consumerVersionSelectors: [{ branch: 'main' }],
      providerVersionBranch: 'main',
    });
    expect(pending!.verificationProperties.pending).toBe(true);
    await verify('GateApi', 'GateWeb', '1', 'p1', false, pending!._links.self.href);
    const pendingFailure = await matrix('1');
    expect(pendingFailure.summary).toMatchObject({ deployable: false, failed: 1 });
    expect(pendingFailure.matrix[0].verificationResult).toMatchObject({ success: false, pending: true });
    expect(pendingFailure.summary.reason).toBe(
      "The verification for the pact between version 1 of GateWeb and version p1 of GateApi failed while the pact was pending (the provider's build passed, but the pact is not satisfied)",
    );
    // version 2's failure, published through the pact's own link, is a plain failure
    await publish('GateWeb', 'GateApi', '2', 'other content', { branch: 'main' });
    await verify('GateApi', 'GateWeb', '2', 'p1', false);
    const failure = await matrix('2');
    expect(failure.summary).toMatchObject({ deployable: false, failed: 1 });
    expect(failure.matrix[0].verificationResult.pending).toBeUndefined();
    expect(failure.summary.reason).toBe(
      'The verification for the pact between version 2 of GateWeb and version p1 of GateApi failed',
    );
  });
});
