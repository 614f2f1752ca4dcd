import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import type { ClientRequest } from '../../shared/transport';
import { searchPages } from '../../shared/node';
import { searchConversationsPage } from '../helpers';
import type { LeadwayCredentials } from '../transport';
import { leadwayApi } from '../transport';

/** Conversations shown per page of the From List picker. */
const LIST_PAGE_SIZE = 20;

/** The node's Location ID when it is a plain value (an expression has no value in the editor), else the credential's. */
async function locationIdFor(context: ILoadOptionsFunctions): Promise<string> {
	const fromNode = context.getCurrentNodeParameter('locationId');
	if (typeof fromNode === 'string' && fromNode.trim() !== '' && !fromNode.startsWith('=')) return fromNode.trim();
	const credentials = await context.getCredentials<LeadwayCredentials>('leadwayApi');
	return String(credentials.locationId ?? '').trim();
}

/** A conversation as a list entry: named by its contact, described by its last message. */
function toListItem(conversation: IDataObject): INodeListSearchItems {
	const contact = [conversation.fullName, conversation.contactName, conversation.email, conversation.phone].find(
		(value) => typeof value === 'string' && value.trim() !== '',
	) as string | undefined;
	const id = String(conversation.id);
	return {
		name: contact ? `${contact} (${id})` : id,
		value: id,
		...(typeof conversation.lastMessageBody === 'string' && conversation.lastMessageBody
			? { description: conversation.lastMessageBody.slice(0, 100) }
			: {}),
	};
}

/** The Conversation ID picker: conversations matching the typed text (Leadway searches them), named by their contact. */
export async function searchConversations(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const locationId = await locationIdFor(this);
	const send = async (request: ClientRequest) => await leadwayApi.listRequest(this, request);
	const filters = { locationId, query: filter?.trim() || undefined };
	return await searchPages<string>(paginationToken, 1, async (startAfterDate) => {
		const page = await searchConversationsPage(this, 0, send, filters, LIST_PAGE_SIZE, startAfterDate);
		return { results: page.conversations.map(toListItem), next: page.next };
	});
}
