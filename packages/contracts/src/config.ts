import { isObject, type Json } from './json.js';

/**
 * The comparator's compatibility switches, set per document with `x-opc-config-<name>` fields in
 * its `info` (PactFlow's "quirks mode"). All are off unless a document turns them on.
 */
export interface ComparisonConfig {
  /** `x-opc-config-base-path`: a prefix every path of the document is served under. */
  basePath: string | undefined;
  caseInsensitive: boolean;
  ignoreTrailingSlash: boolean;
  ignoreDuplicateSlashes: boolean;
  noPercentEncoding: boolean;
  noAuthorizationSchema: boolean;
  noValidateComplexParameters: boolean;
  noTransformNonNullableResponseSchema: boolean;
  noValidateRequestBodyUnlessApplicationJson: boolean;
  disableMultipartFormdata: boolean;
  castObjectsInPact: boolean;
  legacyParser: boolean;
}

/** Reads the `x-opc-config-*` switches of an OpenAPI document's `info`. */
export function readConfig(document: Json): ComparisonConfig {
  const info: Record<string, Json> = isObject(document?.info) ? document.info : {};
  const on = (name: string) => info[`x-opc-config-${name}`] === true;
  const basePath = info['x-opc-config-base-path'];
  return {
    basePath: typeof basePath === 'string' && basePath !== '' ? basePath : undefined,
    caseInsensitive: on('case-insensitive'),
    ignoreTrailingSlash: on('ignore-trailing-slash'),
    ignoreDuplicateSlashes: on('ignore-duplicate-slashes'),
    noPercentEncoding: on('no-percent-encoding'),
    noAuthorizationSchema: on('no-authorization-schema'),
    noValidateComplexParameters: on('no-validate-complex-parameters'),
    noTransformNonNullableResponseSchema: on('no-transform-non-nullable-response-schema'),
    noValidateRequestBodyUnlessApplicationJson: on('no-validate-request-body-unless-application-json'),
    disableMultipartFormdata: on('disable-multipart-formdata'),
    castObjectsInPact: on('cast-objects-in-pact'),
    legacyParser: on('legacy-parser'),
  };
}
