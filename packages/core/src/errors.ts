/**
 * Covenant's errors: every error a user can meet has a stable code, a message that says what
 * failed, and a hint that says what to do. Each package keeps a catalog like {@link coreErrors};
 * `docs/errors.md` lists them all and a test keeps the two in step.
 */
export interface ErrorDefinition {
  /** One line: what kind of failure this is. */
  title: string;
  /** What the user should do about it. */
  hint: string;
}

export type ErrorCatalog = Record<string, ErrorDefinition>;

/**
 * The error type thrown or returned by Covenant's packages. `message` reads as an instruction in
 * test output (`CODE: what failed` then `→ what to do`); `detail` and `hint` hold those two parts
 * alone, for callers that word or lay out errors themselves.
 *
 * @example
 * try { readPact(text, 'pacts/a-b.json') } catch (e) {
 *   if (e instanceof CovenantError && e.code === 'COV_CORE_PACT_INVALID') console.error(e.detail, e.hint)
 * }
 */
export class CovenantError extends Error {
  override readonly name = 'CovenantError';
  readonly code: string;
  /** What failed, the bare sentence: no code, no hint. */
  readonly detail: string;
  /** What to do about it (the catalog's hint). */
  readonly hint: string;
  /** Structured details (file, JSON path, expected…), for tools that render errors themselves. */
  readonly details: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    hint: string,
    details: Record<string, unknown> = {},
    cause?: unknown,
  ) {
    super(`${code}: ${message}\n  → ${hint}`, cause === undefined ? undefined : { cause });
    this.code = code;
    this.detail = message;
    this.hint = hint;
    this.details = details;
  }
}

/** Makes a function that builds errors of one catalog, so codes can't be misspelt. */
export function errorFactory<C extends ErrorCatalog>(catalog: C) {
  return (code: keyof C & string, message: string, details?: Record<string, unknown>, cause?: unknown) =>
    new CovenantError(code, message, catalog[code]!.hint, details, cause);
}

/** The errors `@covenant/core` raises. */
export const coreErrors = {
  COV_CORE_JSON_SYNTAX: {
    title: 'A pact file or body is not valid JSON',
    hint: 'Fix the JSON at the line and column shown; a JSON linter points at the exact character.',
  },
  COV_CORE_PACT_INVALID: {
    title: 'A pact file does not have the shape the Pact specification defines',
    hint: 'Fix the field named by the JSON path, or regenerate the pact with the consumer tests.',
  },
  COV_CORE_PACT_VERSION_UNSUPPORTED: {
    title: 'A pact file declares a specification version Covenant does not know',
    hint: 'Use a pact of specification 1.0.0 to 4.0; metadata.pactSpecification.version says which.',
  },
  COV_CORE_MATCHING_RULE_INVALID: {
    title: 'A matching rule is malformed',
    hint: 'Check the rule against the Pact specification: its "match" name and the options that matcher takes.',
  },
  COV_CORE_GENERATOR_INVALID: {
    title: 'A generator is malformed or cannot produce a value',
    hint: 'Check the generator\'s "type" and options (min/max, digits, size, regex, format, expression).',
  },
  COV_CORE_REGEX_UNSUPPORTED: {
    title: 'A regular expression cannot be run by JavaScript',
    hint: 'Rewrite the pattern without the construct named in the message; Covenant matches the whole value, so anchors are optional.',
  },
  COV_CORE_WRITE_UNSUPPORTED: {
    title: 'A pact cannot be written in the requested specification version',
    hint: 'Write it as V4 (which holds every interaction type), or remove what the older version cannot express.',
  },
} as const satisfies ErrorCatalog;

export type CoreErrorCode = keyof typeof coreErrors;

export const coreError = errorFactory(coreErrors);
