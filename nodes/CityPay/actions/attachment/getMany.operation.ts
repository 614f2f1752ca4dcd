import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { returnAllAndLimit, showOnlyFor } from '../../../shared/description';
import { readPages } from '../../../shared/paging';
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
	const session = await cityPayApi.session(this, itemIndex);

	const attachments = await readPages<string>(this.getNode(), itemIndex, limit, {
		apiName: 'CityPay',
		noun: 'attachments',
		maxPageSize: MAX_PAGE_SIZE,
		narrow: 'list one conversation at a time (Conversation ID)',
		readPage: async ({ size, cursor, collected }) => {
			const qs: IDataObject = { limit: size };
			if (conversationId !== '') qs.conversation_id = conversationId;
			if (cursor !== undefined) qs.starting_after = cursor;
			const response = await session.request({ method: 'GET', path: '/attachments', qs });
			const page = readAttachmentPage(this.getNode(), response, itemIndex);
			// The last page, or the one that completes the Limit: no cursor needed.
			if (!page.hasMore || collected + page.data.length >= limit) return { items: page.data };
			// CityPay: the next page starts after the last ID of this one (API docs).
			const lastId = page.data[page.data.length - 1]?.id;
			if (typeof lastId !== 'string' || lastId === '') {
				throw new NodeOperationError(this.getNode(), `CityPay said more attachments follow but sent no ID to continue from on item ${itemIndex}`, {
					itemIndex,
					description: `Stopped after ${collected + page.data.length} attachments. Try again, or set a Limit.`,
				});
			}
			return { items: page.data, next: lastId };
		},
	});
	return attachments.map((attachment) => ({ json: attachment }));
}
