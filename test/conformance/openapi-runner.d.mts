export const openapiRoot: string;
export interface OpenApiCaseResult {
  id: string;
  ok: boolean;
  missing: string[];
  extra: string[];
  error?: string;
}
export function listOpenApiCases(root?: string): string[];
export function runOpenApiCase(id: string, root?: string): OpenApiCaseResult;
export function runAllOpenApiCases(root?: string): {
  total: number;
  passed: number;
  failed: string[];
  results: OpenApiCaseResult[];
};
