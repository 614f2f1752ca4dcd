import type { INodeProperties } from 'n8n-workflow';

import * as upload from './upload.operation';

export { upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['conversation'] } },
		options: [
			{
				name: 'Upload',
				value: 'upload',
				description: 'Upload files to a conversation',
				action: 'Upload files to a conversation',
			},
		],
		default: 'upload',
	},
	...upload.description,
];
