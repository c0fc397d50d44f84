import dagre, { type Edge } from '@dagrejs/dagre';
import { type IntegrationRow, integrationRows } from '../db/pages-repo.js';
import { groupContaining } from '../domain/network.js';
import type { RouteContext } from '../http/context.js';
import { enc } from '../http/hal.js';
import { type Html, html } from './html.js';
import { notFoundPage, type PageResult } from './pages.js';

const NODE_HEIGHT = 36;
/** Roughly the advance of one character of the node font (14px sans-serif), to size a node's box. */
const CHAR_WIDTH = 8;

type EdgeStatus = 'verified' | 'failed' | 'unverified';

const statusOf = (row: IntegrationRow): EdgeStatus =>
  row.verification === null ? 'unverified' : row.verification.success ? 'verified' : 'failed';

const STATUS_WORDS: Record<EdgeStatus, string> = {
  verified: 'latest pact verified',
  failed: 'latest verification failed',
  unverified: 'latest pact not verified',
};

interface Layout {
  width: number;
  height: number;
  nodes: Array<{ name: string; x: number; y: number; width: number; height: number }>;
  edges: Array<{ v: string; w: string; points: Array<{ x: number; y: number }> }>;
}

/** Layouts by the graph's edges: a network changes shape rarely, and dagre takes ~100 ms per 100 integrations. */
const layouts = new Map<string, Layout>();
const LAYOUTS_KEPT = 32;

/** dagre's layout of the integrations (consumers left of their providers), computed once per shape. */
function layoutOf(rows: IntegrationRow[]): Layout {
  const key = rows.map((r) => `${r.consumer}\u0000${r.provider}`).join('\u0001');
  const kept = layouts.get(key);
  if (kept) return kept;
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 90, marginx: 8, marginy: 8 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const name of new Set(rows.flatMap((r) => [r.consumer, r.provider])))
    graph.setNode(name, { width: [...name].length * CHAR_WIDTH + 24, height: NODE_HEIGHT });
  for (const row of rows) graph.setEdge(row.consumer, row.provider);
  dagre.layout(graph);
  const { width = 0, height = 0 } = graph.graph();
  const layout: Layout = {
    width,
    height,
    nodes: graph.nodes().map((name: string) => ({ name, ...graph.node(name) })),
    edges: graph.edges().map((e: Edge) => ({ v: e.v, w: e.w, points: graph.edge(e).points ?? [] })),
  };
  if (layouts.size >= LAYOUTS_KEPT) layouts.delete(layouts.keys().next().value!);
  layouts.set(key, layout);
  return layout;
}

/**
 * The integrations drawn as an SVG graph, laid out by dagre (consumers left of their providers):
 * each node links to its pacticipant's page, each edge is classed by the latest pact's latest
 * verification (the stylesheet colours the classes, so no inline style is needed).
 */
export function networkSvg(b: string, rows: IntegrationRow[]): Html {
  const { width, height, nodes: laidOutNodes, edges: laidOutEdges } = layoutOf(rows);
  const status = new Map(rows.map((r) => [`${r.consumer}\u0000${r.provider}`, statusOf(r)]));

  const edges = laidOutEdges.map((e) => {
    const d = e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
    const kind = status.get(`${e.v}\u0000${e.w}`) ?? 'unverified';
    return html`<path class="edge edge-${kind}" d="${d}" marker-end="url(#arrow-${kind})"><title>${e.v} → ${e.w}: ${STATUS_WORDS[kind]}</title></path>`;
  });
  const nodes = laidOutNodes.map((n) => {
    const name = n.name;
    return html`<a href="${b}/pacticipants/${enc(name)}"><rect class="node" x="${(n.x - n.width / 2).toFixed(1)}" y="${(n.y - n.height / 2).toFixed(1)}" width="${n.width.toFixed(1)}" height="${n.height}" rx="6"/><text class="node-name" x="${n.x.toFixed(1)}" y="${(n.y + 5).toFixed(1)}" text-anchor="middle">${name}</text></a>`;
  });
  const marker = (kind: EdgeStatus) =>
    html`<marker id="arrow-${kind}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path class="arrow-${kind}" d="M0 0 L10 5 L0 10 z"/></marker>`;
  return html`<div class="graph"><svg xmlns="http://www.w3.org/2000/svg" role="group" aria-label="Network of ${laidOutNodes.length} pacticipants and ${rows.length} integrations" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}">
<defs>${(['verified', 'failed', 'unverified'] as const).map(marker)}</defs>
${edges}
${nodes}
</svg></div>
<ul class="legend">
<li><span class="key key-verified"></span>${STATUS_WORDS.verified}</li>
<li><span class="key key-failed"></span>${STATUS_WORDS.failed}</li>
<li><span class="key key-unverified"></span>${STATUS_WORDS.unverified}</li>
</ul>`;
}

/** `/network` (everyone) and `/groups/{p}` (the part of the network holding p), as pages. */
export function networkPages(context: RouteContext) {
  const database = () => context.options.database;
  return {
    [NETWORK_PAGE]: async (_request: unknown, b: string): Promise<PageResult> => {
      const rows = await integrationRows(database());
      return {
        status: 200,
        title: 'Network',
        body: html`<h1>Network</h1>
<p>Every pacticipant with a pact, consumers to the left of their providers. Open one for its page, or its <a href="${b}/relationships">relationships as CSV</a>.</p>
${rows.length === 0 ? html`<p>No pacts have been published yet.</p>` : networkSvg(b, rows)}`,
      };
    },
    '/groups/:pacticipant': async (request: { params: unknown }, b: string): Promise<PageResult> => {
      const name = (request.params as { pacticipant?: string }).pacticipant ?? '';
      const rows = groupContaining(await integrationRows(database()), name);
      if (rows.length === 0) return notFoundPage(b, `${name} has no pacts with anyone.`);
      return {
        status: 200,
        title: `Network of ${name}`,
        body: html`<h1>Network of ${name}</h1>
<p>Everyone <a href="${b}/pacticipants/${enc(name)}">${name}</a> is connected to through pacts. <a href="${b}/network">The whole network</a>.</p>
${networkSvg(b, rows)}`,
      };
    },
  };
}

/** The page of the whole network (no API resource shares its URL). */
export const NETWORK_PAGE = '/network';
