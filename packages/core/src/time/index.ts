/**
 * Java-style date/time patterns and Pact date/time expressions, for the `date`, `time` and
 * `datetime`/`timestamp` matchers and the `Date`, `Time` and `DateTime` generators.
 */

export { type ExpressionKind, evaluateDateExpression } from './expression.js';
export { formatJavaPattern, isoDate, isoDateTime, isoTime } from './format.js';
export { type MatchResult, matchesJavaPattern } from './parse.js';
export {
  type CompiledPattern,
  compileJavaPattern,
  DEFAULT_DATE_FORMAT,
  DEFAULT_DATETIME_FORMAT,
  DEFAULT_TIME_FORMAT,
  type FieldToken,
  type LiteralToken,
  type OptionalEndToken,
  type OptionalStartToken,
  type PatternLetter,
  type PatternToken,
} from './pattern.js';
