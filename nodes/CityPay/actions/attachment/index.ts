import type { INodeProperties } from 'n8n-workflow';

import * as deleteAttachment from './delete.operation';
import * as download from './download.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as rename from './rename.operation';
import * as upload from './upload.operation';

export { deleteAttachment as delete, download, get, getMany, rename, upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['attachment'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete an attachment permanently',
				action: 'Delete an attachment',
			},
			{
				name: 'Download',
				value: 'download',
				description: 'Download the file of an attachment',
				action: 'Download an attachment',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get an attachment',
				action: 'Get an attachment',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List attachments',
				action: 'Get many attachments',
			},
			{
				name: 'Rename',
				value: 'rename',
				description: 'Change the file name of an attachment',
				action: 'Rename an attachment',
			},
			{
				name: 'Upload',
				value: 'upload',
				description: 'Upload a file as an attachment',
				action: 'Upload an attachment',
			},
		],
		default: 'upload',
	},
	...upload.description,
	...get.description,
	...getMany.description,
	...rename.description,
	...deleteAttachment.description,
	...download.description,
];
