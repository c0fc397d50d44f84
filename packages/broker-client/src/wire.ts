/**
 * The Pact Broker API's request bodies and query selectors, as they travel: one definition for the
 * client that sends them and the broker that reads them. (HAL shapes are in hal.ts.)
 */

/** A consumer version selector, as `pb:provider-pacts-for-verification` takes them. */
export interface ConsumerVersionSelector {
  mainBranch?: boolean;
  branch?: string;
  matchingBranch?: boolean;
  fallbackBranch?: string;
  tag?: string;
  fallbackTag?: string;
  latest?: boolean;
  consumer?: string;
  deployed?: boolean;
  released?: boolean;
  deployedOrReleased?: boolean;
  environment?: string;
}

/** The body of `POST pb:provider-pacts-for-verification`. */
export interface PactsForVerificationRequest {
  consumerVersionSelectors?: ConsumerVersionSelector[];
  providerVersionBranch?: string;
  providerVersionTags?: string[];
  includePendingStatus?: boolean;
  includeWipPactsSince?: string;
}

/** A notice the broker gives with pacts for verification (`when`: before_verification, after_verification...). */
export interface BrokerNotice {
  when: string;
  text: string;
}

/** The result of verifying one pact, in the body the broker expects. */
export interface VerificationResultBody {
  success: boolean;
  providerApplicationVersion: string;
  buildUrl?: string;
  testResults?: Array<{
    interactionId?: string;
    interactionDescription?: string;
    success: boolean;
    mismatches?: unknown[];
  }>;
  verifiedBy?: { implementation: string; version: string };
}

/**
 * One `q[]` selector of the matrix (`/matrix`, can-i-deploy): which versions of a pacticipant the
 * question is about. A version number, the latest (of a tag or branch), or (`tag` without
 * `latest`) every version with a tag.
 */
export interface MatrixSelector {
  pacticipant: string;
  version?: string;
  /** The latest version; with `tag`, the latest with that tag. */
  latest?: boolean;
  /** With `latest`, the latest version with this tag; alone, the versions with this tag. */
  tag?: string;
  /** The latest version of this branch. */
  branch?: string;
  /** The latest version of the pacticipant's main branch. */
  mainBranch?: boolean;
  /** The versions currently deployed or released to this environment. */
  environment?: string;
}

/** An `ignore[]` entry of the matrix: a pacticipant (optionally one version) whose results must not block. */
export interface IgnoreSelector {
  pacticipant: string;
  version?: string;
}
