import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';

import { nonObjectEntry, unexpectedAnswerError } from '../shared/transport';
import { byteCount, getPathId, resourceLocatorProperty } from '../shared/node';
import type { ApiResponse } from '../shared/transport';

/** The path prefix of every org-scoped route; `c` is the key's own organization. */
export function organizationPath(context: IExecuteFunctions, itemIndex: number): string {
	return `/orgs/${getPathId(context, 'organizationId', 'Organization ID', itemIndex)}`;
}

/** Invent: `take` is at most 100 (API docs). */
export const MAX_PAGE_SIZE = 100;

/** The Organization ID every operation works in, shown after the operation. */
export const organizationIdProperty: INodeProperties = {
	displayName: 'Organization ID',
	name: 'organizationId',
	type: 'string',
	required: true,
	default: 'c',
	hint: 'Leave "c" to use the organization your API key belongs to',
	description: 'The organization to work in. Agency keys can enter the ID of a sub-organization.',
};

/** The contact an operation works on, picked from a list or given by ID. */
export function contactLocator(description: string): INodeProperties {
	return resourceLocatorProperty({
		displayName: 'Contact ID',
		name: 'contactId',
		description,
		searchListMethod: 'searchContacts',
		idPlaceholder: 'ID of an Invent contact',
		noun: 'contact',
	});
}

/**
 * One page of an Invent list (contacts, a contact's files) and whether another follows; a
 * page holding anything but objects (in the list or in its envelope) is refused.
 */
export function readListPage(
	node: INode,
	response: ApiResponse,
	page: number,
	take: number,
	itemIndex?: number,
): { records: IDataObject[]; hasMore: boolean } {
	// Invent lists are a JSON array; tolerate a `{ data: [...] }` envelope too.
	const body = response.body;
	const data = Array.isArray(body) ? body : (body as IDataObject | undefined)?.data;
	const records = Array.isArray(data) ? (data as IDataObject[]) : [];
	const entry = nonObjectEntry(records);
	if (entry !== undefined) {
		const found = `${Array.isArray(body) ? 'a list' : 'a "data" list'} whose ${entry}`;
		throw unexpectedAnswerError(node, { apiName: 'Invent', method: 'GET', itemIndex }, response.statusCode, found, 'list');
	}
	// `pagination-count` is the total (API docs); without it, a full page may have a successor.
	const total = Number(response.headers['pagination-count']);
	const hasMore = records.length > 0 && (Number.isFinite(total) ? page * take < total : records.length >= take);
	return { records, hasMore };
}

/** A file record's name and size in bytes, as Invent lists them (`file_filename`, `file_size`). */
export function fileNameAndSize(record: IDataObject): { name?: string; size?: number } {
	return {
		name: typeof record.file_filename === 'string' ? record.file_filename : undefined,
		size: byteCount(record.file_size),
	};
}
