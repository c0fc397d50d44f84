import type { IntegrationPair } from '../db/network-repo.js';

/**
 * The pairs in the connected part of the network that holds `pacticipant` (the reference's
 * "group"): everyone it reaches through pacts, either way round.
 */
export function groupContaining<Pair extends { consumer: string; provider: string }>(
  pairs: Pair[],
  pacticipant: string,
): Pair[] {
  const reached = new Set([pacticipant]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const pair of pairs)
      if (reached.has(pair.consumer) !== reached.has(pair.provider)) {
        reached.add(pair.consumer).add(pair.provider);
        grew = true;
      }
  }
  return pairs.filter((pair) => reached.has(pair.consumer));
}

const csvField = (value: string | number) => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * The reference broker's relationships CSV (what its network graph read): one line per
 * pacticipant, `id,name,1,1,0,order` then the ids of the providers it consumes, every line padded
 * with 0 to the longest.
 *
 * @example relationshipsCsv([{ consumerId: 1, consumer: 'Web', providerId: 2, provider: 'Api' }])
 * // '1,Web,1,1,0,1,2\n2,Api,1,1,0,2,0\n'
 */
export function relationshipsCsv(pairs: IntegrationPair[]): string {
  const lines = new Map<number, Array<string | number>>();
  const line = (id: number, name: string) => {
    let found = lines.get(id);
    if (!found) lines.set(id, (found = [id, name, 1, 1, 0, lines.size + 1]));
    return found;
  };
  for (const pair of pairs) {
    const consumer = line(pair.consumerId, pair.consumer);
    line(pair.providerId, pair.provider);
    consumer.push(pair.providerId);
  }
  const width = Math.max(0, ...[...lines.values()].map((l) => l.length));
  return [...lines.values()]
    .map((l) => [...l, ...Array<number>(width - l.length).fill(0)].map(csvField).join(',') + '\n')
    .join('');
}

const dotId = (name: string) =>
  `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;

/**
 * The integrations as a Graphviz digraph (the reference's `text/vnd.graphviz`), consumer → provider;
 * names are quoted, so any name is a valid node id.
 *
 * @example integrationsDot([{ consumerId: 1, consumer: 'Web', providerId: 2, provider: 'Api' }])
 * // 'digraph {\n  ranksep=3;\n  ratio=auto;\n  overlap=false;\n  node [shape=plaintext, fontname="Helvetica"];\n  "Web" -> "Api";\n}\n'
 */
export function integrationsDot(pairs: IntegrationPair[]): string {
  const edges = pairs.map((pair) => `  ${dotId(pair.consumer)} -> ${dotId(pair.provider)};\n`).join('');
  return `digraph {\n  ranksep=3;\n  ratio=auto;\n  overlap=false;\n  node [shape=plaintext, fontname="Helvetica"];\n${edges}}\n`;
}
