import { JsonNumber, type JsonObject, type JsonValue } from './value.js';

export type JsonParseResult =
  | { ok: true; value: JsonValue }
  | { ok: false; message: string; line: number; column: number };

// Numbers a JS `number` can't hold faithfully: integral decimals (`100.0`, `1e2`) and long integers.
const LOSSY_NUMBER = /[0-9]\.0+(?![0-9])|[0-9][eE]|[0-9]{16,}/;

/** Whether any number outside string literals may lose information through `JSON.parse`. */
function hasLossyNumber(text: string): boolean {
  let pos = 0;
  while (pos < text.length) {
    const quote = text.indexOf('"', pos);
    const end = quote < 0 ? text.length : quote;
    if (end > pos && LOSSY_NUMBER.test(text.slice(pos, end))) return true;
    if (quote < 0) return false;
    // skip the string literal, honouring backslash escapes
    let close = text.indexOf('"', quote + 1);
    while (close > 0) {
      let backslashes = 0;
      for (let i = close - 1; text.charCodeAt(i) === 92; i--) backslashes++;
      if (backslashes % 2 === 0) break;
      close = text.indexOf('"', close + 1);
    }
    if (close < 0) return false;
    pos = close + 1;
  }
  return false;
}

/**
 * Parses JSON text without losing what numbers were written as.
 * Never throws: a syntax error comes back with its line and column.
 *
 * @example
 * const r = parseJson('{"price": 100.0}');
 * // r.ok && r.value.price is JsonNumber { text: '100.0' }
 */
export function parseJson(text: string): JsonParseResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!hasLossyNumber(source)) {
    try {
      return { ok: true, value: JSON.parse(source) as JsonValue };
    } catch {
      // fall through: the slow parser says where the error is
    }
  }
  return new LosslessParser(source).parseDocument();
}

class JsonSyntaxError extends Error {}

class LosslessParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseDocument(): JsonParseResult {
    try {
      this.skipWhitespace();
      const value = this.parseValue();
      this.skipWhitespace();
      if (this.pos < this.text.length) this.fail(`unexpected '${this.text[this.pos]}' after the JSON value`);
      return { ok: true, value };
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      const { line, column } = this.location();
      return { ok: false, message: error.message, line, column };
    }
  }

  private location(): { line: number; column: number } {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < this.pos && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    return { line, column: this.pos - lineStart + 1 };
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(message);
  }

  private skipWhitespace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 10 || c === 13 || c === 9) this.pos++;
      else break;
    }
  }

  private parseValue(): JsonValue {
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.parseObject();
      case '[':
        return this.parseArray();
      case '"':
        return this.parseString();
      case 't':
        return this.parseLiteral('true', true);
      case 'f':
        return this.parseLiteral('false', false);
      case 'n':
        return this.parseLiteral('null', null);
      case undefined:
        return this.fail('unexpected end of JSON input');
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.parseNumber();
        return this.fail(`unexpected '${c}'`);
    }
  }

  private parseLiteral<T extends JsonValue>(word: string, value: T): T {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return value;
    }
    return this.fail(`unexpected '${this.text[this.pos]}'`);
  }

  private parseObject(): JsonObject {
    const result: JsonObject = {};
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail('expected a property name in double quotes');
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail(`expected ':' after property name "${key}"`);
      this.pos++;
      this.skipWhitespace();
      const value = this.parseValue();
      // defineProperty so that a "__proto__" key is data, not a prototype change
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      this.skipWhitespace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === '}') return result;
      if (next !== ',')
        this.fail(next === undefined ? 'unterminated object' : `expected ',' or '}' but found '${next}'`);
    }
  }

  private parseArray(): JsonValue[] {
    const result: JsonValue[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      result.push(this.parseValue());
      this.skipWhitespace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === ']') return result;
      if (next !== ',')
        this.fail(next === undefined ? 'unterminated array' : `expected ',' or ']' but found '${next}'`);
    }
  }

  private parseString(): string {
    const t = this.text;
    const start = ++this.pos;
    // fast path: no escapes
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 34) {
        this.pos++;
        return t.slice(start, this.pos - 1);
      }
      if (c === 92 || c < 32) break;
      this.pos++;
    }
    let out = t.slice(start, this.pos);
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 34) {
        this.pos++;
        return out;
      }
      if (c < 32) this.fail('control character in string (escape it)');
      if (c === 92) {
        const e = t[this.pos + 1];
        this.pos += 2;
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out += e;
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const hex = t.slice(this.pos, this.pos + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
            out += String.fromCharCode(Number.parseInt(hex, 16));
            this.pos += 4;
            break;
          }
          default:
            this.pos -= 1;
            this.fail(`invalid escape '\\${e ?? ''}'`);
        }
      } else {
        out += t[this.pos];
        this.pos++;
      }
    }
    return this.fail('unterminated string');
  }

  private parseNumber(): number | JsonNumber {
    const t = this.text;
    const start = this.pos;
    if (t[this.pos] === '-') this.pos++;
    if (t[this.pos] === '0') this.pos++;
    else if (this.isDigit()) while (this.isDigit()) this.pos++;
    else this.fail('invalid number');
    let lossy = false;
    if (t[this.pos] === '.') {
      this.pos++;
      if (!this.isDigit()) this.fail('invalid number: digits expected after the decimal point');
      while (this.isDigit()) this.pos++;
    }
    if (t[this.pos] === 'e' || t[this.pos] === 'E') {
      this.pos++;
      if (t[this.pos] === '+' || t[this.pos] === '-') this.pos++;
      if (!this.isDigit()) this.fail('invalid number: digits expected in the exponent');
      while (this.isDigit()) this.pos++;
    }
    const text = t.slice(start, this.pos);
    const value = Number(text);
    if (/[.eE]/.test(text)) lossy = Number.isInteger(value);
    else lossy = !Number.isSafeInteger(value);
    return lossy ? new JsonNumber(text) : value;
  }

  private isDigit(): boolean {
    const c = this.text.charCodeAt(this.pos);
    return c >= 48 && c <= 57;
  }
}
