/**
 * @covenant/core — the Pact model (V1–V4), matching rules, generators and the matching engine.
 * Pure TypeScript: no native code, no Node-only modules.
 */

/* Errors */
export { CovenantError, coreError, coreErrors, errorFactory } from './errors.js';
export type { CoreErrorCode, ErrorCatalog, ErrorDefinition } from './errors.js';

/* JSON */
export { parseJson } from './json/parse.js';
export type { JsonParseResult } from './json/parse.js';
export {
  JsonNumber,
  isIntegerNumber,
  isJsonNumber,
  isJsonObject,
  jsonEquals,
  jsonKind,
  jsonTypeName,
  stringifyJson,
} from './json/value.js';
export type { JsonKind, JsonObject, JsonValue } from './json/value.js';

/* Pact model */
export type {
  AsynchronousMessageInteraction,
  Body,
  BodyContent,
  Generator,
  GeneratorCategoryName,
  Generators,
  Headers,
  HttpRequest,
  HttpResponse,
  Interaction,
  MessageContents,
  Pact,
  ProviderState,
  Query,
  SpecVersion,
  SynchronousHttpInteraction,
  SynchronousMessageInteraction,
} from './model/types.js';
export {
  MISSING_BODY,
  binaryBody,
  bodyBytes,
  bodyJson,
  bodyText,
  effectiveContentType,
  isEmptyBody,
  jsonBody,
  textBody,
} from './model/body.js';
export { base64Decode, base64Encode, utf8Decode, utf8Encode } from './model/bytes.js';
export { bodyKindOf, contentTypeHeader, headerValues, parseMediaType, sniffContentType } from './model/content-type.js';
export type { BodyKind, MediaType } from './model/content-type.js';
export {
  STATUS_RANGES,
  hasNoRules,
  matchingRulesFromJson,
  matchingRulesToJson,
  ruleFromJson,
  ruleToJson,
} from './model/matching-rules.js';
export type {
  ArrayContainsVariant,
  MatchingRule,
  MatchingRules,
  RuleCategory,
  RuleCategoryName,
  RuleList,
  RulePath,
  StatusRange,
} from './model/matching-rules.js';
export { generatorsFromJson, generatorsToJson } from './model/generators.js';
export { formatPath, parsePath, pathWeight } from './model/path.js';
export type { PathSegment, PathToken } from './model/path.js';
export { formatQueryString, parseQueryString } from './model/query.js';
export {
  declaredVersion,
  messageContentsFromJson,
  pactFromJson,
  readPact,
  requestFromJson,
  responseFromJson,
} from './model/read.js';
export { pactToJson, pactToText } from './model/write.js';
export type { WritableVersion } from './model/write.js';

/* Matching */
export { matchMessage, matchRequest, matchResponse } from './matching/http.js';
export type { ActualMessage, ActualRequest, ActualResponse } from './matching/http.js';
export { compareBody } from './matching/body.js';
export { compareJson } from './matching/json.js';
export { applyRule, applyRuleList, statusMatches } from './matching/rules.js';
export { detectContentType } from './matching/magic.js';
export type { MatchResult, Mismatch, MismatchCategory, MismatchCode } from './matching/mismatch.js';

/* Generators */
export { generateMessage, generateRequest, generateResponse } from './generate/apply.js';
export { generateValue } from './generate/value.js';
export type { GeneratedValue, GeneratorContext, GeneratorMode } from './generate/value.js';
export { mismatchesToJson, renderMismatches } from './matching/render.js';
export type { RenderOptions } from './matching/render.js';
