import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getLimit, returnAllAndLimit, showOnlyFor, textParameter } from '../../../shared/node';
import { readAttachments } from '../../helpers';

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
	const limit = getLimit(this, itemIndex);
	const conversationId = textParameter(this, 'conversationId', itemIndex);
	const attachments = await readAttachments(this, itemIndex, conversationId, limit);
	return attachments.map((attachment) => ({ json: attachment }));
}
