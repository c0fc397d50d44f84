import { parseJson } from '@covenant/core';

/** How one interaction fared in a verification. */
export interface InteractionResult {
  status: 'passed' | 'failed' | 'unknown';
  /** What did not match, in the verifier's words. */
  mismatches: string[];
}

/** An interaction of the stored pact: its broker-given `_id` and description. */
export interface PactInteractionRef {
  id: string | undefined;
  description: string;
}

type Entry = {
  id?: string | undefined;
  description?: string | undefined;
  passed: boolean | undefined;
  mismatches: string[];
};

const record = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A mismatch in words: a string as is, or an object's description (with where it was). */
function mismatchWords(m: unknown): string {
  if (typeof m === 'string') return m;
  const o = record(m);
  if (!o) return JSON.stringify(m);
  const what = text(o.description) ?? text(o.mismatch) ?? text(o.message) ?? JSON.stringify(o);
  const where = text(o.identifier) ?? text(o.path) ?? text(o.attribute) ?? text(o.type);
  return where && !what.includes(where) ? `${where}: ${what}` : what;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * The entries of a verification's `testResults`, in any of the formats verifiers send:
 * pact-reference's (pact-js 10 and later), pact-jvm's and Covenant's — a list of
 * `{interactionId, interactionDescription?, success, mismatches?, exceptions?}` — and the Ruby
 * verifier's `{tests: [{status, interactionDescription?, pactInteractionId?, exception?}]}`.
 */
function entriesOf(testResults: unknown): Entry[] {
  const ruby = record(testResults)?.tests;
  if (Array.isArray(ruby))
    return ruby.flatMap((t) => {
      const o = record(t);
      if (!o) return [];
      const status = text(o.status);
      const exception = record(o.exception);
      return [
        {
          id: text(o.pactInteractionId) ?? text(o.interactionId),
          description: text(o.interactionDescription) ?? text(o.testDescription),
          passed: status === 'passed' ? true : status === 'failed' ? false : undefined,
          mismatches: [
            ...list(o.mismatches).map(mismatchWords),
            ...(exception && text(exception.message) ? [text(exception.message)!] : []),
          ],
        },
      ];
    });
  return list(testResults).flatMap((t) => {
    const o = record(t);
    if (!o) return [];
    return [
      {
        id: text(o.interactionId),
        description: text(o.interactionDescription) ?? text(o.description),
        passed: typeof o.success === 'boolean' ? o.success : undefined,
        mismatches: [
          ...list(o.mismatches).map(mismatchWords),
          ...list(o.exceptions).map((e) => text(record(e)?.message) ?? mismatchWords(e)),
        ],
      },
    ];
  });
}

/**
 * Each interaction's result in a verification, matched by the interaction's `_id`, else by its
 * description; "unknown" when the verifier reported nothing for it (or nothing at all). When an
 * interaction appears more than once (Ruby reports each test), any failure fails it.
 *
 * @example interactionResults([{ interactionId: 'a1', success: false, mismatches: [{ description: 'expected 200' }] }], [{ id: 'a1', description: 'get' }])
 */
export function interactionResults(
  testResults: unknown,
  interactions: PactInteractionRef[],
): InteractionResult[] {
  const entries = entriesOf(testResults);
  return interactions.map((interaction) => {
    const own = entries.filter((e) =>
      e.id !== undefined && interaction.id !== undefined
        ? e.id === interaction.id
        : e.description === interaction.description,
    );
    const known = own.filter((e) => e.passed !== undefined);
    if (known.length === 0) return { status: 'unknown', mismatches: [] };
    const failed = known.some((e) => e.passed === false);
    return { status: failed ? 'failed' : 'passed', mismatches: own.flatMap((e) => e.mismatches) };
  });
}

/**
 * How many interactions a verification's `testResults` report as failed (each interaction once,
 * by its id, else its description); undefined when they report no outcome at all, so a caller
 * can leave the count unsaid rather than say "0".
 *
 * @example failedInteractionCount([{ interactionId: 'a', success: false }, { interactionId: 'b', success: true }]) // 1
 */
export function failedInteractionCount(testResults: unknown): number | undefined {
  const entries = entriesOf(testResults).filter((e) => e.passed !== undefined);
  if (entries.length === 0) return undefined;
  const failed = new Set(
    entries.filter((e) => e.passed === false).map((e, i) => e.id ?? e.description ?? `#${i}`),
  );
  return failed.size;
}

/** The interactions of stored pact content, with the `_id`s the broker gave them. */
export function interactionsOf(content: string): PactInteractionRef[] {
  const parsed = parseJson(content);
  if (!parsed.ok) return [];
  const json = parsed.value as { interactions?: unknown; messages?: unknown };
  const list = Array.isArray(json.interactions)
    ? json.interactions
    : Array.isArray(json.messages)
      ? json.messages
      : [];
  return list.map((i: unknown) => {
    const o = (i ?? {}) as { _id?: unknown; description?: unknown };
    return {
      id: typeof o._id === 'string' ? o._id : undefined,
      description: typeof o.description === 'string' ? o.description : '(no description)',
    };
  });
}

/** Stored `testResults` JSON text, parsed; undefined when absent or not JSON. */
export function parseTestResults(stored: string | null | undefined): unknown {
  if (!stored) return undefined;
  const parsed = parseJson(stored);
  return parsed.ok ? parsed.value : undefined;
}
