import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as upload from './upload.operation';

export { get, getMany, upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['conversation'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get a conversation by its ID',
				action: 'Get a conversation',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Search the conversations of a location',
				action: 'Search conversations',
			},
			{
				name: 'Upload',
				value: 'upload',
				description: 'Upload files to a conversation',
				action: 'Upload files to a conversation',
			},
		],
		default: 'upload',
	},
	...get.description,
	...getMany.description,
	...upload.description,
];
