/**
 * @covenant/core — the Pact model (V1–V4), matching rules, generators and the matching engine.
 * Pure TypeScript: no native code, no Node-only modules.
 */

export type { CoreErrorCode, ErrorCatalog, ErrorDefinition } from './errors.js';
/* Errors */
export { CovenantError, coreError, coreErrors, errorFactory } from './errors.js';
/* Generators */
export { generateMessage, generateRequest, generateResponse } from './generate/apply.js';
export type { GeneratedValue, GeneratorContext, GeneratorMode } from './generate/value.js';
export { generateValue } from './generate/value.js';
export type { JsonParseResult } from './json/parse.js';
/* JSON */
export { parseJson } from './json/parse.js';
export type { JsonKind, JsonObject, JsonValue } from './json/value.js';
export {
  isIntegerNumber,
  isJsonNumber,
  isJsonObject,
  JsonNumber,
  jsonEquals,
  jsonKind,
  jsonTypeName,
  stringifyJson,
} from './json/value.js';
export { compareBody } from './matching/body.js';
export type { ActualMessage, ActualRequest, ActualResponse } from './matching/http.js';
/* Matching */
export { matchMessage, matchRequest, matchResponse } from './matching/http.js';
export { compareJson } from './matching/json.js';
export { detectContentType } from './matching/magic.js';
export type { MatchResult, Mismatch, MismatchCategory, MismatchCode } from './matching/mismatch.js';
export type { RenderOptions } from './matching/render.js';
export { describeRule, mismatchesToJson, renderMismatches } from './matching/render.js';
export { applyRule, applyRuleList, statusMatches } from './matching/rules.js';
export {
  binaryBody,
  bodyBytes,
  bodyJson,
  bodyText,
  effectiveContentType,
  isEmptyBody,
  jsonBody,
  MISSING_BODY,
  textBody,
} from './model/body.js';
export { base64Decode, base64Encode, utf8Decode, utf8Encode } from './model/bytes.js';
export type { BodyKind, MediaType } from './model/content-type.js';
export {
  bodyKindOf,
  contentTypeHeader,
  headerValues,
  isContentTypeKey,
  metadataContentType,
  parseMediaType,
  sniffContentType,
} from './model/content-type.js';
export { generatorsFromJson, generatorsToJson } from './model/generators.js';
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
export {
  hasNoRules,
  matchingRulesFromJson,
  matchingRulesToJson,
  ruleFromJson,
  ruleToJson,
  STATUS_RANGES,
} from './model/matching-rules.js';
export type { PathSegment, PathToken } from './model/path.js';
export { formatPath, parsePath, pathWeight } from './model/path.js';
export { formatQueryString, parseQueryString } from './model/query.js';
export {
  declaredVersion,
  messageContentsFromJson,
  pactFromJson,
  readPact,
  requestFromJson,
  responseFromJson,
} from './model/read.js';
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
export type { WritableVersion } from './model/write.js';
export { interactionToJson, pactToJson, pactToText } from './model/write.js';
/* URLs */
export type { UrlCredentials } from './url/credentials.js';
export { isHttpUrl, redactUrl, urlCredentials } from './url/credentials.js';
