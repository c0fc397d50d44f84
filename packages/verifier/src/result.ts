import type { Mismatch } from '@covenant/core';
import type { VerifierErrorCode } from './errors.js';

/** What happened to one interaction. */
export type InteractionStatus = 'passed' | 'failed' | 'pending-failed' | 'skipped';

export interface InteractionResult {
  description: string;
  providerStates: string[];
  /** The interaction's V4 key or broker `_id`, when it has one. */
  id: string | undefined;
  status: InteractionStatus;
  /** Set when the interaction (or its whole pact) is pending: its failure doesn't fail the run. */
  pending: boolean;
  mismatches: Mismatch[];
  /** A failure that is not a mismatch: a state handler, the provider unreachable, a timeout. */
  error: string | undefined;
  /** The stable code of `error` when it is one of the verifier's (a message producer missing, throwing...). */
  errorCode?: VerifierErrorCode;
  warnings: string[];
  /** V4 comments and test name, shown in the report. */
  comments: string[];
  testName: string | undefined;
  durationMs: number;
}

export interface PactResult {
  consumer: string;
  provider: string;
  source: string;
  pending: boolean;
  wip: boolean;
  notices: Array<{ when: string; text: string }>;
  interactions: InteractionResult[];
  /** True when every non-pending interaction passed. */
  success: boolean;
  published: boolean;
}

export interface VerificationSummary {
  interactions: number;
  passed: number;
  failed: number;
  pending: number;
  skipped: number;
}

/** The whole run: `success` is false unless every non-pending interaction passed. */
export interface VerificationResult {
  success: boolean;
  provider: string;
  pacts: PactResult[];
  summary: VerificationSummary;
  durationMs: number;
}

export function summarise(pacts: PactResult[]): VerificationSummary {
  const all = pacts.flatMap((p) => p.interactions);
  return {
    interactions: all.length,
    passed: all.filter((i) => i.status === 'passed').length,
    failed: all.filter((i) => i.status === 'failed').length,
    pending: all.filter((i) => i.status === 'pending-failed').length,
    skipped: all.filter((i) => i.status === 'skipped').length,
  };
}
