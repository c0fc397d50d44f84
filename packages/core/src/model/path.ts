/**
 * Pact path expressions (`$.items[*].id`, `$['a b'].c`, `$.foo.@attr`) and the weighting that
 * decides which rule applies to a value, as pact-reference defines them.
 */
export type PathToken =
  | { kind: 'root' }
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'star' }
  | { kind: 'starIndex' };

export type PathParseResult = { ok: true; tokens: PathToken[] } | { ok: false; error: string };

const IDENTIFIER = /[A-Za-z0-9_\-:@#$]/;

/**
 * Parses a path expression. A path without a leading `$` is taken as `$.path`.
 *
 * @example parsePath("$.animals[*]['first name']")
 */
export function parsePath(expression: string): PathParseResult {
  let text = expression.trim();
  if (text === '') return { ok: true, tokens: [{ kind: 'root' }] };
  if (!text.startsWith('$')) text = text.startsWith('[') ? `$${text}` : `$.${text}`;
  const tokens: PathToken[] = [{ kind: 'root' }];
  let i = 1;
  const fail = (why: string): PathParseResult => ({
    ok: false,
    error: `invalid path expression '${expression}' at position ${i}: ${why}`,
  });
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      i++;
      if (text[i] === '*') {
        tokens.push({ kind: 'star' });
        i++;
        continue;
      }
      const start = i;
      while (i < text.length && IDENTIFIER.test(text[i]!)) i++;
      if (i === start) return fail('expected a field name after "."');
      tokens.push({ kind: 'field', name: text.slice(start, i) });
    } else if (c === '[') {
      i++;
      const q = text[i];
      if (q === "'" || q === '"') {
        i++;
        let name = '';
        while (i < text.length && text[i] !== q) {
          if (text[i] === '\\' && i + 1 < text.length) i++;
          name += text[i];
          i++;
        }
        if (text[i] !== q) return fail('unterminated quoted field name');
        i++;
        if (text[i] !== ']') return fail('expected "]"');
        i++;
        tokens.push({ kind: 'field', name });
      } else if (q === '*') {
        i++;
        if (text[i] !== ']') return fail('expected "]" after "*"');
        i++;
        tokens.push({ kind: 'starIndex' });
      } else {
        const start = i;
        while (i < text.length && text[i]! >= '0' && text[i]! <= '9') i++;
        if (i === start || text[i] !== ']')
          return fail('expected an index, "*" or a quoted name inside "[]"');
        tokens.push({ kind: 'index', index: Number(text.slice(start, i)) });
        i++;
      }
    } else {
      return fail(`unexpected '${c}'`);
    }
  }
  return { ok: true, tokens };
}

/** One step of an actual value's location: a key of a map, or an index of a list. */
export type PathSegment = string | number;

/**
 * How well a rule path fits an actual path: 0 when it does not apply; otherwise the product
 * of 2 per exact step and 1 per wildcard step. A rule shorter than the path applies too
 * (it cascades to children).
 */
export function pathWeight(tokens: readonly PathToken[], actual: readonly PathSegment[]): number {
  // actual[0] stands for the root
  if (tokens.length > actual.length + 1) return 0;
  let weight = 1;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (i === 0) {
      if (token.kind !== 'root') return 0;
      weight *= 2;
      continue;
    }
    const segment = actual[i - 1]!;
    switch (token.kind) {
      case 'field':
        if (token.name === String(segment)) weight *= 2;
        else return 0;
        break;
      case 'index':
        if (typeof segment === 'number' && segment === token.index) weight *= 2;
        else if (typeof segment === 'string' && segment === String(token.index)) weight *= 2;
        else return 0;
        break;
      case 'star':
      case 'starIndex':
        break;
      case 'root':
        return 0;
    }
  }
  return weight;
}

/** Renders an actual location as a path expression, e.g. `$.animals[0].name`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '$';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_\-:@#]*$/.test(s)) out += `.${s}`;
    else out += `['${s.replace(/'/g, "\\'")}']`;
  }
  return out;
}
