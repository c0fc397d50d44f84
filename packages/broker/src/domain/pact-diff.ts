import type {
  Body,
  Headers,
  Interaction,
  JsonValue,
  MatchingRule,
  MatchingRules,
  MessageContents,
  Pact,
  Query,
  RuleCategoryName,
} from '@covenant/core';

/**
 * "may break the provider": the new pact asks more of the provider, or sends it a request it may
 * not accept. "relaxed": it asks less.
 */
export type ChangeMark = 'may break the provider' | 'relaxed';

export interface PactChange {
  /** The interaction's description (with its provider states), as both pacts name it. */
  interaction: string;
  /** The change in plain words, e.g. `response body field $.id changed type from number to string`. */
  words: string;
  mark: ChangeMark;
}

const BREAKS: ChangeMark = 'may break the provider';
const RELAXED: ChangeMark = 'relaxed';

/** Which side of the exchange a part belongs to: the provider receives requests and produces responses. */
type Side = 'request' | 'response';

const typeName = (v: JsonValue): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v;
const show = (v: JsonValue) => JSON.stringify(v);

/**
 * How much a matcher asks of a value: 3 the exact example (no matcher, or equality), 2 a format or
 * a kind of value (regex, integer, date…), 1 just its type (or nothing in particular).
 */
function strictness(rules: MatchingRule[] | undefined): number {
  if (!rules || rules.length === 0) return 3;
  return Math.max(
    ...rules.map((rule) => {
      switch (rule.match) {
        case 'equality':
          return 3;
        case 'type':
        case 'values':
        case 'notEmpty':
        case 'arrayContains':
          return 1;
        default:
          return 2;
      }
    }),
  );
}

/** The rules of a category at a path, trying the exact expression and its `[*]` wildcard form. */
function rulesAt(rules: MatchingRules, category: RuleCategoryName, key: string): MatchingRule[] | undefined {
  const entries = rules[category];
  if (!entries) return undefined;
  const wildcard = key.replace(/\[\d+\]/g, '[*]');
  for (const [k, { path, list }] of entries)
    if (k === key || path.expression === key || path.expression === wildcard || k === wildcard)
      return list.rules;
  return undefined;
}

const ruleWords = (rules: MatchingRule[] | undefined) =>
  !rules || rules.length === 0 ? 'the exact example' : rules.map((r) => r.match).join(' and ');

/** One diff's collector: every change of one interaction. */
class Changes {
  readonly list: PactChange[] = [];
  constructor(private readonly interaction: string) {}
  add(words: string, mark: ChangeMark) {
    this.list.push({ interaction: this.interaction, words, mark });
  }
}

/** Matchers that appeared, went or changed strictness in a category. */
function diffRules(
  out: Changes,
  side: Side,
  category: RuleCategoryName,
  before: MatchingRules,
  after: MatchingRules,
) {
  const keys = new Set([...(before[category]?.keys() ?? []), ...(after[category]?.keys() ?? [])]);
  for (const key of keys) {
    const old = rulesAt(before, category, key);
    const now = rulesAt(after, category, key);
    const was = strictness(old);
    const is = strictness(now);
    if (ruleWords(old) === ruleWords(now)) continue;
    const where = `${side} ${category} ${key}`;
    // on a response, a stricter matcher asks more of the provider; on a request, it only narrows
    // what the consumer sends
    if (is > was)
      out.add(
        `${where}: matcher tightened from ${ruleWords(old)} to ${ruleWords(now)}`,
        side === 'response' ? BREAKS : RELAXED,
      );
    else if (is < was)
      out.add(
        `${where}: matcher loosened from ${ruleWords(old)} to ${ruleWords(now)}`,
        side === 'response' ? RELAXED : BREAKS,
      );
    else out.add(`${where}: matcher changed from ${ruleWords(old)} to ${ruleWords(now)}`, BREAKS);
  }
}

/** Fields added, removed, retyped or (where an exact value is asked for) changed in a JSON body. */
function diffJson(
  out: Changes,
  side: Side,
  path: string,
  before: JsonValue,
  after: JsonValue,
  rules: MatchingRules,
) {
  const what = `${side} body field ${path}`;
  if (typeName(before) !== typeName(after)) {
    out.add(`${what} changed type from ${typeName(before)} to ${typeName(after)}`, BREAKS);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.min(before.length, after.length);
    for (let i = 0; i < n; i++) diffJson(out, side, `${path}[${i}]`, before[i]!, after[i]!, rules);
    if (before.length !== after.length && strictness(rulesAt(rules, 'body', path)) === 3)
      out.add(
        `${what} has ${after.length} items instead of ${before.length}`,
        side === 'response' ? BREAKS : RELAXED,
      );
    return;
  }
  if (before !== null && after !== null && typeof before === 'object' && typeof after === 'object') {
    const a = before as Record<string, JsonValue>;
    const b = after as Record<string, JsonValue>;
    for (const key of Object.keys(b))
      if (!Object.hasOwn(a, key))
        out.add(`${side} body field ${path}.${key} added`, side === 'response' ? BREAKS : RELAXED);
    for (const key of Object.keys(a))
      if (!Object.hasOwn(b, key))
        out.add(`${side} body field ${path}.${key} removed`, side === 'response' ? RELAXED : BREAKS);
      else diffJson(out, side, `${path}.${key}`, a[key]!, b[key]!, rules);
    return;
  }
  if (before !== after && side === 'response' && strictness(rulesAt(rules, 'body', path)) === 3)
    out.add(`${what} changed from ${show(before)} to ${show(after)}`, BREAKS);
}

function jsonOf(body: Body): JsonValue | undefined {
  if (body.kind === 'null') return null;
  if (body.kind === 'present' && body.content.type === 'json') return body.content.value;
  return undefined;
}

function diffBody(out: Changes, side: Side, before: Body, after: Body, rules: MatchingRules) {
  const a = jsonOf(before);
  const b = jsonOf(after);
  if (a !== undefined && b !== undefined) return diffJson(out, side, '$', a, b, rules);
  if (before.kind === 'missing' && after.kind !== 'missing')
    out.add(`${side} body added`, side === 'response' ? BREAKS : RELAXED);
  else if (before.kind !== 'missing' && after.kind === 'missing')
    out.add(`${side} body removed`, side === 'response' ? RELAXED : BREAKS);
  else if (JSON.stringify(before) !== JSON.stringify(after)) out.add(`${side} body changed`, BREAKS);
}

function diffPairs(
  out: Changes,
  side: Side,
  what: 'header' | 'query parameter',
  before: Headers | Query | undefined,
  after: Headers | Query | undefined,
) {
  const lower = (h: Headers | Query | undefined) =>
    new Map(Object.entries(h ?? {}).map(([k, v]) => [what === 'header' ? k.toLowerCase() : k, v.join(', ')]));
  const a = lower(before);
  const b = lower(after);
  // a request header or query the provider must now accept asks more of it; a response header it must send, too
  for (const [key, value] of b)
    if (!a.has(key)) out.add(`${side} ${what} ${key} added (${value})`, BREAKS);
    else if (a.get(key) !== value)
      out.add(`${side} ${what} ${key} changed from ${a.get(key)} to ${value}`, BREAKS);
  for (const key of a.keys()) if (!b.has(key)) out.add(`${side} ${what} ${key} removed`, RELAXED);
}

function diffMessage(out: Changes, what: string, before: MessageContents, after: MessageContents) {
  // a message is what the provider produces: as a response
  diffBody(out, 'response', before.contents, after.contents, after.matchingRules);
  diffRules(out, 'response', 'body', before.matchingRules, after.matchingRules);
  const keys = new Set([...Object.keys(before.metadata), ...Object.keys(after.metadata)]);
  for (const key of keys) {
    const a = before.metadata[key];
    const b = after.metadata[key];
    if (a === undefined) out.add(`${what} metadata ${key} added`, BREAKS);
    else if (b === undefined) out.add(`${what} metadata ${key} removed`, RELAXED);
    else if (show(a) !== show(b))
      out.add(`${what} metadata ${key} changed from ${show(a)} to ${show(b)}`, BREAKS);
  }
}

function diffInteraction(out: Changes, before: Interaction, after: Interaction) {
  const states = (i: Interaction) => new Set(i.providerStates.map((s) => s.name));
  const [was, is] = [states(before), states(after)];
  for (const s of is) if (!was.has(s)) out.add(`provider state "${s}" added`, BREAKS);
  for (const s of was) if (!is.has(s)) out.add(`provider state "${s}" removed`, RELAXED);
  if (before.type !== after.type) {
    out.add(`changed from ${before.type} to ${after.type}`, BREAKS);
    return;
  }
  if (before.type === 'Synchronous/HTTP' && after.type === 'Synchronous/HTTP') {
    const [a, b] = [before.request, after.request];
    if (a.method.toUpperCase() !== b.method.toUpperCase())
      out.add(`request method changed from ${a.method.toUpperCase()} to ${b.method.toUpperCase()}`, BREAKS);
    if (a.path !== b.path) out.add(`request path changed from ${a.path} to ${b.path}`, BREAKS);
    diffPairs(out, 'request', 'query parameter', a.query, b.query);
    diffPairs(out, 'request', 'header', a.headers, b.headers);
    diffBody(out, 'request', a.body, b.body, b.matchingRules);
    for (const category of ['path', 'query', 'header', 'body'] as const)
      diffRules(out, 'request', category, a.matchingRules, b.matchingRules);
    const [r, s] = [before.response, after.response];
    if ((r.status ?? 200) !== (s.status ?? 200))
      out.add(`response status changed from ${r.status ?? 200} to ${s.status ?? 200}`, BREAKS);
    diffPairs(out, 'response', 'header', r.headers, s.headers);
    diffBody(out, 'response', r.body, s.body, s.matchingRules);
    for (const category of ['status', 'header', 'body'] as const)
      diffRules(out, 'response', category, r.matchingRules, s.matchingRules);
  } else if (before.type === 'Asynchronous/Messages' && after.type === 'Asynchronous/Messages') {
    diffMessage(out, 'message', before, after);
  } else if (before.type === 'Synchronous/Messages' && after.type === 'Synchronous/Messages') {
    diffMessage(out, 'reply', before.response[0] ?? emptyMessage, after.response[0] ?? emptyMessage);
  }
}

const emptyMessage: MessageContents = {
  contents: { kind: 'missing' },
  metadata: {},
  matchingRules: {},
} as MessageContents;

/** "an order request given an order exists": how the diff names an interaction. */
export const interactionName = (i: Interaction) =>
  i.providerStates.length
    ? `${i.description} given ${i.providerStates.map((s) => s.name).join(' and ')}`
    : i.description;

/**
 * Every change from one pact to the next, per interaction, in plain words and marked: "may break
 * the provider" when the new pact asks more of it or sends what it may not accept, "relaxed" when it
 * asks less. Interactions are paired by description (and states, when a description repeats).
 *
 * @example diffPacts(previous, latest) // [{ interaction: 'get an order', words: 'response status changed from 200 to 201', mark: 'may break the provider' }]
 */
export function diffPacts(before: Pact, after: Pact): PactChange[] {
  const changes: PactChange[] = [];
  const keyOf = (list: Interaction[]) => {
    const counts = new Map<string, number>();
    for (const i of list) counts.set(i.description, (counts.get(i.description) ?? 0) + 1);
    return (i: Interaction) => ((counts.get(i.description) ?? 0) > 1 ? interactionName(i) : i.description);
  };
  const [keyA, keyB] = [keyOf(before.interactions), keyOf(after.interactions)];
  const old = new Map(before.interactions.map((i) => [keyA(i), i]));
  const seen = new Set<string>();
  for (const interaction of after.interactions) {
    const key = keyB(interaction);
    const previous = old.get(key);
    const out = new Changes(interactionName(interaction));
    if (!previous) out.add('new interaction', BREAKS);
    else {
      seen.add(key);
      diffInteraction(out, previous, interaction);
    }
    changes.push(...out.list);
  }
  for (const [key, interaction] of old)
    if (!seen.has(key))
      changes.push({
        interaction: interactionName(interaction),
        words: 'interaction removed',
        mark: RELAXED,
      });
  return changes;
}

/** The changes as text, one interaction a paragraph: what `…/diff/…` answers as text/plain. */
export function diffText(changes: PactChange[]): string {
  if (changes.length === 0) return 'No changes.\n';
  const byInteraction = new Map<string, PactChange[]>();
  for (const c of changes) byInteraction.set(c.interaction, [...(byInteraction.get(c.interaction) ?? []), c]);
  return [...byInteraction]
    .map(([name, list]) => `${name}\n${list.map((c) => `  [${c.mark}] ${c.words}\n`).join('')}`)
    .join('\n');
}
