import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiResponse, ClientRequest } from '../shared/transport';
import { nonObjectEntry, unexpectedAnswerError } from '../shared/transport';

/** Leadway: `limit` of a conversation search is at most 100 (API docs). */
export const MAX_SEARCH_PAGE_SIZE = 100;

export const SEARCH_PATH = '/conversations/search';

export interface SearchFilters {
	locationId?: string;
	contactId?: string;
	query?: string;
	status?: string;
}

export interface SearchPage {
	conversations: IDataObject[];
	/** Where the next page starts (`startAfterDate`); undefined on the last page. */
	next?: string;
}

/** The value a conversation is sorted by, which `startAfterDate` continues after (API docs). */
function sortValue(conversation: IDataObject | undefined): string | undefined {
	const sort = conversation?.sort;
	const value = Array.isArray(sort) ? sort[0] : (conversation?.lastMessageDate ?? conversation?.dateUpdated);
	return typeof value === 'number' || (typeof value === 'string' && value !== '') ? String(value) : undefined;
}

/**
 * One page of a conversation search. A page shorter than asked for is the last; so is one
 * whose last conversation has no sort value to continue after.
 */
export async function searchConversationsPage(
	context: IExecuteFunctions | ILoadOptionsFunctions,
	itemIndex: number,
	send: (request: ClientRequest) => Promise<ApiResponse>,
	filters: SearchFilters,
	pageSize: number,
	startAfterDate?: string,
): Promise<SearchPage> {
	const qs: IDataObject = { limit: pageSize };
	// Without one, a location's own token searches its location (the credential test relies on it).
	if (filters.locationId) qs.locationId = filters.locationId;
	if (filters.contactId) qs.contactId = filters.contactId;
	if (filters.query) qs.query = filters.query;
	if (filters.status && filters.status !== 'all') qs.status = filters.status;
	if (startAfterDate !== undefined) qs.startAfterDate = startAfterDate;
	const response = await send({ method: 'GET', path: SEARCH_PATH, qs });
	const raw = (response.body as IDataObject | undefined)?.conversations;
	if (!Array.isArray(raw)) {
		throw new NodeOperationError(context.getNode(), `Leadway sent a search answer without "conversations" on item ${itemIndex}`, {
			itemIndex,
			description: 'Check that the Base URL in the Leadway credential points at the Leadway API.',
		});
	}
	const entry = nonObjectEntry(raw);
	if (entry !== undefined) {
		const request = { apiName: 'Leadway', method: 'GET' as const, itemIndex };
		throw unexpectedAnswerError(context.getNode(), request, response.statusCode, `a "conversations" list whose ${entry}`, 'list');
	}
	const conversations = raw as IDataObject[];
	const next = conversations.length < pageSize ? undefined : sortValue(conversations[conversations.length - 1]);
	return { conversations, next };
}
