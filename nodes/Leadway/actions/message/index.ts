import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';
import * as send from './send.operation';

export { getMany, send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get the messages of a conversation, with their attachments if wanted',
				action: 'Get many messages',
			},
			{
				name: 'Send',
				value: 'send',
				description: "Send a message to a contact, with the item's files attached",
				action: 'Send a message',
			},
		],
		default: 'send',
	},
	...getMany.description,
	...send.description,
];
