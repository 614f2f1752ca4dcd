import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MAX_PAGE_SIZE, readContactPage } from '../rules';
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
	if (id === '.' || id === '..') {
		throw new NodeOperationError(context.getNode(), `Organization ID "${id}" is not a valid ID`, {
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
	const { contacts, hasMore } = readContactPage(this.getNode(), response, page, MAX_PAGE_SIZE);
	return {
		results: contacts.filter((contact) => contact?.id !== undefined && contact.id !== null).map(toListItem),
		...(hasMore ? { paginationToken: String(page + 1) } : {}),
	};
}
