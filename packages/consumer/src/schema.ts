// fromSchema(): the response matchers a schema implies, so the contract follows the model the
// client already validates with. zod (v4) is never imported: a zod schema converts itself with its
// own toJSONSchema(); anything else is taken as a JSON Schema (valibot, arktype… export one).
import type { JsonObject, JsonValue } from '@covenant/core';
import { consumerError } from './errors.js';
import {
  atLeastLike,
  atMostLike,
  boolean,
  constrainedArrayLike,
  email,
  equal,
  integer,
  ipv4Address,
  ipv6Address,
  isMatcher,
  iso8601Date,
  like,
  type Matcher,
  nullValue,
  number,
  regex,
  string,
  uuid,
} from './matchers.js';

/** The output type of a Standard Schema (zod v4, valibot, arktype…); JSON for a plain JSON Schema. */
export type SchemaOutput<S> = S extends { readonly '~standard': { readonly types?: infer T } }
  ? NonNullable<T> extends { readonly output: infer O }
    ? O
    : JsonValue
  : JsonValue;

export interface FromSchemaOptions {
  /**
   * Receives what the contract cannot say as the schema does (the documented fallbacks: extra
   * properties allowed, numeric bounds and unknown formats not checked). Default `console.warn`.
   */
  onWarning?: (message: string) => void;
}

type Schema = JsonObject;

// Keywords with no matcher that says the same thing: refused, never dropped.
const UNSUPPORTED = [
  'not',
  'if',
  'then',
  'else',
  'patternProperties',
  'dependentSchemas',
  'dependentRequired',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contains',
  'prefixItems',
  'allOf',
  'oneOf',
  'multipleOf',
  'uniqueItems',
] as const;

// zod writes these bounds on every z.number().int(): they say "a safe integer", not a range.
const SAFE_BOUNDS = new Set([Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]);

const DATE_TIME = '\\d{4}-[01]\\d-[0-3]\\dT[0-2]\\d:[0-5]\\d:[0-5]\\d(?:\\.\\d+)?(?:Z|[+-]\\d{2}:\\d{2})';
const TIME = '[0-2]\\d:[0-5]\\d:[0-5]\\d(?:\\.\\d+)?(?:Z|[+-]\\d{2}:\\d{2})?';
const URI = '[A-Za-z][A-Za-z0-9+.-]*:[^\\s]*';

/** Format matchers, each with the example it generates. */
const FORMATS: Record<string, { make: (example: string) => Matcher<string>; example: string }> = {
  uuid: { make: (e) => uuid(e), example: 'fc763eba-0905-41c5-a27f-3934ab26786c' },
  email: { make: (e) => email(e), example: 'hello@pact.io' },
  'date-time': { make: (e) => regex(DATE_TIME, e), example: '2015-08-06T16:53:10Z' },
  date: { make: (e) => iso8601Date(e), example: '2015-08-06' },
  time: { make: (e) => regex(TIME, e), example: '16:53:10' },
  ipv4: { make: (e) => ipv4Address(e), example: '127.0.0.13' },
  ipv6: { make: (e) => ipv6Address(e), example: '::ffff:192.0.2.128' },
  uri: { make: (e) => regex(URI, e), example: 'https://example.com/a' },
  url: { make: (e) => regex(URI, e), example: 'https://example.com/a' },
};

const NOTHING = Symbol('no example');
type Example = JsonValue | typeof NOTHING;

class Converter {
  readonly warnings: string[] = [];
  private readonly resolving = new Set<string>();

  constructor(private readonly root: Schema) {}

  unsupported(path: string, what: string): never {
    throw consumerError(
      'COV_CONSUMER_SCHEMA_UNSUPPORTED',
      `fromSchema(): ${what} at ${path} has no matcher that says the same thing, and Covenant will not write a weaker contract`,
      { path },
    );
  }

  badExample(path: string, what: string): never {
    throw consumerError(
      'COV_CONSUMER_SCHEMA_EXAMPLE_INVALID',
      `fromSchema(): the example at ${path} ${what}`,
      {
        path,
      },
    );
  }

  private resolve(schema: Schema, path: string): Schema {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return schema;
    const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
    const target = match
      ? (this.root[match[1]!] as JsonObject | undefined)?.[match[2]!]
      : ref === '#'
        ? this.root
        : undefined;
    if (!target || typeof target !== 'object' || Array.isArray(target))
      this.unsupported(path, `the reference ${ref} (only local #/$defs references are followed)`);
    if (this.resolving.has(ref)) this.unsupported(path, `the recursive reference ${ref}`);
    return target as Schema;
  }

  convert(input: Schema | boolean, example: Example, path: string): unknown {
    if (typeof input === 'boolean') this.unsupported(path, `the schema ${input}`);
    const ref = typeof input.$ref === 'string' ? input.$ref : undefined;
    const schema = this.resolve(input, path);
    if (ref) this.resolving.add(ref);
    try {
      return this.convertResolved(schema, example, path);
    } finally {
      if (ref) this.resolving.delete(ref);
    }
  }

  private convertResolved(schema: Schema, example: Example, path: string): unknown {
    for (const keyword of UNSUPPORTED)
      if (schema[keyword] !== undefined && !(keyword === 'allOf' && isSingle(schema.allOf)))
        this.unsupported(path, `'${keyword}'`);
    if (Array.isArray(schema.allOf)) return this.convert(schema.allOf[0] as Schema, example, path);

    // nullable: anyOf [X, null] or type [X, 'null']
    const nullableOf = nullableInner(schema);
    if (nullableOf) {
      if (example === null) return nullable(this, this.convert(nullableOf, NOTHING, path), path);
      return nullable(this, this.convert(nullableOf, example, path), path);
    }
    if (schema.anyOf !== undefined) this.unsupported(path, "'anyOf' (other than X or null)");

    if (schema.const !== undefined) {
      if (example !== NOTHING && JSON.stringify(example) !== JSON.stringify(schema.const))
        this.badExample(
          path,
          `is ${JSON.stringify(example)}, but the schema wants ${JSON.stringify(schema.const)}`,
        );
      return equal(schema.const as never);
    }
    if (Array.isArray(schema.enum)) return this.enumeration(schema.enum, example, path);

    if (Array.isArray(schema.type))
      this.unsupported(path, `the union of types ${JSON.stringify(schema.type)} (only X or null)`);
    const type = typeOf(schema);
    switch (type) {
      case 'object':
        return this.object(schema, example, path);
      case 'array':
        return this.array(schema, example, path);
      case 'string':
        return this.string(schema, example, path);
      case 'integer':
      case 'number':
        return this.number(schema, type, example, path);
      case 'boolean':
        if (example !== NOTHING && typeof example !== 'boolean') this.badExample(path, 'is not a boolean');
        return boolean(example === NOTHING ? true : (example as boolean));
      case 'null':
        if (example !== NOTHING && example !== null) this.badExample(path, 'is not null');
        return nullValue();
      default:
        return this.unsupported(
          path,
          type === undefined ? 'a schema with no type' : `the type ${JSON.stringify(type)}`,
        );
    }
  }

  private enumeration(values: JsonValue[], example: Example, path: string): Matcher<string> {
    if (!values.every((v) => typeof v === 'string') || values.length === 0)
      this.unsupported(path, 'an enum of values other than strings');
    const strings = values as string[];
    if (example !== NOTHING && !strings.includes(example as string))
      this.badExample(
        path,
        `is ${JSON.stringify(example)}, not one of ${strings.map((s) => JSON.stringify(s)).join(', ')}`,
      );
    const pattern = strings.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    return regex(`^(?:${pattern})$`, example === NOTHING ? strings[0]! : (example as string));
  }

  private object(schema: Schema, example: Example, path: string): unknown {
    if (example !== NOTHING && (typeof example !== 'object' || example === null || Array.isArray(example)))
      this.badExample(path, 'is not an object');
    const given = example === NOTHING ? undefined : (example as JsonObject);
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
    if (schema.additionalProperties === false)
      this.warnings.push(
        `${path}: extra properties are allowed (a pact's object matching always lets the provider add fields)`,
      );
    else if (typeof schema.additionalProperties === 'object' && Object.keys(properties).length === 0)
      this.unsupported(path, "'additionalProperties' with a schema (a map)");
    const out: Record<string, unknown> = {};
    for (const [name, child] of Object.entries(properties)) {
      const childPath = `${path}.${name}`;
      if (given && name in given) out[name] = this.convert(child, given[name]!, childPath);
      else if (required.has(name)) {
        if (given) this.badExample(path, `has no property '${name}', which the schema requires`);
        out[name] = this.convert(child, NOTHING, childPath);
      }
    }
    if (given)
      for (const name of Object.keys(given))
        if (!(name in properties) && schema.additionalProperties === false)
          this.badExample(path, `has the property '${name}', which the schema does not allow`);
    return out;
  }

  private array(schema: Schema, example: Example, path: string): unknown {
    if (example !== NOTHING && !Array.isArray(example)) this.badExample(path, 'is not an array');
    const items = schema.items;
    if (items === undefined || typeof items !== 'object' || Array.isArray(items))
      this.unsupported(path, 'an array without one items schema');
    const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
    const max = typeof schema.maxItems === 'number' ? schema.maxItems : undefined;
    const given = example === NOTHING ? undefined : (example as JsonValue[]);
    if (given && (given.length < min || (max !== undefined && given.length > max)))
      this.badExample(path, `has ${given.length} items; the schema wants ${min} to ${max ?? 'any number'}`);
    const first = given && given.length > 0 ? given[0]! : NOTHING;
    given?.slice(1).forEach((item, n) => {
      this.convert(items as Schema, item, `${path}[${n + 1}]`);
    });
    const element = this.convert(items as Schema, first, `${path}[0]`);
    const count = given?.length ?? Math.max(min, max === 0 ? 0 : 1);
    if (max !== undefined && min > 0) return constrainedArrayLike(element, min, max, count);
    if (max !== undefined) return atMostLike(element, max, count);
    return atLeastLike(element, min, count);
  }

  private string(schema: Schema, example: Example, path: string): Matcher<string> {
    if (example !== NOTHING && typeof example !== 'string') this.badExample(path, 'is not a string');
    const format = typeof schema.format === 'string' ? schema.format : undefined;
    const pattern = typeof schema.pattern === 'string' ? schema.pattern : undefined;
    const known = format ? FORMATS[format] : undefined;
    if (format && !known && !pattern)
      this.warnings.push(`${path}: the format '${format}' is not checked (matched as any string)`);
    let value = example === NOTHING ? undefined : (example as string);
    if (value === undefined) {
      if (known) value = known.example;
      else if (pattern)
        throw consumerError(
          'COV_CONSUMER_SCHEMA_UNSUPPORTED',
          `fromSchema(): cannot generate an example at ${path} for the pattern /${pattern}/: pass fromSchema an example`,
          { path },
        );
      else {
        const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
        const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
        value = 'some string'.padEnd(minLength, 'x').slice(0, maxLength);
      }
    }
    const lengths = lengthPattern(schema);
    const wrap = (make: () => Matcher<string>) => {
      try {
        return make();
      } catch (error) {
        return this.badExample(path, `is ${JSON.stringify(value)}: ${(error as Error).message}`);
      }
    };
    // the schema's own pattern is exact; a format matcher stands in only where there is none
    let matcher = wrap(() => (pattern ? regex(pattern, value!) : known ? known.make(value!) : string(value)));
    if (pattern && new RegExp(pattern, 'u').exec(value!) === null)
      this.badExample(path, `is ${JSON.stringify(value)}, which does not match /${pattern}/`);
    if (lengths) {
      const bounded = wrap(() => regex(lengths, value!));
      matcher = isTypeOnly(matcher) ? bounded : { ...matcher, rules: [...matcher.rules, ...bounded.rules] };
    }
    return matcher;
  }

  private number(
    schema: Schema,
    type: 'integer' | 'number',
    example: Example,
    path: string,
  ): Matcher<number> {
    if (
      example !== NOTHING &&
      (typeof example !== 'number' || (type === 'integer' && !Number.isInteger(example)))
    )
      this.badExample(path, `is not ${type === 'integer' ? 'an integer' : 'a number'}`);
    const bounds = (['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const).filter(
      (k) => typeof schema[k] === 'number' && !SAFE_BOUNDS.has(schema[k] as number),
    );
    if (bounds.length > 0)
      this.warnings.push(`${path}: ${bounds.join(' and ')} not checked (no range matcher)`);
    const low =
      typeof schema.minimum === 'number' && !SAFE_BOUNDS.has(schema.minimum) ? schema.minimum : undefined;
    const value = example === NOTHING ? Math.max(low ?? 1, 1) : (example as number);
    if (example !== NOTHING && low !== undefined && value < low)
      this.badExample(path, `is below the minimum ${low}`);
    const high =
      typeof schema.maximum === 'number' && !SAFE_BOUNDS.has(schema.maximum) ? schema.maximum : undefined;
    if (example !== NOTHING && high !== undefined && value > high)
      this.badExample(path, `is above the maximum ${high}`);
    return type === 'integer' ? integer(value) : number(value);
  }
}

function isSingle(value: unknown): boolean {
  return Array.isArray(value) && value.length === 1;
}

function typeOf(schema: Schema): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (schema.properties !== undefined) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

function nullableInner(schema: Schema): Schema | undefined {
  if (Array.isArray(schema.anyOf) && schema.anyOf.length === 2) {
    const [a, b] = schema.anyOf as Schema[];
    if (b?.type === 'null') return a;
    if (a?.type === 'null') return b;
  }
  if (Array.isArray(schema.type) && schema.type.length === 2 && schema.type.includes('null')) {
    return { ...schema, type: schema.type.find((t) => t !== 'null')! };
  }
  return undefined;
}

function lengthPattern(schema: Schema): string | undefined {
  const min = typeof schema.minLength === 'number' ? schema.minLength : undefined;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
  if (min === undefined && max === undefined) return undefined;
  return `^[\\s\\S]{${min ?? 0},${max ?? ''}}$`;
}

function isTypeOnly(matcher: Matcher<unknown>): boolean {
  return matcher.rules.length === 1 && matcher.rules[0]!.match === 'type';
}

/** X or null: X's one rule OR the null rule (a matcher with several rules would lose them under OR). */
function nullable(converter: Converter, inner: unknown, path: string): Matcher<unknown> {
  const matcher = isMatcher(inner) ? inner : like(inner as never);
  if (matcher.rules.length !== 1 || matcher.combine !== 'AND')
    converter.unsupported(path, 'a nullable value with several rules (e.g. a pattern and a length)');
  return { ...matcher, rules: [...matcher.rules, { match: 'null' }], combine: 'OR' };
}

/**
 * The matchers a schema implies, for a response body: types, formats (uuid, email, date-time,
 * date, time, ipv4, ipv6, uri), patterns as regex, string enums, nullable values, array bounds
 * (atLeastLike / atMostLike / constrainedArrayLike), nested objects and arrays. Takes a zod v4
 * schema (converted by its own `toJSONSchema()`; zod is never imported here) or a JSON Schema.
 * Without an example one is generated (a string with a pattern and no known format needs one
 * given); a given example is checked against the schema. A nullable value's example is never null
 * in the pact (null has no type to match the value against), so a given null stands for a generated value;
 * (COV_CONSUMER_SCHEMA_EXAMPLE_INVALID). A construct with no matcher equivalent (`not`, `oneOf`,
 * `if`/`then`/`else`, `patternProperties`, …) is COV_CONSUMER_SCHEMA_UNSUPPORTED naming its path.
 * Documented fallbacks, each said in a warning: extra properties stay allowed, numeric bounds and
 * unknown formats are not checked, optional properties appear only when the example has them.
 *
 * @example
 * const User = z.object({ id: z.uuid(), name: z.string(), tags: z.array(z.string()).min(1) });
 * res.jsonBody(fromSchema(User)); // Matcher<{ id: string; name: string; tags: string[] }>
 */
export function fromSchema<S>(
  schema: S,
  example?: SchemaOutput<S>,
  options: FromSchemaOptions = {},
): Matcher<SchemaOutput<S>> {
  const toJsonSchema = (schema as { toJSONSchema?: unknown } | null)?.toJSONSchema;
  const json = (typeof toJsonSchema === 'function' ? toJsonSchema.call(schema) : schema) as Schema | boolean;
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw consumerError(
      'COV_CONSUMER_SCHEMA_UNSUPPORTED',
      `fromSchema() needs a zod v4 schema or a JSON Schema object, got ${json === null ? 'null' : typeof json}`,
      { path: '$' },
    );
  const converter = new Converter(json);
  const template = converter.convert(json, example === undefined ? NOTHING : (example as JsonValue), '$');
  if (converter.warnings.length > 0)
    (options.onWarning ?? console.warn)(
      `Covenant fromSchema(): the contract is looser than the schema here (documented fallbacks):\n${converter.warnings.map((w) => `  - ${w}`).join('\n')}`,
    );
  return (isMatcher(template) ? template : like(template as never)) as Matcher<SchemaOutput<S>>;
}
