/**
 * Errors raised while reading or translating a pattern. They are thrown inside the module and
 * turned into `{ ok: false, error }` results at the public boundary, with the pattern in the text.
 */
export class RegexError extends Error {
  override readonly name = 'RegexError';

  private constructor(
    message: string,
    /** UTF-16 index in the pattern where the problem starts. */
    readonly index: number,
  ) {
    super(message);
  }

  /** The pattern is not a valid Java/Oniguruma regex. */
  static syntax(index: number, problem: string): RegexError {
    return new RegexError(`${problem} at index ${index}`, index);
  }

  /** Generating a value failed for a reason not tied to one position. */
  static generation(problem: string): RegexError {
    return new RegexError(problem, -1);
  }

  /** The pattern is valid, but uses a construct JavaScript cannot run. */
  static unsupported(index: number, construct: string, advice = ''): RegexError {
    const tail = advice === '' ? '' : ` (${advice})`;
    return new RegexError(
      `${construct} at index ${index} is not supported in JavaScript; rewrite the pattern without ${construct}${tail}`,
      index,
    );
  }
}
