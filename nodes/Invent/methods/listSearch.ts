import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { pathIdProblem } from '../../shared/transport';
import { matchesSearch } from '../../shared/node';
import { MAX_PAGE_SIZE, readListPage } from '../rules';
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
	const page = Math.max(1, Number(paginationToken) || 1);
	const qs: IDataObject = { page, take: MAX_PAGE_SIZE };
	const text = (filter ?? '').trim();
	if (text !== '') qs[text.includes('@') ? 'email' : 'name'] = text;
	const response = await inventApi.listRequest(this, {
		method: 'GET',
		path: `/orgs/${organizationSegment(this)}/contacts`,
		qs,
		answer: 'list',
	});
	const { records: contacts, hasMore } = readListPage(this.getNode(), response, page, MAX_PAGE_SIZE);
	return {
		results: contacts.filter((contact) => contact?.id !== undefined && contact.id !== null).map(toListItem),
		...(hasMore ? { paginationToken: String(page + 1) } : {}),
	};
}

/** Invent cannot search a contact's files by name, so pages are filtered here; one search reads at most this many before it offers "more". */
const FILE_PAGES_PER_SEARCH = 5;

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

function toFileListItem(file: IDataObject): INodeListSearchItems {
	const id = String(file.id);
	const name = typeof file.file_filename === 'string' && file.file_filename !== '' ? file.file_filename : id;
	return { name, value: id, ...(typeof file.file_url === 'string' ? { url: file.file_url } : {}) };
}

/**
 * "From List" of Download's File: the files of the contact the panel shows, in Invent's
 * order, whose name contains the typed text. The pagination token is the next page number.
 */
export async function searchContactFiles(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const path = `/orgs/${organizationSegment(this)}/contacts/${contactSegment(this)}/files`;
	const results: INodeListSearchItems[] = [];
	let page = Math.max(1, Number(paginationToken) || 1);
	for (let pages = 1; ; pages++, page++) {
		const response = await inventApi.listRequest(this, { method: 'GET', path, qs: { page, take: MAX_PAGE_SIZE }, answer: 'list' });
		const { records, hasMore } = readListPage(this.getNode(), response, page, MAX_PAGE_SIZE);
		results.push(
			...records
				.filter((file) => file.id !== undefined && file.id !== null && matchesSearch(String(file.file_filename ?? ''), filter))
				.map(toFileListItem),
		);
		if (!hasMore) return { results };
		if (results.length > 0 || pages >= FILE_PAGES_PER_SEARCH) return { results, paginationToken: String(page + 1) };
	}
}
