import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { showOnlyFor } from '../../../shared/description';
import { fileNameProblem } from '../../../shared/fileRules';
import { getPathId } from '../../../shared/parameters';
import { cityPayApi } from '../../transport';
import { attachmentIdProperty } from '../../rules';

const properties: INodeProperties[] = [
	{ ...attachmentIdProperty, description: 'ID of the attachment to rename' },
	{
		displayName: 'New File Name',
		name: 'fileName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Invoice_room_service_updated.pdf',
		description: 'The name to give the file, without any folder',
	},
];

export const description = showOnlyFor('attachment', 'rename', properties);

function getNewFileName(context: IExecuteFunctions, itemIndex: number): string {
	const fileName = String(context.getNodeParameter('fileName', itemIndex, '') ?? '').trim();
	const refuse = (message: string, fix: string): never => {
		throw new NodeOperationError(context.getNode(), `${message} on item ${itemIndex}`, { itemIndex, description: fix });
	};
	if (fileName === '') {
		refuse('New File Name is empty', 'Enter the name to give the file, for example invoice.pdf.');
	}
	if (/[/\\]/.test(fileName)) {
		refuse(
			`New File Name "${fileName.slice(0, 100)}" contains a path separator`,
			'Enter a file name only, without "/" or "\\" (CityPay renames the file, it does not move it).',
		);
	}
	if (fileName === '.' || fileName === '..') {
		refuse(`New File Name "${fileName}" is not a file name`, 'Enter a real file name, for example invoice.pdf.');
	}
	const problem = fileNameProblem(fileName);
	if (problem) {
		refuse(
			`New File Name ${JSON.stringify(fileName.slice(0, 80))} ${problem}`,
			'Enter a plain file name of at most 255 bytes, on one line, for example invoice.pdf.',
		);
	}
	return fileName;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const attachmentId = getPathId(this, 'attachmentId', 'Attachment ID', itemIndex);
	const fileName = getNewFileName(this, itemIndex);
	// CityPay: the new name is the form field `filename`, sent as curl -d does (API docs).
	const response = await cityPayApi.request(this, itemIndex, {
		method: 'PUT',
		path: `/attachments/${attachmentId}`,
		form: { filename: fileName },
	});
	return [{ json: response.body as IDataObject }];
}
