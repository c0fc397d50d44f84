import { isJsonObject, type JsonObject, type JsonValue } from '../json/value.js';
import { CATEGORY_BY_KEY } from './categories.js';
import type { Generator, GeneratorCategoryName, Generators } from './types.js';

export class GeneratorFormatError extends Error {}

function generatorFromJson(json: JsonValue, where: string): Generator {
  if (!isJsonObject(json) || typeof json.type !== 'string') {
    throw new GeneratorFormatError(`the generator at ${where} needs a "type" string`);
  }
  return json as Generator;
}

const SINGLE = new Set<GeneratorCategoryName>(['method', 'path', 'status']);

/** Reads a `generators` object (V3/V4 form; the message category `content` is read as `body`). */
export function generatorsFromJson(json: JsonValue | undefined): Generators {
  const out: Generators = {};
  if (json === undefined || json === null) return out;
  if (!isJsonObject(json)) throw new GeneratorFormatError('generators must be an object');
  for (const [key, value] of Object.entries(json)) {
    const category = CATEGORY_BY_KEY[key];
    if (!category) throw new GeneratorFormatError(`unknown generator category '${key}'`);
    const map = (out[category] ??= new Map());
    if (SINGLE.has(category)) {
      map.set('', generatorFromJson(value, key));
      continue;
    }
    if (!isJsonObject(value)) throw new GeneratorFormatError(`generators.${key} must be an object`);
    for (const [path, generator] of Object.entries(value)) {
      map.set(path, generatorFromJson(generator, `${key} ${path}`));
    }
  }
  return out;
}

/** Writes generators in pact-file form; undefined when there are none. */
export function generatorsToJson(generators: Generators): JsonObject | undefined {
  const out: JsonObject = {};
  for (const name of Object.keys(generators) as GeneratorCategoryName[]) {
    const map = generators[name];
    if (!map || map.size === 0) continue;
    if (SINGLE.has(name)) {
      const only = map.get('');
      if (only) out[name] = { ...only };
      continue;
    }
    const category: JsonObject = {};
    for (const [key, generator] of map) category[key] = { ...generator };
    out[name] = category;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
