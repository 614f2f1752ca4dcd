import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { returnAllAndLimit, showOnlyFor } from '../../../shared/node';
import { readAttachments } from '../../transport';

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
	const attachments = await readAttachments(this, itemIndex, conversationId, limit);
	return attachments.map((attachment) => ({ json: attachment }));
}
