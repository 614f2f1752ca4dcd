import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { returnAllAndLimit, showOnlyFor } from '../../../shared/description';
import { locationIdProperty, resolveLocationId, textParameter } from '../../fields';
import { MAX_SEARCH_PAGE_SIZE, searchConversationsPage } from '../../search';
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
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const leadway = await leadwayApi.session(this, itemIndex);
	const filters = {
		locationId: resolveLocationId(this, itemIndex, leadway.credentials, textParameter(this, 'locationId', itemIndex)),
		contactId: textParameter(this, 'contactId', itemIndex),
		query: textParameter(this, 'query', itemIndex),
		status: this.getNodeParameter('status', itemIndex, 'all') as string,
	};

	const conversations: IDataObject[] = [];
	const usedCursors = new Set<string>();
	let cursor: string | undefined;
	while (conversations.length < limit) {
		// Ask only for what is still missing, so Limit never fetches a page it does not need.
		const pageSize = Math.min(MAX_SEARCH_PAGE_SIZE, limit - conversations.length);
		const page = await searchConversationsPage(this, itemIndex, leadway.request, filters, pageSize, cursor);
		conversations.push(...page.conversations.slice(0, limit - conversations.length));
		if (page.next === undefined) break;
		if (usedCursors.has(page.next)) {
			throw new NodeOperationError(this.getNode(), `Leadway repeated a page of conversations on item ${itemIndex}`, {
				itemIndex,
				description: `Stopped after ${conversations.length} conversations instead of asking for the same page forever. Try again later, or set a Limit.`,
			});
		}
		usedCursors.add(page.next);
		cursor = page.next;
	}
	return conversations.map((conversation) => ({ json: conversation }));
}
