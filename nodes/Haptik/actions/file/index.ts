import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';

export { send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['file'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				description: "Send a user's file into a Haptik conversation",
				action: 'Send a file to a conversation',
			},
		],
		default: 'send',
	},
	...send.description,
];
