import type { INodeProperties } from 'n8n-workflow';

import * as download from './download.operation';
import * as getMany from './getMany.operation';
import * as upload from './upload.operation';

export { download, getMany, upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contactFile'] } },
		options: [
			{
				name: 'Download',
				value: 'download',
				description: 'Download a file of a contact',
				action: 'Download a contact file',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: "List a contact's files",
				action: 'Get many contact files',
			},
			{
				name: 'Upload',
				value: 'upload',
				description: 'Upload a file to a contact',
				action: 'Upload a file to a contact',
			},
		],
		default: 'upload',
	},
	...upload.description,
	...getMany.description,
	...download.description,
];
