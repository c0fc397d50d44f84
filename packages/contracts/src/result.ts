/** Codes for results that mean the pact is not compatible with the provider contract. */
export type ErrorResultCode =
  | 'message.headers.incompatible'
  | 'message.no.match'
  | 'message.operation.unknown'
  | 'message.payload.incompatible'
  | 'message.references.missing'
  | 'message.reply.missing'
  | 'message.spec.missing'
  | 'request.accept.incompatible'
  | 'request.authorization.missing'
  | 'request.body.incompatible'
  | 'request.content-type.incompatible'
  | 'request.header.incompatible'
  | 'request.path-or-method.unknown'
  | 'request.query.incompatible'
  | 'request.spec.missing'
  | 'response.body.incompatible'
  | 'response.body.unknown'
  | 'response.content-type.incompatible'
  | 'response.header.incompatible'
  | 'response.header.unknown'
  | 'response.status.unknown';

/** Codes for results that are compatible but worth a look. */
export type WarningResultCode =
  | 'message.payload.unknown'
  | 'message.payload.unvalidatable'
  | 'message.response.missing'
  | 'request.accept.unknown'
  | 'request.body.unknown'
  | 'request.body.unvalidatable'
  | 'request.content-type.missing'
  | 'request.content-type.unknown'
  | 'request.header.unknown'
  | 'request.query.unknown'
  | 'response.body.unvalidatable'
  | 'response.content-type.unknown'
  | 'response.header.undefined'
  | 'response.status.default';

/**
 * The result codes, in the vocabulary of PactFlow's comparator (`@pactflow/openapi-pact-comparator`)
 * so that people coming from PactFlow recognise them.
 */
export type ResultCode = ErrorResultCode | WarningResultCode | 'message.matched';

/**
 * One finding of a comparison, as data.
 *
 * @example
 * {
 *   code: 'response.status.unknown', type: 'error',
 *   message: 'Response status code not defined in spec file: 404',
 *   interaction: { index: 0, description: 'a health check', state: null },
 *   pactLocation: '[root].interactions[0].response.status',
 *   specLocation: '[root].paths./health.get.responses',
 * }
 */
export interface ContractResult {
  code: ResultCode;
  /** `error`: not compatible; `warning`: compatible but worth a look; `info`: e.g. `message.matched`. */
  type: 'error' | 'warning' | 'info';
  message: string;
  /**
   * The interaction the result is about. `description` is null for results that concern no single
   * interaction (`message.matched` names a spec message); `index` still says which interaction
   * was being compared when there was one.
   */
  interaction: { index: number | null; description: string | null; state: string | null };
  /** Where in the pact (`[root].interactions[2].response.body.id`), or null. */
  pactLocation: string | null;
  /** Where in the spec (`[root].paths./pets/{id}.get.responses.200.content.application/json.schema.type`). */
  specLocation: string;
}
