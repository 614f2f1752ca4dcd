import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { returnAllAndLimit, showOnlyFor } from '../../../shared/description';
import { readAttachmentPage } from '../../rules';
import { cityPayApi } from '../../transport';

/** CityPay: `limit` is at most 100 per page (API docs). */
const MAX_PAGE_SIZE = 100;

const properties: INodeProperties[] = [
	{
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'string',
		default: '',
		placeholder: 'xgQQXg3hrtjh7AvZ',
		description: 'Only list the attachments of this conversation, for example xgQQXg3hrtjh7AvZ. Leave empty to list all attachments.',
	},
	...returnAllAndLimit,
];

export const description = showOnlyFor('attachment', 'getMany', properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const conversationId = String(this.getNodeParameter('conversationId', itemIndex, '') ?? '').trim();

	const attachments: IDataObject[] = [];
	const usedCursors = new Set<string>();
	let cursor: string | undefined;
	while (attachments.length < limit) {
		// Ask only for what is still missing, so Limit never fetches a page it does not need.
		const qs: IDataObject = { limit: Math.min(MAX_PAGE_SIZE, limit - attachments.length) };
		if (conversationId !== '') qs.conversation_id = conversationId;
		if (cursor !== undefined) qs.starting_after = cursor;
		const response = await cityPayApi.request(this, itemIndex, { method: 'GET', path: '/attachments', qs });
		const page = readAttachmentPage(this.getNode(), response, itemIndex);
		attachments.push(...page.data.slice(0, limit - attachments.length));
		if (!page.hasMore || attachments.length >= limit) break;

		// CityPay: the next page starts after the last ID of this one (API docs).
		const lastId = page.data[page.data.length - 1]?.id;
		if (typeof lastId !== 'string' || lastId === '') {
			throw new NodeOperationError(this.getNode(), `CityPay said more attachments follow but sent no ID to continue from on item ${itemIndex}`, {
				itemIndex,
				description: `Stopped after ${attachments.length} attachments. Try again, or set a Limit.`,
			});
		}
		if (usedCursors.has(lastId)) {
			throw new NodeOperationError(this.getNode(), `CityPay repeated a page of attachments (after "${lastId}") on item ${itemIndex}`, {
				itemIndex,
				description: `Stopped after ${attachments.length} attachments instead of asking for the same page forever. Try again later, or set a Limit.`,
			});
		}
		usedCursors.add(lastId);
		cursor = lastId;
	}
	return attachments.map((attachment) => ({ json: attachment }));
}
