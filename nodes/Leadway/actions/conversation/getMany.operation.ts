import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getLimit, readPages, returnAllAndLimit, showOnlyFor, textParameter } from '../../../shared/node';
import { locationIdProperty } from '../../descriptions';
import { MAX_SEARCH_PAGE_SIZE, resolveLocationId, searchConversationsPage } from '../../helpers';
import { leadwayApi } from '../../transport';

const properties: INodeProperties[] = [
	locationIdProperty,
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 9VEmS0si86GW6gXWU89b',
		description: 'Only return the conversations of this contact (its Leadway contact ID). Leave empty for all contacts.',
	},
	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		default: '',
		placeholder: 'e.g. ana.souza@example.com',
		description:
			"Text to search for in the contact's name, email or phone and in the last message, e.g. a name or an email address. Leave empty to return all conversations.",
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'All', value: 'all' },
			{ name: 'Read', value: 'read' },
			{ name: 'Recents', value: 'recents' },
			{ name: 'Starred', value: 'starred' },
			{ name: 'Unread', value: 'unread' },
		],
		default: 'all',
		description: 'Only return conversations in this state',
	},
	...returnAllAndLimit,
];

export const description = showOnlyFor('conversation', 'getMany', properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const limit = getLimit(this, itemIndex);
	const leadway = await leadwayApi.session(this, itemIndex);
	const filters = {
		locationId: resolveLocationId(this, itemIndex, leadway.credentials, textParameter(this, 'locationId', itemIndex)),
		contactId: textParameter(this, 'contactId', itemIndex),
		query: textParameter(this, 'query', itemIndex),
		status: this.getNodeParameter('status', itemIndex, 'all') as string,
	};

	const conversations = await readPages<string>(this.getNode(), itemIndex, limit, {
		apiName: 'Leadway',
		noun: 'conversations',
		maxPageSize: MAX_SEARCH_PAGE_SIZE,
		narrow: 'narrow the search (Contact ID, Query or Status)',
		readPage: async ({ size, cursor }) => {
			const page = await searchConversationsPage(this, itemIndex, leadway.request, filters, size, cursor);
			return { items: page.conversations, next: page.next };
		},
	});
	return conversations.map((conversation) => ({ json: conversation }));
}
