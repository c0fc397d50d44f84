import Ajv2019Module, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2019.js';
import addFormatsModule from 'ajv-formats';
import type { Json } from './json.js';
import type { SharedSchemas } from './schema.js';

// Both are CommonJS with `exports.default`; Node's ESM interop exposes the class as `.default`,
// bundlers for the browser expose it directly.
const Ajv2019 = Ajv2019Module.default ?? (Ajv2019Module as unknown as typeof Ajv2019Module.default);
const addFormats =
  addFormatsModule.default ?? (addFormatsModule as unknown as typeof addFormatsModule.default);

/** A schema validator that reports every failure, with a cache of compiled schemas by key. */
export class Validators {
  readonly #ajv: InstanceType<typeof Ajv2019>;
  readonly #compiled = new Map<string, ValidateFunction | null>();
  readonly #byText = new Map<string, ValidateFunction | null>();

  /** `coerce`: parameters arrive as strings, so `"42"` may stand for an integer. */
  constructor(coerce: boolean) {
    this.#ajv = new Ajv2019({
      allErrors: true,
      discriminator: true,
      strictSchema: false,
      coerceTypes: coerce,
      logger: false,
      // A referenced schema is compiled once and called, not compiled again into every schema using it.
      inlineRefs: false,
      // Compiling dominates a comparison's time. Documents' schemas are not checked against the
      // meta-schema (a broken one fails to compile and validates nothing, as a schema Ajv rejects
      // does), and the generated code runs a few times per schema, so it is not optimised.
      validateSchema: false,
      strict: false,
      code: { optimize: false },
    });
    addFormats(this.#ajv);
    // Swagger 2's array parameters carry it; it is not a validation keyword.
    this.#ajv.addKeyword({ keyword: 'collectionFormat', type: 'array' });
  }

  readonly #shared = new Set<string>();

  /** Registers schemas that compiled schemas refer to by `id` (once; Ajv compiles each target once). */
  share(shared: SharedSchemas): void {
    if (this.#shared.has(shared.id)) return;
    this.#shared.add(shared.id);
    // The document's schemas are checked where an operation uses them, as they are compiled.
    this.#ajv.addSchema(shared.root, shared.id, undefined, false);
  }

  /**
   * Validates `value` against the schema `build()` makes, compiled once per `key`. Gives the
   * failures (empty when valid). A schema Ajv cannot compile validates nothing.
   */
  check(key: string, build: () => Json, value: unknown): ErrorObject[] {
    let validate: ValidateFunction | null | undefined = this.#compiled.get(key);
    if (validate === undefined) {
      // Documents repeat schemas (an integer id, a shared body): each distinct one compiles once.
      const schema = build();
      const text = JSON.stringify(schema);
      validate = this.#byText.get(text);
      if (validate === undefined) {
        validate = this.compile(schema);
        this.#byText.set(text, validate);
      }
      this.#compiled.set(key, validate);
    }
    if (validate === null || validate(value)) return [];
    return validate.errors ?? [];
  }

  /**
   * Compiles a schema; when Ajv refuses a discriminator (a branch without a `const` tag), the
   * schema is compiled as plain `oneOf`s instead, and a schema Ajv cannot compile at all is null.
   */
  private compile(schema: Json): ValidateFunction | null {
    try {
      return this.#ajv.compile(schema);
    } catch {
      try {
        return this.#ajv.compile(withoutDiscriminators(schema));
      } catch {
        return null;
      }
    }
  }
}

function withoutDiscriminators(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(withoutDiscriminators);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key !== 'discriminator') out[key] = withoutDiscriminators(value);
  }
  return out;
}

/** An Ajv failure as a sentence (`must NOT have additional properties - nickname`). */
export function failureText(error: ErrorObject): string {
  return error.keyword === 'additionalProperties'
    ? `${error.message} - ${(error.params as { additionalProperty: string }).additionalProperty}`
    : (error.message ?? error.keyword);
}

/** The failing value's location as a suffix (`/items/0` → `.items.0`). */
export function instanceSuffix(error: ErrorObject): string {
  return error.instancePath.replace(/\//g, '.');
}

/** The failing keyword's location in the schema (`#/properties/id/type` → `properties.id.type`). */
export function schemaSuffix(error: ErrorObject): string {
  return error.schemaPath.replace(/\//g, '.').substring(2);
}
