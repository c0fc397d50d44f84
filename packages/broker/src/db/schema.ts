import type { Generated } from 'kysely';

/**
 * The broker's tables. Timestamps are ISO-8601 text and booleans 0/1 integers, so one schema
 * and one set of queries serve SQLite and PostgreSQL alike. A version's `id` is a global,
 * increasing sequence and doubles as its creation order.
 */
export interface Database {
  pacticipants: {
    id: Generated<number>;
    name: string;
    display_name: string | null;
    repository_url: string | null;
    main_branch: string | null;
    created_at: string;
    updated_at: string;
  };
  versions: {
    id: Generated<number>;
    pacticipant_id: number;
    number: string;
    build_url: string | null;
    created_at: string;
  };
  branches: {
    id: Generated<number>;
    pacticipant_id: number;
    name: string;
    created_at: string;
  };
  branch_versions: {
    id: Generated<number>;
    branch_id: number;
    version_id: number;
    pacticipant_id: number;
    created_at: string;
  };
  tags: {
    id: Generated<number>;
    version_id: number;
    pacticipant_id: number;
    name: string;
    created_at: string;
  };
  pact_versions: {
    id: Generated<number>;
    consumer_id: number;
    provider_id: number;
    sha: string;
    content: string;
    created_at: string;
  };
  pact_publications: {
    id: Generated<number>;
    consumer_id: number;
    provider_id: number;
    consumer_version_id: number;
    pact_version_id: number;
    revision: number;
    created_at: string;
  };
  verifications: {
    id: Generated<number>;
    pact_version_id: number;
    consumer_id: number;
    provider_id: number;
    provider_version_id: number;
    success: number;
    build_url: string | null;
    test_results: string | null;
    verified_by: string | null;
    wip: number;
    pact_pending: number;
    /** Set when the result is a comparison with this provider contract, not a verifier's run. */
    provider_contract_id: number | null;
    created_at: string;
  };
  environments: {
    id: Generated<number>;
    uuid: string;
    name: string;
    display_name: string | null;
    production: number;
    contacts: string | null;
    created_at: string;
    updated_at: string;
  };
  deployed_versions: {
    id: Generated<number>;
    uuid: string;
    version_id: number;
    pacticipant_id: number;
    environment_id: number;
    application_instance: string | null;
    undeployed_at: string | null;
    created_at: string;
  };
  released_versions: {
    id: Generated<number>;
    uuid: string;
    version_id: number;
    pacticipant_id: number;
    environment_id: number;
    support_ended_at: string | null;
    created_at: string;
  };
  labels: {
    pacticipant_id: number;
    name: string;
    created_at: string;
  };
  webhooks: {
    id: Generated<number>;
    uuid: string;
    description: string | null;
    consumer_name: string | null;
    provider_name: string | null;
    consumer_label: string | null;
    provider_label: string | null;
    events: string;
    request: string;
    enabled: number;
    created_at: string;
    updated_at: string;
  };
  /** The webhook outbox: one row per delivery, with its state and lease. */
  triggered_webhooks: {
    id: Generated<number>;
    uuid: string;
    webhook_id: number;
    event_name: string;
    /** The TemplateData as JSON. */
    data: string;
    consumer_id: number;
    provider_id: number;
    pact_version_id: number | null;
    consumer_version_id: number | null;
    verification_id: number | null;
    status: string;
    attempts: number;
    next_attempt_at: string;
    lease_owner: string | null;
    lease_until: string | null;
    created_at: string;
    updated_at: string;
  };
  webhook_executions: {
    id: Generated<number>;
    triggered_webhook_id: number;
    attempt_number: number;
    success: number;
    response_status: number | null;
    logs: string;
    created_at: string;
  };
  provider_contracts: {
    id: Generated<number>;
    provider_id: number;
    provider_version_id: number;
    sha: string;
    content: string;
    content_type: string;
    specification: string;
    self_verified: number;
    self_verification: string | null;
    build_url: string | null;
    created_at: string;
  };
  contract_comparisons: {
    id: Generated<number>;
    pact_sha: string;
    contract_sha: string;
    compatible: number;
    results: string;
    created_at: string;
  };
}
