import type { IDataObject, INode, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { itemError, nonObjectEntry, unexpectedAnswerError } from '../transport';

/**
 * The most one Get Many reads for one input item. Every API here serves at most 100 per page,
 * so 1,000 full pages are 100,000 items: more than a workflow's item list carries comfortably
 * (n8n keeps every item in the execution's memory and saves it with the execution), while an
 * API that keeps saying more follow is stopped after 1,000 requests instead of running until
 * n8n runs out of memory. The page ceiling also ends a list served a few items at a time.
 */
export const MAX_PAGES = 1_000;

export const MAX_ITEMS = 100_000;

/** Where a page starts: a cursor the API handed out, or a page number. */
export type PageCursor = string | number;

/** What one request for a page asks for. */
export interface PageRequest<Cursor extends PageCursor> {
	/** How many items to ask for: what is still missing, at most the API's page size. */
	size: number;
	/** Where the page starts; undefined for the first page. */
	cursor?: Cursor;
	/** Items collected before this page. */
	collected: number;
}

/** One page as the API's page reader understood it. */
export interface ListPage<Cursor extends PageCursor> {
	items: IDataObject[];
	/** Where the next page starts; undefined when the API says this page is the last. */
	next?: Cursor;
}

/** A list an API serves in pages, and how to read one page of it. */
export interface PagedList<Cursor extends PageCursor> {
	/** The API's name as the user sees it. */
	apiName: string;
	/** What the list holds, in the plural: "attachments". */
	noun: string;
	/** The largest page the API serves. */
	maxPageSize: number;
	/** How to make the list shorter, for a list past the ceiling: "narrow the list with Filters". */
	narrow?: string;
	/** How a page is named in messages (`page 3`); `the page after "<cursor>"` when left out. */
	pageName?: (cursor: Cursor) => string;
	readPage(request: PageRequest<Cursor>): Promise<ListPage<Cursor>>;
}

const count = (value: number) => value.toLocaleString('en-US');

/** What identifies a page's items: their IDs when all have one, else their JSON. */
function pageSignature(items: IDataObject[]): string {
	const ids = items.map((item) => item.id);
	return ids.every((id) => typeof id === 'string' || typeof id === 'number') ? ids.join('\n') : JSON.stringify(items);
}

/**
 * Reads pages until `limit` items are collected (Infinity: Return All) or the API says the
 * last page has come. Each request asks only for what is still missing. An API that hands
 * out a cursor it gave before, or serves the same items as the page before (a page-number
 * API that ignores the page asked for), fails the item at once; a list that does not end
 * fails it at the ceiling. Either way the error says what the API did and what to change.
 */
export async function readPages<Cursor extends PageCursor>(
	node: INode,
	itemIndex: number,
	limit: number,
	list: PagedList<Cursor>,
): Promise<IDataObject[]> {
	const { apiName, noun } = list;
	const pageName = list.pageName ?? ((cursor: Cursor) => `the page after "${cursor}"`);
	const fail = (problem: string, fix: string) => itemError(node, itemIndex, problem, fix);

	const collected: IDataObject[] = [];
	// A Limit of 0 (or not a number) from an expression asks for nothing.
	if (!(limit > 0)) return collected;
	const usedCursors = new Set<Cursor>();
	let previousSignature: string | undefined;
	let cursor: Cursor | undefined;
	for (let pages = 1; ; pages++) {
		const page = await list.readPage({ size: Math.min(list.maxPageSize, limit - collected.length), cursor, collected: collected.length });
		const taken = page.items.slice(0, limit - collected.length);
		const done = page.next === undefined || collected.length + taken.length >= limit;
		if (!done && usedCursors.has(page.next!)) {
			throw fail(
				`${apiName} repeated a page of ${noun} (after "${page.next}")`,
				`Stopped after ${collected.length + taken.length} ${noun} instead of asking for the same page forever. Try again later, or set a Limit.`,
			);
		}
		const signature = page.items.length > 0 ? pageSignature(page.items) : undefined;
		if (cursor !== undefined && signature !== undefined && signature === previousSignature) {
			throw fail(
				`${apiName} answered ${pageName(cursor)} with the same ${noun} as the page before`,
				`Stopped after ${collected.length} ${noun} instead of asking for the same page forever: ${apiName} seems to ignore which page was asked for. Try again later, or set a Limit of at most ${list.maxPageSize} to read the first page only.`,
			);
		}
		// One at a time: spreading a huge page into push() would overflow the call stack.
		for (const item of taken) collected.push(item);
		if (done) return collected;
		if (pages >= MAX_PAGES || collected.length >= MAX_ITEMS) {
			throw fail(
				`${apiName} kept saying more ${noun} follow after ${count(pages)} pages (${count(collected.length)} ${noun})`,
				`Get Many reads at most ${count(MAX_PAGES)} pages or ${count(MAX_ITEMS)} ${noun} for one input item, so that a list that does not end cannot use up n8n's memory. Set a Limit of at most ${count(MAX_ITEMS)}${list.narrow ? `, or ${list.narrow}` : ''}.`,
			);
		}
		previousSignature = signature;
		usedCursors.add(page.next!);
		cursor = page.next;
	}
}

/**
 * The most pages one list search reads of a list the API cannot search by name (filtered
 * here), before it offers "more" with nothing found yet.
 */
export const FILTERED_SEARCH_PAGES = 5;

/** One page of a list search: the entries it shows, and where the next page starts. */
export interface SearchPage<Cursor extends PageCursor> {
	results: INodeListSearchItems[];
	/** Where the next page starts; undefined at the end of the list. */
	next?: Cursor;
}

/**
 * A list search's answer ("From List"): pages from `first` on, until one brings an entry or
 * `maxPages` were read, so that a filter matching little does not show an empty list with
 * only "more". The pagination token is where the next page starts.
 */
export async function searchPages<Cursor extends PageCursor>(
	first: Cursor | undefined,
	maxPages: number,
	readPage: (cursor: Cursor | undefined) => Promise<SearchPage<Cursor>>,
): Promise<INodeListSearchResult> {
	const results: INodeListSearchItems[] = [];
	let cursor = first;
	for (let pages = 1; ; pages++) {
		const page = await readPage(cursor);
		results.push(...page.results);
		if (page.next === undefined) return { results };
		if (results.length > 0 || pages >= maxPages) return { results, paginationToken: String(page.next) };
		cursor = page.next;
	}
}

/** Where an API's answer holds a list, named for messages. */
export interface AnswerList {
	apiName: string;
	/** The answer's field that holds the list: `data`, `messages`. */
	key: string;
	/** What the answer is, in a message: `list`, `search answer`. */
	answerName: string;
}

/** A list search has no item: its errors name none. */
function answerError(node: INode, itemIndex: number | undefined, problem: string, fix: string): NodeOperationError {
	return itemIndex === undefined ? new NodeOperationError(node, problem, { itemIndex, description: fix }) : itemError(node, itemIndex, problem, fix);
}

/**
 * Fails on a list entry that is not a JSON object: the node reads every entry as one.
 * `shownAs` names the list in the message (`a "data" list`).
 */
export function assertObjectEntries(
	node: INode,
	answer: { apiName: string; statusCode: number; itemIndex?: number },
	list: unknown[],
	shownAs: string,
): void {
	const entry = nonObjectEntry(list);
	if (entry === undefined) return;
	const { apiName, statusCode, itemIndex } = answer;
	throw unexpectedAnswerError(node, { apiName, method: 'GET', itemIndex }, statusCode, `${shownAs} whose ${entry}`, 'list');
}

/**
 * The list of JSON objects an answer's `body` holds under the list's key. An answer without
 * it is not the API's (the Base URL may point elsewhere); a list holding anything but
 * objects is refused as well.
 */
export function readAnswerList(
	node: INode,
	list: AnswerList,
	answer: { statusCode: number; body: IDataObject; itemIndex?: number },
): IDataObject[] {
	const { apiName, key } = list;
	const entries = answer.body[key];
	if (!Array.isArray(entries)) {
		throw answerError(
			node,
			answer.itemIndex,
			`${apiName} sent a ${list.answerName} without "${key}"`,
			`Check that the Base URL in the ${apiName} credential points at the ${apiName} API.`,
		);
	}
	assertObjectEntries(node, { apiName, statusCode: answer.statusCode, itemIndex: answer.itemIndex }, entries, `a "${key}" list`);
	return entries as IDataObject[];
}
