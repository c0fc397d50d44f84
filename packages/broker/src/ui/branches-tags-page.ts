import type { FastifyRequest } from 'fastify';
import { branchRows, type LabelledVersionsRow, PAGE_SIZE, tagRows } from '../db/pages-repo.js';
import type { RouteContext } from '../http/context.js';
import { enc } from '../http/hal.js';
import { type Html, html, scrollBox, timeTag } from './html.js';
import { badges, type PageResult, pagination } from './pages.js';
import { pageNumber, searchText } from './query.js';

/** Every pacticipant's branches and tags, with their latest versions (linked from the index). */
export const BRANCHES_AND_TAGS_PAGE = '/branches-and-tags';

function table(b: string, kind: 'branch' | 'tag', rows: LabelledVersionsRow[]): Html {
  return scrollBox(
    kind === 'branch' ? 'Branches' : 'Tags',
    html`<table class="compact ${kind === 'branch' ? 'branches' : 'tags'}">
<thead><tr><th scope="col">Pacticipant</th><th scope="col">${kind === 'branch' ? 'Branch' : 'Tag'}</th><th scope="col">Versions</th><th scope="col">Latest version</th><th scope="col">Created</th></tr></thead>
<tbody>${rows.map(
      (r) => html`<tr data-pacticipant="${r.pacticipant}" data-name="${r.name}">
<td><a href="${b}/pacticipants/${enc(r.pacticipant)}">${r.pacticipant}</a></td>
<td>${badges(kind, [r.name])}${r.main ? html` <span class="muted">main</span>` : ''}</td>
<td>${r.versionCount}</td>
<td>${r.latestVersion === null ? html`<span class="muted">none</span>` : html`<code>${r.latestVersion}</code>`}</td>
<td>${timeTag(r.latestAt)}</td>
</tr>`,
    )}</tbody>
</table>`,
  );
}

/** The page, by route: it has no API resource on its URL, so it answers HTML to every client. */
export function branchesAndTagsPages(context: RouteContext) {
  return {
    [BRANCHES_AND_TAGS_PAGE]: async (request: FastifyRequest, b: string): Promise<PageResult> => {
      const page = pageNumber(request);
      const search = searchText(request);
      const window = { search, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE + 1 };
      const [branches, tags] = await Promise.all([
        branchRows(context.options.database, window),
        tagRows(context.options.database, window),
      ]);
      const hasNext = branches.length > PAGE_SIZE || tags.length > PAGE_SIZE;
      const section = (kind: 'branch' | 'tag', rows: LabelledVersionsRow[]) => {
        const shown = rows.slice(0, PAGE_SIZE);
        const what = kind === 'branch' ? 'branches' : 'tags';
        return shown.length > 0
          ? table(b, kind, shown)
          : html`<p class="muted">${page > 1 ? `No more ${what}.` : search ? `No pacticipant whose name contains “${search}” has ${what}.` : `No version has ${what} yet.`}</p>`;
      };
      return {
        status: 200,
        title: 'Branches and tags',
        body: html`<h1>Branches and tags</h1>
<p class="muted">Each pacticipant's branches and tags, with how many versions carry them and the latest.</p>
<form class="filters" method="get" action="${b}${BRANCHES_AND_TAGS_PAGE}" role="search">
<label>Pacticipant name <input type="search" name="q" value="${search}"></label>
<button type="submit">Search</button>
${search ? html`<a href="${b}${BRANCHES_AND_TAGS_PAGE}">Show all</a>` : ''}
</form>
<h2>Branches</h2>
${section('branch', branches)}
<h2>Tags</h2>
${section('tag', tags)}
${pagination(b, BRANCHES_AND_TAGS_PAGE, page, hasNext, search ? `q=${encodeURIComponent(search)}` : '')}`,
      };
    },
  };
}
