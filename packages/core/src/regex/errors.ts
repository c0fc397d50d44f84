/**
 * Errors raised while reading, translating or generating from a pattern. They are thrown inside the
 * module and turned into `{ ok: false, error }` / `{ error }` results at the public boundary.
 */
export class RegexError extends Error {
  override readonly name = 'RegexError';

  private constructor(
    readonly kind: 'syntax' | 'unsupported' | 'generation',
    message: string,
    /** UTF-16 index in the pattern where the problem starts; -1 when not tied to a position. */
    readonly index: number,
  ) {
    super(message);
  }

  /** The pattern is not a valid Java/Oniguruma regex. */
  static syntax(index: number, problem: string): RegexError {
    return new RegexError('syntax', `${problem} at index ${index}`, index);
  }

  /** The pattern is valid, but uses a construct JavaScript cannot run. */
  static unsupported(index: number, construct: string, advice = ''): RegexError {
    const tail = advice === '' ? '' : ` (${advice})`;
    return new RegexError(
      'unsupported',
      `${construct} at index ${index} is not supported in JavaScript; rewrite the pattern without ${construct}${tail}`,
      index,
    );
  }

  /** Generating a value failed for a reason not tied to one position. */
  static generation(problem: string): RegexError {
    return new RegexError('generation', problem, -1);
  }

  /** The message with the pattern, as shown to users. */
  describe(pattern: string): string {
    switch (this.kind) {
      case 'syntax':
        return `Invalid regex '${pattern}': ${this.message}`;
      case 'unsupported':
        return `Unsupported regex '${pattern}': ${this.message}`;
      case 'generation':
        return `Cannot generate a value for regex '${pattern}': ${this.message}`;
    }
  }
}
