import { AsyncApiComparison } from './asyncapi.js';
import { readConfig } from './config.js';
import { recogniseProviderContract } from './documents.js';
import { contractsError } from './errors.js';
import type { Json } from './json.js';
import { OpenApiComparison } from './openapi.js';
import { readPactCases } from './pact.js';
import type { ContractResult } from './result.js';
import { Validators } from './validator.js';

/** The provider contracts to compare pacts with; either may be absent. */
export interface ProviderContracts {
  /** An OpenAPI 3.x or Swagger 2.0 document (parsed). */
  openapi?: unknown;
  /** An AsyncAPI 3.x document (parsed). */
  asyncapi?: unknown;
}

/**
 * Compares pacts with a provider's contracts (its OpenAPI and/or AsyncAPI document): the heart of
 * bi-directional contract testing. Build one per set of documents and compare every pact with it;
 * routes and compiled schemas are shared between pacts.
 *
 * HTTP interactions are checked against the OpenAPI document, message interactions against the
 * AsyncAPI one. When only one of the two is given, interactions of the other kind are not
 * checked; when neither is, each interaction gets `request.spec.missing` or `message.spec.missing`.
 *
 * @example
 * const comparator = new ContractComparator({ openapi: readProviderContract(text).document });
 * const results = comparator.compare(JSON.parse(pactText));
 * const compatible = results.every((r) => r.type !== 'error');
 */
export class ContractComparator {
  readonly #openapi: OpenApiComparison | undefined;
  readonly #asyncapi: AsyncApiComparison | undefined;

  constructor(contracts: ProviderContracts = {}) {
    const strict = new Validators(false);
    if (contracts.openapi !== undefined) {
      const { kind, document } = recogniseProviderContract(contracts.openapi, 'the OpenAPI document');
      if (kind !== 'openapi') throw notA('OpenAPI', 'the OpenAPI document');
      this.#openapi = new OpenApiComparison(document, readConfig(document), new Validators(true), strict);
    }
    if (contracts.asyncapi !== undefined) {
      const { kind, document } = recogniseProviderContract(contracts.asyncapi, 'the AsyncAPI document');
      if (kind !== 'asyncapi') throw notA('AsyncAPI 3.x', 'the AsyncAPI document');
      this.#asyncapi = new AsyncApiComparison(document as Json, strict);
    }
  }

  /** Every result for one pact (parsed JSON), interaction by interaction. */
  compare(pact: unknown, source = 'the pact'): ContractResult[] {
    const out: ContractResult[] = [];
    for (const c of readPactCases(pact, source)) {
      if (c.kind === 'http') {
        if (this.#openapi) out.push(...this.#openapi.compare(c));
        else if (!this.#asyncapi)
          out.push(
            specMissing(
              c,
              'request.spec.missing',
              'No OpenAPI document provided to validate HTTP interaction',
            ),
          );
      } else if (this.#asyncapi) {
        out.push(...(c.kind === 'async' ? this.#asyncapi.compareAsync(c) : this.#asyncapi.compareSync(c)));
      } else if (!this.#openapi) {
        out.push(
          specMissing(
            c,
            'message.spec.missing',
            `No AsyncAPI document provided to validate ${c.kind} interaction`,
          ),
        );
      }
    }
    return out;
  }
}

/**
 * Compares one pact with a provider's contracts (see {@link ContractComparator}).
 *
 * @example
 * const results = compareContracts(pact, { openapi, asyncapi });
 */
export function compareContracts(pact: unknown, contracts: ProviderContracts): ContractResult[] {
  return new ContractComparator(contracts).compare(pact);
}

function specMissing(
  c: { index: number; description: string | null; state: string | null },
  code: 'request.spec.missing' | 'message.spec.missing',
  message: string,
): ContractResult {
  return {
    code,
    type: 'error',
    message,
    interaction: { index: c.index, description: c.description, state: c.state },
    pactLocation: `[root].interactions[${c.index}]`,
    specLocation: '[root]',
  };
}

function notA(kind: string, source: string) {
  return contractsError('COV_CONTRACTS_SPEC_INVALID', `${source} is not an ${kind} document`, { source });
}
