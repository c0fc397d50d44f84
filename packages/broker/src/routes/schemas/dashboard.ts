import {
  anyObject,
  boolean,
  component,
  list,
  nullable,
  object,
  ok,
  operation,
  ref,
  string,
  timestamp,
} from './shared.js';

const side = (version: ReturnType<typeof object> | ReturnType<typeof nullable>) =>
  object({ name: string, version, _links: anyObject });

component(
  'DashboardItem',
  object({
    consumer: side(object({ number: string, branches: list(string), _links: anyObject })),
    provider: side(nullable(object({ number: string, _links: anyObject }))),
    pact: object({ createdAt: timestamp, _links: anyObject }),
    pactTags: list(object({ name: string, _links: anyObject })),
    latestVerificationResult: nullable(
      object({ success: boolean, verifiedAt: timestamp, _links: anyObject }),
    ),
    verificationStatus: string,
    webhookStatus: string,
    latestWebhookExecution: nullable(anyObject),
    _links: anyObject,
  }),
);
component('Dashboard', object({ items: list(ref('DashboardItem')) }));

export const dashboardSchemas = {
  getDashboard: operation({
    method: 'GET',
    path: '/dashboard',
    tag: 'Pacts',
    summary:
      "Every integration with its latest pact, verification and webhook status (the reference's dashboard)",
    description:
      'verificationStatus is success, failed, stale (the latest pact is unverified, an earlier one was verified) or never.',
    ok: ok('Dashboard'),
  }),
  getDashboardIntegration: operation({
    method: 'GET',
    path: '/dashboard/provider/:provider/consumer/:consumer',
    tag: 'Pacts',
    summary: "One integration's dashboard item: its latest pact, verification and webhook status",
    description: 'The same shape as `/dashboard`, with one item (none when the pair has no pact yet).',
    ok: ok('Dashboard'),
    errors: [404],
  }),
};
