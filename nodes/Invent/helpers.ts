import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import type { FileRecordFields } from '../shared/binary';
import type { ApiSession } from '../shared/transport';
import type { FilePlace, ListPage } from '../shared/node';
import { assertObjectEntries, getPathId, readPages } from '../shared/node';
import { inventApi } from './transport';

/** Invent: `take` is at most 100 (API docs). */
export const MAX_PAGE_SIZE = 100;

/** Where an Invent file record lists its file. */
export const FILE_FIELDS: FileRecordFields = { name: 'file_filename', size: 'file_size', mimeType: 'file_mimetype' };

/** The path prefix of every org-scoped route; `c` is the key's own organization. */
export function organizationPath(context: IExecuteFunctions, itemIndex: number): string {
	return `/orgs/${getPathId(context, 'organizationId', 'Organization ID', itemIndex)}`;
}

/** One page of an Invent list (`page`, `take`), with the filters that narrow it. */
export interface InventPageRequest {
	path: string;
	filters?: IDataObject;
	page: number;
	take: number;
}

/**
 * Reads one page of an Invent list (contacts, a contact's files): its records, and the next
 * page's number when another follows. A page holding anything but objects (in the list or
 * in its envelope) is refused.
 */
export async function readInventPage(
	send: ApiSession<unknown>['request'],
	node: INode,
	{ path, filters, page, take }: InventPageRequest,
	itemIndex?: number,
): Promise<ListPage<number>> {
	const response = await send({ method: 'GET', path, qs: { ...filters, page, take }, answer: 'list' });
	// Invent lists are a JSON array; tolerate a `{ data: [...] }` envelope too.
	const body = response.body;
	const data = Array.isArray(body) ? body : (body as IDataObject | undefined)?.data;
	const items = Array.isArray(data) ? (data as IDataObject[]) : [];
	const shownAs = Array.isArray(body) ? 'a list' : 'a "data" list';
	assertObjectEntries(node, { apiName: 'Invent', statusCode: response.statusCode, itemIndex }, items, shownAs);
	// `pagination-count` is the total (API docs); without it, a full page may have a successor.
	const total = Number(response.headers['pagination-count']);
	const hasMore = items.length > 0 && (Number.isFinite(total) ? page * take < total : items.length >= take);
	return { items, next: hasMore ? page + 1 : undefined };
}

/** An Invent list as a Get Many reads it. */
export interface InventList {
	path: string;
	/** What the list holds, in the plural: "contacts". */
	noun: string;
	/** Query parameters Invent narrows the list by. */
	filters?: IDataObject;
	/** How to make the list shorter, for a list past the ceiling. */
	narrow?: string;
	/** The test a record must pass, applied here to what Invent returns. */
	matches?: (record: IDataObject) => boolean;
}

/**
 * Reads up to `limit` records of an Invent list (Infinity: all) that `matches` keeps (every
 * record when left out). Without `matches` each page asks only for what the Limit still
 * misses (in pages of one size); with it, pages of 100 are read until the Limit is matched
 * or the list ends.
 */
export async function readInventList(
	context: IExecuteFunctions,
	itemIndex: number,
	limit: number,
	{ path, noun, filters, narrow, matches }: InventList,
): Promise<IDataObject[]> {
	const session = await inventApi.session(context, itemIndex);
	// Page numbers count pages of one size: `take` stays the same on every page.
	const take = matches ? MAX_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, limit);
	return await readPages<number>(context.getNode(), itemIndex, limit, {
		apiName: 'Invent',
		noun,
		maxPageSize: MAX_PAGE_SIZE,
		narrow,
		pageName: (page) => `page ${page}`,
		readPage: async ({ cursor: page = 1 }) => {
			const { items, next } = await readInventPage(session.request, context.getNode(), { path, filters, page, take }, itemIndex);
			return { items: matches ? items.filter(matches) : items, next };
		},
	});
}

/** A contact's files: the list's path, and the contact as the user gave it (for messages). */
export interface ContactFiles {
	path: string;
	contactId: string;
}

/** The files of the contact `contactId` (a path segment from getPathId), in the item's organization. */
export function contactFilesOf(context: IExecuteFunctions, itemIndex: number, contactId: string): ContactFiles {
	return {
		path: `${organizationPath(context, itemIndex)}/contacts/${contactId}/files`,
		contactId: decodeURIComponent(contactId),
	};
}

/** A contact's files as If File Exists looks at them: every page, read once per run. */
export function contactFilesPlace(context: IExecuteFunctions, itemIndex: number, files: ContactFiles): FilePlace {
	return {
		apiName: 'Invent',
		key: files.path,
		shownAs: `on contact "${files.contactId}"`,
		recordNoun: 'file',
		readAll: async () => await readInventList(context, itemIndex, Infinity, { path: files.path, noun: 'files' }),
		fields: FILE_FIELDS,
	};
}
