import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ClientRequest } from '../../shared/transport';
import { pathIdProblem } from '../../shared/transport';
import { FILTERED_SEARCH_PAGES, fileSearchEntry, matchesSearch, searchPages } from '../../shared/node';
import { FILE_FIELDS, MAX_PAGE_SIZE, readInventPage } from '../helpers';
import { inventApi } from '../transport';

/** The first channel value of a kind (`email`, `phone`) a contact has. */
function channelValue(contact: IDataObject, key: string): string | undefined {
	const channels = Array.isArray(contact.channels) ? (contact.channels as IDataObject[]) : [];
	const value = channels.map((channel) => channel?.[key]).find((candidate) => typeof candidate === 'string' && candidate !== '');
	return value as string | undefined;
}

function toListItem(contact: IDataObject): INodeListSearchItems {
	const id = String(contact.id);
	const name = typeof contact.name === 'string' && contact.name.trim() !== '' ? contact.name.trim() : undefined;
	const email = channelValue(contact, 'email');
	const reachedBy = email ?? channelValue(contact, 'phone');
	return { name: name && reachedBy ? `${name} (${reachedBy})` : (name ?? reachedBy ?? id), value: id };
}

/** The Organization ID the panel shows, as one path segment (`c`, the key's own, when empty). */
function organizationSegment(context: ILoadOptionsFunctions): string {
	const id = String(context.getNodeParameter('organizationId', 'c') ?? '').trim() || 'c';
	const problem = pathIdProblem(id);
	if (problem) {
		throw new NodeOperationError(context.getNode(), `Organization ID ${problem}`, {
			description: 'Enter the ID of your organization, or "c" for the one your API key belongs to.',
		});
	}
	return encodeURIComponent(id);
}

/** Sends a list search's request with the editor's context. */
function listSender(context: ILoadOptionsFunctions) {
	return async (request: ClientRequest) => await inventApi.listRequest(context, request);
}

/** The page a list search starts at: the pagination token's page number, else the first. */
function firstPage(paginationToken: string | undefined): number {
	return Math.max(1, Number(paginationToken) || 1);
}

/**
 * "From List" of the upload's Contact ID: the contacts of the panel's organization, a page
 * of Invent's own paging (`page`, `take`) at a time. Typed text with an "@" is looked up as
 * an email, any other as a name (Invent's `email` and `name` filters).
 */
export async function searchContacts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const path = `/orgs/${organizationSegment(this)}/contacts`;
	const text = (filter ?? '').trim();
	const filters: IDataObject = text === '' ? {} : { [text.includes('@') ? 'email' : 'name']: text };
	const send = listSender(this);
	return await searchPages(firstPage(paginationToken), 1, async (page = 1) => {
		const { items, next } = await readInventPage(send, this.getNode(), { path, filters, page, take: MAX_PAGE_SIZE });
		return { results: items.filter((contact) => contact?.id !== undefined && contact.id !== null).map(toListItem), next };
	});
}

/** The Contact ID the panel shows, as one path segment; the files cannot be listed without one. */
function contactSegment(context: ILoadOptionsFunctions): string {
	const raw = context.getCurrentNodeParameter('contactId');
	const value = String((raw !== null && typeof raw === 'object' ? (raw as IDataObject).value : raw) ?? '').trim();
	if (value === '' || value.startsWith('=')) {
		throw new NodeOperationError(context.getNode(), 'Select a Contact ID first', {
			description:
				value === ''
					? 'The list shows the files of the contact in Contact ID: pick the contact first.'
					: 'Contact ID is an expression, which has no value in the editor. Pick the contact From List or By ID to list its files, or give the file By ID or By URL.',
		});
	}
	const problem = pathIdProblem(value);
	if (problem) throw new NodeOperationError(context.getNode(), `Contact ID ${problem}`, { description: 'Enter the real Contact ID.' });
	return encodeURIComponent(value);
}

/**
 * "From List" of Download's File: the files of the contact the panel shows, in Invent's
 * order, whose name contains the typed text (Invent cannot search them by name). The
 * pagination token is the next page number.
 */
export async function searchContactFiles(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const path = `/orgs/${organizationSegment(this)}/contacts/${contactSegment(this)}/files`;
	const send = listSender(this);
	return await searchPages(firstPage(paginationToken), FILTERED_SEARCH_PAGES, async (page = 1) => {
		const { items, next } = await readInventPage(send, this.getNode(), { path, page, take: MAX_PAGE_SIZE });
		const results = items
			.filter((file) => file.id !== undefined && file.id !== null && matchesSearch(String(file.file_filename ?? ''), filter))
			.map((file) => fileSearchEntry(file, FILE_FIELDS));
		return { results, next };
	});
}
