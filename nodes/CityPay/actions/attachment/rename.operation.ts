import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getPathId, showOnlyFor, textParameter } from '../../../shared/node';
import { MAX_FILE_NAME_BYTES, fileNameProblem } from '../../../shared/binary';
import { itemError } from '../../../shared/transport';
import { cityPayApi } from '../../transport';
import { attachmentLocator } from '../../descriptions';

const properties: INodeProperties[] = [
	attachmentLocator('The attachment to rename'),
	{
		displayName: 'New File Name',
		name: 'fileName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Invoice_room_service_updated.pdf',
		description: 'The name to give the file, with its extension and without any folder, for example invoice-2024-03.pdf',
	},
];

export const description = showOnlyFor('attachment', 'rename', properties);

export const changesDataIn = 'CityPay';

function getNewFileName(context: IExecuteFunctions, itemIndex: number): string {
	const fileName = textParameter(context, 'fileName', itemIndex);
	const problem = fileNameProblem(fileName);
	if (!problem) return fileName;
	// Control characters are shown as escapes, so the message stays on one line.
	const shown = fileName.slice(0, 80).replace(/[\u0000-\u001f\u007f]/g, (character) => JSON.stringify(character).slice(1, -1));
	throw itemError(
		context.getNode(),
		itemIndex,
		`New File Name${fileName === '' ? '' : ` "${shown}"`} ${problem}`,
		fileName === ''
			? 'Enter the name to give the file, for example invoice.pdf.'
			: `Enter a file name only, on one line, of at most ${MAX_FILE_NAME_BYTES} bytes and without "/" or "\\" (CityPay renames the file, it does not move it), for example invoice.pdf.`,
	);
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
